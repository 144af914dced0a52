"""A school checks a certificate it was shown: the public verify page, at any width."""

from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_school_checks_a_genuine_certificate(live_server, page, axe, settings, tmp_path):
    from hubops.models import AcademicYear
    from tests.factories import HubFactory, SchoolFactory, UserFactory
    from tests.workgroups.conftest import make_group
    from workgroups import certificates
    from workgroups.models import Attendance, Project, ProjectKind, Registration, RegStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    HubFactory(name="Fictional Valley Maths Hub")
    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    project = Project.objects.create(
        code="NCP 25-07", title="Teaching for Mastery", kind=ProjectKind.NCP, academic_year=year
    )
    group = make_group(project, UserFactory(full_name="Robin Fictional-Lead"))
    reg = Registration.objects.create(
        work_group=group,
        school=SchoolFactory(),
        full_name="Alex Fictional",
        role_at_school="Teacher",
        status=RegStatus.COMPLETED,
    )
    for session in group.sessions.all()[:2]:
        Attendance.objects.create(session=session, registration=reg, status="present")
    cert = certificates.certificate_issue(
        registration_id=reg.pk, actor=None, today=date(2026, 7, 20)
    )

    page.goto(f"{live_server.url}/certificates/verify/")
    page.get_by_label("Verification code").fill(cert.code.lower().replace("-", " "))
    page.get_by_role("button", name="Check the certificate").click()
    page.get_by_role("heading", name="This certificate is genuine").wait_for()
    assert page.get_by_text("Alex Fictional").is_visible()
    assert page.get_by_text("20 July 2026").is_visible()
    assert page.get_by_text(cert.sha256).is_visible()
    axe(page)  # axe-core, 320 px reflow (the 64-character fingerprint wraps), Nu HTML Checker
