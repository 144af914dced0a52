"""Retention (dry run, approval, destruction log, legal holds), restriction, sharing log,
breach clock, and the versioned notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from hubops import personal_data as pd
from hubops.emails import allowed_recipients
from hubops.models import User
from privacy import reminders, services, tasks
from privacy.models import (
    Disclosure,
    NoticeAcceptance,
    PrivacyNotice,
    RetentionRun,
)
from tests.factories import PASSWORD, UserFactory
from tests.privacy.factories import (
    DPIAFactory,
    LegalHoldFactory,
    PrivacyNoticeFactory,
    RetentionSettingsFactory,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db

PROGRAMME_END = dt.date(2027, 3, 31)


@pytest.fixture
def programme():
    return RetentionSettingsFactory(programme_ends_on=PROGRAMME_END)


def _users(n):
    return [UserFactory(date_joined=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)) for _ in range(n)]


def test_nothing_is_due_before_programme_end_plus_six_months(programme):
    _users(2)
    assert services.retention_plan(dt.date(2027, 9, 29)) == {}
    assert reminders.retention_sweep(today=dt.date(2027, 9, 29)) is None
    assert not RetentionRun.objects.exists()


def test_dry_run_then_approval_then_destruction_with_counts_only(
    programme, dpo, django_capture_on_commit_callbacks
):
    people = _users(3)
    held = people[0]
    LegalHoldFactory(object_type="hubops.user", object_id=str(held.pk), reason="Claim")
    day = dt.date(2027, 10, 1)  # programme end + 6 months has passed
    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.retention_sweep(today=day)
    assert run is not None
    # 3 people - 1 held = 2 anonymised; the data protection lead's staff account is not due.
    assert run.report["hubops.user"]["count"] == 2
    assert run.report["hubops.user"]["held"] == 1
    assert "Retention" in mail.outbox[-1].subject and mail.outbox[-1].to == [dpo.email]
    # Dry run: nothing changed until staff approve.
    assert User.objects.filter(email__endswith="@erased.invalid").count() == 0
    reminders.retention_sweep(today=day)  # the same day again: no second run
    assert RetentionRun.objects.count() == 1
    services.retention_run_approve(retention_run_id=run.pk, actor=dpo)
    tasks.retention_task.delay()  # the beat task, eager in tests, with today's real date
    run.refresh_from_db()
    assert run.executed_at is not None
    assert run.destroyed == {"hubops.user": 2}
    assert all(isinstance(v, int) for v in run.destroyed.values())  # counts, never content
    held.refresh_from_db()
    assert held.full_name.startswith("Alex Fictional")
    assert User.objects.filter(email__endswith="@erased.invalid").count() == 2
    dpo.refresh_from_db()
    assert dpo.is_active and not dpo.email.endswith("@erased.invalid")


def test_restriction_drops_person_from_emails_and_exports(
    teacher, dpo, django_capture_on_commit_callbacks
):
    r = services.data_request_create(
        kind="restriction",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    assert not pd.is_restricted(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        services.restriction_carry_out(data_request_id=r.pk, actor=dpo, today=TODAY)
    assert pd.is_restricted(teacher) and pd.is_restricted("ALEX.FICTIONAL@example.org")
    assert teacher.pk in pd.restricted_user_ids()
    assert allowed_recipients([teacher.email, "other@example.org"]) == ["other@example.org"]
    qs = pd.exclude_restricted(User.objects.all(), user_field="pk")
    assert teacher not in qs and dpo in qs
    qs = pd.exclude_restricted(User.objects.all(), email_field="email")
    assert teacher not in qs
    services.restriction_lift(restriction_id=pd_restriction_id(teacher), today=TODAY, actor=dpo)
    assert not pd.is_restricted(teacher)


def pd_restriction_id(user):
    from privacy.models import Restriction

    return Restriction.objects.get(email=user.email, lifted_on__isnull=True).pk


def test_disclosure_hook_logs_sharing(dpo):
    d = pd.record_disclosure(
        recipient="Department for Education",
        purpose="Participation return",
        lawful_basis="Public task",
        data_categories=["name", "school"],
        people_count=42,
        actor=dpo,
        source="workgroups.export",
    )
    assert isinstance(d, Disclosure)
    assert Disclosure.objects.get().people_count == 42
    assert Disclosure.objects.get().data_categories == "name, school"


def test_sharing_and_breach_pages(dpo_client, dpo):
    pd.record_disclosure(
        recipient="NCETM",
        purpose="Evaluation",
        lawful_basis="Public task",
        data_categories=["name"],
        people_count=3,
        actor=dpo,
    )
    assert "NCETM" in dpo_client.get("/staff/privacy/sharing/").content.decode()
    found = timezone.now() - dt.timedelta(hours=80)
    services.breach_log(
        found_at=found,
        what_happened="Email to wrong school",
        data_categories="name",
        people_count=1,
        records_count=1,
        likely_consequences="Low",
        measures_taken="Recalled",
    )
    body = dpo_client.get("/staff/privacy/breaches/").content.decode()
    assert "Overdue" in body and "Decision needed" in body
    csv = dpo_client.get("/staff/privacy/key-contacts.csv").content.decode()
    assert "Data protection lead" in csv and dpo.email in csv


def test_breach_clock_reminds_once_per_step(dpo, django_capture_on_commit_callbacks):
    found = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
    breach = services.breach_log(
        found_at=found,
        what_happened="Lost laptop",
        data_categories="name, email",
        people_count=30,
        records_count=30,
        likely_consequences="Phishing",
        measures_taken="Remote wipe",
    )
    assert breach.ico_deadline == found + dt.timedelta(hours=72)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.breach_clock_sweep(today=TODAY, now=found + dt.timedelta(hours=1)) == 0
        assert reminders.breach_clock_sweep(today=TODAY, now=found + dt.timedelta(hours=25)) == 1
        assert reminders.breach_clock_sweep(today=TODAY, now=found + dt.timedelta(hours=26)) == 0
        assert reminders.breach_clock_sweep(today=TODAY, now=found + dt.timedelta(hours=73)) == 2
    assert len([m for m in mail.outbox if "Breach" in m.subject]) == 3
    breach.ico_notified_at = found + dt.timedelta(hours=70)
    breach.save()
    assert breach.ico_told_in_time is True


def test_notice_shows_current_version_and_records_acceptance(client, teacher, notice):
    body = client.get("/privacy/").content.decode()
    assert "Version 1" in body and "Last updated 1 September 2025" in body
    client.login(email=teacher.email, password=PASSWORD)
    body = client.get("/privacy/").content.decode()
    assert "I have read this version" in body
    client.post("/privacy/accept/", {"notice": notice.pk})
    assert NoticeAcceptance.objects.filter(user=teacher, notice=notice).exists()
    assert "I have read this version" not in client.get("/privacy/").content.decode()
    # A new version: the returning user is told at sign-in and asked again.
    v2 = PrivacyNoticeFactory(
        version=2,
        body="We now also keep X.",
        published_on=dt.date(2026, 1, 1),
        summary_of_changes="we added X",
    )
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": teacher.email, "password": PASSWORD}, follow=True
    )
    assert "Our privacy notice has changed (version 2" in response.content.decode()
    body = client.get("/privacy/").content.decode()
    assert "Version 2" in body and "we added X" in body and "I have read this version" in body
    client.post("/privacy/accept/", {"notice": v2.pk})
    assert teacher.notice_acceptances.count() == 2


def test_dpia_register_and_review_reminder(dpo_client, dpo, django_capture_on_commit_callbacks):

    DPIAFactory(title="Work Group registrations", review_on=dt.date(2026, 4, 1))
    body = dpo_client.get("/staff/privacy/dpias/").content.decode()
    assert "Work Group registrations" in body and "Not signed off" in body
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.dpia_review_sweep(today=dt.date(2026, 2, 1)) == 0
        assert reminders.dpia_review_sweep(today=dt.date(2026, 3, 5)) == 1
        assert reminders.dpia_review_sweep(today=dt.date(2026, 3, 6)) == 0
    assert mail.outbox[-1].subject == "DPIA review due: Work Group registrations"


def test_record_view_helper_lists_viewers(dpo, teacher):
    pd.record_view(dpo, teacher)
    pd.record_view(dpo, teacher, exported=True)
    assert [e.action for e in pd.views_of(teacher)] == [
        "hubops.user.exported",
        "hubops.user.viewed",
    ]


def test_demo_loads_the_real_notice_idempotently(client):
    from privacy import demo

    demo.load(hub=None, today=TODAY)
    demo.load(hub=None, today=TODAY)
    assert PrivacyNotice.objects.count() == 1
    body = client.get("/privacy/").content.decode()
    assert '<h2 class="hub-heading-l">Your data protection rights</h2>' in body
    assert "Last updated 1 September 2023" in body


def test_anonymised_rows_are_not_due_again(programme, dpo):
    _users(2)
    day = dt.date(2027, 10, 1)
    run = services.retention_run_prepare(today=day)
    services.retention_run_approve(retention_run_id=run.pk, actor=dpo)
    services.retention_run_execute(retention_run_id=run.pk, today=day)
    # The next day nothing is left to do: no new dry-run report to review.
    assert services.retention_plan(day + dt.timedelta(days=1)) == {}
    assert reminders.retention_sweep(today=day + dt.timedelta(days=1)) is None
