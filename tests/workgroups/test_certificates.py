"""A certificate worth keeping: what it says, that it is stored once with its SHA-256 and served
unchanged, that a school can check its code on a public page, and that it is PDF/UA."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from hubops.models import AuditEvent
from hubops.personal_data import Person
from privacy.services import collect, erase_person
from tests.factories import PASSWORD, UserFactory
from tests.pdfcheck import assert_accessible, in_order, page_texts
from workgroups import certificates, services
from workgroups.models import Attendance, Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://hub.example"


@pytest.fixture
def completed(group, schools, teacher, lead, today):
    reg = services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    sessions = list(group.sessions.order_by("starts_at"))
    Attendance.objects.create(session=sessions[0], registration=reg, status="present")
    Attendance.objects.create(session=sessions[1], registration=reg, status="absent")
    Attendance.objects.create(session=sessions[2], registration=reg, status="present")
    services.work_group_complete(group_id=group.pk, actor=lead)
    reg.refresh_from_db()
    return reg


def _download(client, teacher, reg):
    client.login(email=teacher.email, password=PASSWORD)
    response = client.get(reverse("workgroups:certificate", args=[reg.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_certificate_says_who_what_when_and_how_to_check_it(client, completed, teacher):
    data = _download(client, teacher, completed)
    cert = Certificate.objects.get(registration=completed)
    pages = page_texts(data)
    assert len(pages) == 1, "a certificate is one page"
    text = pages[0]
    assert in_order(
        text,
        "Certificate of participation",
        "Alex Fictional",
        f"of {completed.school.name}",
        "WG-1: Fictional group WG-1",
        "NCP 25-07: Teaching for Mastery",
        "Sessions attended: 2 of 3",
        "Monday 2 February 2026",  # sessions 1 and 3 attended, 2 missed
        "Monday 16 March 2026",
        "Work Group Lead",
        "Robin Fictional-Lead",
        "Riverside Maths Hub",
        cert.issued_on.strftime("%-d %B %Y"),
        cert.code,
        "https://hub.example/certificates/verify/",
    )
    assert "Monday 23 February 2026" not in text  # the session missed
    assert text.count("Riverside Maths Hub") == 1, "the hub's name once"
    assert_accessible(data, title="Certificate of participation")


def test_stored_once_with_its_sha256_and_never_regenerated(client, completed, teacher, lead):
    first = _download(client, teacher, completed)
    cert = Certificate.objects.get(registration=completed)
    assert cert.sha256 == hashlib.sha256(first).hexdigest()
    with cert.file.open("rb") as f:
        assert f.read() == first
    # The Lead's name changes later; the certificate already issued does not.
    lead.full_name = "Robin Renamed"
    lead.save(update_fields=["full_name"])
    again = _download(client, teacher, completed)
    assert again == first
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="workgroups.certificate.issued").count() == 1
    same = certificates.certificate_issue(
        registration_id=completed.pk, actor=None, today=date(2030, 1, 1)
    )
    assert same.pk == cert.pk and same.issued_on == cert.issued_on


def test_no_certificate_before_completion(client, group, schools, teacher, today):
    reg = services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    client.login(email=teacher.email, password=PASSWORD)
    assert client.get(reverse("workgroups:certificate", args=[reg.pk])).status_code == 404
    assert not Certificate.objects.exists()


def test_the_verify_page_says_genuine_and_shows_only_what_it_needs(client, completed, teacher):
    _download(client, teacher, completed)
    client.logout()
    cert = Certificate.objects.get()
    form = client.get(reverse("certificates:verify"))
    assert form.status_code == 200 and "Verification code" in form.text
    # Typed from paper: lower case, spaces instead of hyphens.
    typed = cert.code.lower().replace("-", " ")
    response = client.get(reverse("certificates:verify"), {"code": typed}, follow=True)
    page = response.text
    assert response.status_code == 200
    assert "This certificate is genuine" in page
    for shown in ["Alex Fictional", "WG-1: Fictional group WG-1", cert.sha256, "Riverside"]:
        assert shown in page
    for hidden in [completed.school.name, teacher.email, "Monday 2 February 2026"]:
        assert hidden not in page


def test_an_unknown_or_malformed_code_is_not_genuine(client, completed):
    unknown = client.get(reverse("certificates:verify_code", args=["ABCD-EFGH-JK23"]))
    assert unknown.status_code == 404
    assert "We cannot find a certificate with this code" in unknown.text
    assert "This certificate is genuine" not in unknown.text
    bad = client.get(reverse("certificates:verify"), {"code": "12"})
    assert bad.status_code == 400
    assert "Error: " in bad.text.split("</title>")[0]
    assert "There is a problem" in bad.text and 'href="#id_code"' in bad.text
    empty = client.get(reverse("certificates:verify"), {"code": ""})
    assert "Enter the verification code from the certificate." in empty.text


def test_access_exports_it_and_erasure_removes_it_with_its_file(client, completed, teacher):
    _download(client, teacher, completed)
    cert = Certificate.objects.get()
    path = Path(cert.file.path)
    person = Person.for_user(teacher)
    exported = [s for s in collect(person) if "certificate" in s["title"].lower()]
    assert exported and exported[0]["rows"][0]["certificate_code"] == cert.code
    erase_person(person, today=date(2026, 9, 1))
    assert not Certificate.objects.exists() and not path.exists()
    gone = client.get(reverse("certificates:verify_code", args=[cert.code]))
    assert gone.status_code == 404


def test_staff_see_issued_certificates_read_only_in_admin(client, completed, teacher, settings):
    _download(client, teacher, completed)
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    cert = Certificate.objects.get()
    listing = client.get("/admin/workgroups/certificate/")
    assert listing.status_code == 200 and cert.code in listing.text
    assert client.get("/admin/workgroups/certificate/add/").status_code == 403
    page = client.get(f"/admin/workgroups/certificate/{cert.pk}/change/")
    assert page.status_code == 200 and cert.sha256 in page.text
    assert 'name="sha256"' not in page.text  # shown, not editable
