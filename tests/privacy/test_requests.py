"""Data-subject requests: public form, identity check by emailed link, due dates, extension."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from hubops.models import AuditEvent
from privacy import reminders, services
from privacy.models import DataRequest, RequestStatus

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_public_form_logs_request_and_emails_a_confirmation_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:request_new"),
            {"kind": "access", "full_name": "Sam Fictional", "email": "Sam@Example.org"},
            follow=True,
        )
    assert response.status_code == 200
    request = DataRequest.objects.get()
    assert request.email == "sam@example.org"
    assert request.status == RequestStatus.AWAITING_VERIFICATION
    assert request.reference in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"/privacy/requests/confirm/[^/\s]+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 200
    request.refresh_from_db()
    assert (
        request.status == RequestStatus.AWAITING_VERIFICATION
    )  # a GET (link preview) is not enough
    response = client.post(link)
    assert "Request confirmed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert request.identity_verified_by == "emailed link"


def test_public_form_errors_are_clear_and_keep_input(client):
    response = client.post(
        reverse("privacy:request_new"), {"full_name": "Sam Fictional", "email": "not-an-email"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Select what you want us to do" in body
    assert "Enter an email address in the correct format" in body
    assert 'value="Sam Fictional"' in body
    assert DataRequest.objects.count() == 0


def test_bad_confirmation_link_is_404_not_500(client):
    assert client.get("/privacy/requests/confirm/nonsense/").status_code == 404


def test_due_one_calendar_month_from_receipt():
    r = services.data_request_create(
        kind="access",
        full_name="Sam Fictional",
        email="sam@example.org",
        received_on=dt.date(2026, 1, 31),
    )
    # 31 January + one month = 28 February 2026 (a Saturday) -> next working day, 2 March.
    assert r.due_on == dt.date(2026, 3, 2)


def test_extension_within_first_month_tells_the_person(dpo, django_capture_on_commit_callbacks):
    r = services.data_request_create(
        kind="access",
        full_name="Sam Fictional",
        email="sam@example.org",
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    with pytest.raises(services.TransitionError, match="reason"):
        services.data_request_extend(data_request_id=r.pk, reason=" ", actor=dpo, today=TODAY)
    with pytest.raises(services.TransitionError, match="within the first month"):
        services.data_request_extend(
            data_request_id=r.pk, reason="Complex", actor=dpo, today=r.due_on + dt.timedelta(days=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        r = services.data_request_extend(
            data_request_id=r.pk, reason="Many records", actor=dpo, today=TODAY
        )
    assert r.extended_to == dt.date(2026, 6, 10)
    assert "Many records" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["sam@example.org"]
    with pytest.raises(services.TransitionError, match="already"):
        services.data_request_extend(data_request_id=r.pk, reason="Again", actor=dpo, today=TODAY)


def test_reminders_before_due_date_are_sent_once(dpo, django_capture_on_commit_callbacks):
    r = services.data_request_create(
        kind="access",
        full_name="Sam Fictional",
        email="sam@example.org",
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.data_request_deadline_sweep(today=r.due_on - dt.timedelta(days=8)) == 0
        assert reminders.data_request_deadline_sweep(today=r.due_on - dt.timedelta(days=7)) == 1
        assert reminders.data_request_deadline_sweep(today=r.due_on - dt.timedelta(days=7)) == 0
        assert reminders.data_request_deadline_sweep(today=r.due_on) == 1
    assert [m.to for m in mail.outbox if "is due" in m.subject] == [[dpo.email], [dpo.email]]


def test_staff_pages_need_the_role(client, dpo):
    from tests.factories import PASSWORD, StaffFactory

    assert client.get("/staff/privacy/").status_code == 302  # to sign in
    other = StaffFactory(email="staff2@example.org")
    client.login(email=other.email, password=PASSWORD)
    assert client.get("/staff/privacy/").status_code == 403
    client.login(email=dpo.email, password=PASSWORD)
    assert client.get("/staff/privacy/").status_code == 200


def test_staff_list_query_count_does_not_grow(dpo_client, dpo, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            services.data_request_create(
                kind="access",
                full_name=f"P{i} Fictional",
                email=f"p{i}@example.org",
                received_on=TODAY,
                actor=dpo,
                identity_confirmed_by_staff=True,
            )

    make(1)
    with django_assert_max_num_queries(12):
        assert dpo_client.get("/staff/privacy/").status_code == 200
    make(49)
    with django_assert_max_num_queries(12):
        response = dpo_client.get("/staff/privacy/")
    assert response.content.decode().count("/staff/privacy/requests/") >= 50


def test_viewing_a_request_is_audited_and_shown(dpo_client, dpo):
    r = services.data_request_create(
        kind="access",
        full_name="Sam Fictional",
        email="sam@example.org",
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    dpo_client.get(f"/staff/privacy/requests/{r.pk}/")
    response = dpo_client.get(f"/staff/privacy/requests/{r.pk}/")
    assert AuditEvent.objects.filter(action="privacy.datarequest.viewed", actor=dpo).count() == 2
    assert "Who has seen this record" in response.content.decode()
    assert response.content.decode().count("privacy.datarequest.viewed") >= 1


def test_staff_intake_bad_date_gives_message(dpo_client):
    response = dpo_client.post(
        "/staff/privacy/requests/new/",
        {
            "kind": "erasure",
            "full_name": "Sam Fictional",
            "email": "sam@example.org",
            "received_on_day": "31",
            "received_on_month": "31",
            "received_on_year": "2026",
        },
    )
    assert response.status_code == 400  # the page again, with what was typed (issue #13)
    page = response.content.decode()
    assert "Date received must be a real date" in page
    assert page.split("</title>")[0].endswith("<title>Error: Log a request") or (
        "<title>Error: " in page
    )
    # Asked as day, month and year boxes (the GOV.UK date input), the answer kept.
    assert 'name="received_on_day"' in page and 'value="31"' in page


def test_staff_privacy_pages_require_mfa(client, dpo, settings):
    from tests.factories import PASSWORD

    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    client.login(email=dpo.email, password=PASSWORD)
    response = client.get("/staff/privacy/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_carry_out_erasure_through_the_pages(dpo_client, dpo, teacher):
    r = services.data_request_create(
        kind="erasure", full_name=teacher.full_name, email=teacher.email, received_on=TODAY
    )
    page = dpo_client.get(f"/staff/privacy/requests/{r.pk}/").content.decode()
    assert "Not yet confirmed" in page and "Erase this person" not in page
    dpo_client.post(f"/staff/privacy/requests/{r.pk}/confirm-identity/")
    page = dpo_client.get(f"/staff/privacy/requests/{r.pk}/").content.decode()
    assert "Erase this person" in page
    response = dpo_client.post(f"/staff/privacy/requests/{r.pk}/erase/", follow=True)
    body = response.content.decode()
    assert "Erasure carried out" in body and "hubops.user: 1" in body
    # Carrying it out twice is refused with a message, not a 500.
    response = dpo_client.post(f"/staff/privacy/requests/{r.pk}/erase/", follow=True)
    assert "Only an open, verified erasure request" in response.content.decode()
    log = dpo_client.get("/staff/privacy/requests.csv").content.decode()
    assert r.reference in log and "Completed" in log and teacher.email not in log
