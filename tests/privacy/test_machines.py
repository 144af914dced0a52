"""Privacy's machines (issue #13): a request's and a breach's moves, the same for the service,
the page and the admin; dates in mail as people read them; the admin cannot go around them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from hubops.models import AuditEvent, OutgoingMessage
from hubops.workflow import DomainError
from privacy import services, tasks, workflow
from privacy.models import Breach, DataRequest, RequestStatus
from privacy.workflow import BREACH_MACHINE, REQUEST_MACHINE
from tests.factories import PASSWORD, UserFactory
from tests.privacy.factories import BreachFactory, DataRequestFactory, PrivacyNoticeFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db


class _Kind:
    def __init__(self, kind):
        self.kind = kind


# The tables, pure ------------------------------------------------------------------------------


def test_a_request_moves_only_as_its_machine_says():
    assert [m.name for m in REQUEST_MACHINE.available(workflow.AWAITING_VERIFICATION)] == [
        "verify",
        "refuse",
    ]
    assert REQUEST_MACHINE.final(workflow.COMPLETED) and REQUEST_MACHINE.final(workflow.REFUSED)
    with pytest.raises(DomainError, match="completed: 'Refuse' is not possible now"):
        REQUEST_MACHINE.check("refuse", workflow.COMPLETED)
    # Only an erasure request is carried out as an erasure; restriction only for its kinds.
    names = {m.name for m in REQUEST_MACHINE.available(workflow.OPEN, subject=_Kind("access"))}
    assert names == {"complete", "complete_in_part", "refuse"}
    erasure = {m.name for m in REQUEST_MACHINE.available(workflow.OPEN, subject=_Kind("erasure"))}
    assert {"erase", "erase_in_part"} <= erasure and "restrict" not in erasure


def test_a_breach_is_closed_only_after_the_ico_decision():
    assert BREACH_MACHINE.final(workflow.CLOSED)
    with pytest.raises(DomainError, match="not possible now"):
        BREACH_MACHINE.check("close", workflow.AWAITING_DECISION)
    assert workflow.breach_stage(ico_decided=True, closed=False) == workflow.DECIDED
    found = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
    assert workflow.ico_deadline(found) == dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
    assert workflow.breach_reminder_hours(found, found + dt.timedelta(hours=49)) == [24, 48]


def test_the_error_class_is_one_family():
    assert issubclass(services.TransitionError, DomainError)


# The services ------------------------------------------------------------------------------------


def test_mail_carries_dates_people_read(dpo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = DataRequestFactory(received_on=dt.date(2026, 11, 8), email="sam@example.org")
    message = OutgoingMessage.objects.get(template_prefix="privacy/email/verify")
    assert message.context["due_on"] == "8 December 2026"
    assert "We will reply by 8 December 2026." in mail.outbox[-1].body
    services.data_request_confirm_identity(data_request_id=r.pk, actor=dpo)
    with django_capture_on_commit_callbacks(execute=True):
        services.data_request_extend(
            data_request_id=r.pk, reason="Many records", actor=dpo, today=dt.date(2026, 11, 20)
        )
    assert "We will reply by 8 February 2027." in mail.outbox[-1].body
    assert "2027-02-08" not in mail.outbox[-1].body


def test_a_closed_request_cannot_be_closed_again(dpo):
    r = DataRequestFactory(actor=dpo, identity_confirmed_by_staff=True)
    services.data_request_close(
        data_request_id=r.pk, status="completed", outcome="Sent.", actor=dpo, today=TODAY
    )
    with pytest.raises(services.TransitionError, match="is completed"):
        services.data_request_close(
            data_request_id=r.pk, status="refused", outcome="No.", actor=dpo, today=TODAY
        )
    assert DataRequest.objects.get(pk=r.pk).outcome == "Sent."


def test_an_access_request_is_not_carried_out_as_a_restriction(dpo):
    r = DataRequestFactory(kind="access", actor=dpo, identity_confirmed_by_staff=True)
    with pytest.raises(DomainError, match="Only a request to restrict"):
        services.restriction_carry_out(data_request_id=r.pk, actor=dpo, today=TODAY)
    assert DataRequest.objects.get(pk=r.pk).status == RequestStatus.OPEN


def test_the_ico_decision_then_closing(dpo):
    breach = BreachFactory(actor=dpo)
    assert breach.reference.startswith("BR-") and breach.stage == workflow.AWAITING_DECISION
    with pytest.raises(DomainError):
        services.breach_close(breach_id=breach.pk, actor=dpo, today=TODAY)
    with pytest.raises(DomainError, match="Give the reason"):
        services.breach_ico_not_notify(breach_id=breach.pk, reason="  ", actor=dpo)
    late = breach.found_at + dt.timedelta(hours=80)
    breach = services.breach_ico_notify(breach_id=breach.pk, notified_at=late, actor=dpo)
    assert breach.ico_told_in_time is False  # recorded as late, not refused
    with pytest.raises(DomainError, match="not possible now"):
        services.breach_ico_not_notify(breach_id=breach.pk, reason="Low risk", actor=dpo)
    services.breach_close(breach_id=breach.pk, actor=dpo, today=TODAY)
    actions = AuditEvent.objects.filter(object_type="privacy.breach").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "privacy.breach.logged",
        "privacy.breach.ico_notified",
        "privacy.breach.closed",
    ]


def test_a_new_notice_version_cannot_be_back_dated(dpo):
    PrivacyNoticeFactory(version=1, published_on=dt.date(2026, 1, 1))
    with pytest.raises(DomainError, match="past"):
        services.notice_publish(
            actor=dpo, today=TODAY, title="", body="Text", published_on=dt.date(2026, 3, 1)
        )
    notice = services.notice_publish(
        actor=dpo, today=TODAY, title="", body="Text", published_on=TODAY
    )
    assert notice.version == 2 and notice.title == "Privacy notice"


def test_the_beat_task_wraps_the_sweeps(settings):
    assert tasks.privacy_sweeps_task.delay().get() == {"requests": 0, "breaches": 0, "dpias": 0}


# Pages and the admin ------------------------------------------------------------------------------


def test_a_breach_is_not_closed_before_the_decision(dpo_client, dpo):
    breach = BreachFactory(actor=dpo)
    page = dpo_client.get(f"/staff/privacy/breaches/{breach.pk}/").content.decode()
    assert "Record the ICO decision" in page and "Close the breach" not in page
    response = dpo_client.post(f"/staff/privacy/breaches/{breach.pk}/close/")
    assert response.status_code == 400
    assert "Error: Breach" in response.content.decode()
    assert Breach.objects.get(pk=breach.pk).closed_on is None


def test_the_erase_button_asks_first(dpo_client, dpo):
    r = DataRequestFactory(kind="erasure", actor=dpo, identity_confirmed_by_staff=True)
    response = dpo_client.get(f"/staff/privacy/requests/{r.pk}/erase/")
    assert "Are you sure you want to erase" in response.content.decode()
    assert DataRequest.objects.get(pk=r.pk).status == RequestStatus.OPEN


@pytest.fixture
def superuser_client(client):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.login(email="root@example.org", password=PASSWORD)
    return client


def test_the_admin_cannot_edit_a_requests_status_or_dates(superuser_client, settings, dpo):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    r = DataRequestFactory(actor=dpo, identity_confirmed_by_staff=True)
    page = superuser_client.get(f"/admin/privacy/datarequest/{r.pk}/change/").content.decode()
    for field in ("status", "due_on", "closed_on", "extended_to"):
        assert f'name="{field}"' not in page, field
    assert 'name="full_name"' in page
    response = superuser_client.post(
        f"/admin/privacy/datarequest/{r.pk}/change/",
        {"full_name": "Sam", "email": r.email, "details": "", "status": "completed"},
    )
    assert response.status_code == 302
    assert DataRequest.objects.get(pk=r.pk).status == RequestStatus.OPEN


def test_the_breach_admin_logs_through_the_service(superuser_client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    found = timezone.localtime(timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    response = superuser_client.post(
        "/admin/privacy/breach/add/",
        {
            "found_at_0": found.strftime("%Y-%m-%d"),
            "found_at_1": found.strftime("%H:%M:%S"),
            "what_happened": "A fictional list sent wrongly.",
            "data_categories": "names",
            "people_count": "2",
            "records_count": "2",
            "likely_consequences": "Low.",
            "measures_taken": "Recalled.",
            "people_told_at_0": "",
            "people_told_at_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    breach = Breach.objects.get()
    assert breach.reference.startswith("BR-")
    assert breach.ico_deadline == breach.found_at + dt.timedelta(hours=72)
    assert AuditEvent.objects.filter(action="privacy.breach.logged").count() == 1


def test_the_dpia_admin_saves_through_the_services(superuser_client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    fields = {
        "title": "Fictional DPIA",
        "screening": "s",
        "processing": "",
        "risks": "r",
        "measures": "m",
        "review_on": "2027-03-01",
        "signed_off_by": "Dana Fictional",
        "signed_off_on": "",
    }
    response = superuser_client.post("/admin/privacy/dpia/add/", fields)
    assert response.status_code == 200  # the form again: half a sign-off
    assert "A sign-off needs both" in response.content.decode()
    response = superuser_client.post("/admin/privacy/dpia/add/", {**fields, "signed_off_by": ""})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="privacy.dpia.created").count() == 1
