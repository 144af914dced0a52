"""Personal-data declarations for Django's and third-party apps' models, and for privacy's own.

(The hubops models are declared in ``hubops/personal_data.py``; each other app declares its
own.)"""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models

from hubops.personal_data import REDACTED, Category, Erase, Person, Retention, register

from .models import DPIA
from .services.data_requests import data_request_create

# Django ------------------------------------------------------------------------------------------


def _logentry_rows(person: Person) -> models.QuerySet:
    query = models.Q(pk__in=[])
    if person.user is not None:
        query |= models.Q(user=person.user)
    for needle in person.needles:
        query |= models.Q(object_repr__icontains=needle) | models.Q(
            change_message__icontains=needle
        )
    return LogEntry.objects.filter(query)


def _redact_logentries(person: Person) -> int:
    query = models.Q(pk__in=[])
    for needle in person.needles:
        query |= models.Q(object_repr__icontains=needle) | models.Q(
            change_message__icontains=needle
        )
    changed = 0
    for entry in LogEntry.objects.filter(query):
        entry.object_repr = REDACTED
        if any(n.lower() in entry.change_message.lower() for n in person.needles):
            entry.change_message = REDACTED
        entry.save(update_fields=["object_repr", "change_message"])
        changed += 1
    return changed


register(
    "admin.LogEntry",
    description="Changes staff made in the admin site.",
    personal={
        "user": Category.IDENTIFIER,
        "object_repr": Category.NAME,
        "change_message": Category.FREE_TEXT,
    },
    not_personal=["action_time", "content_type", "object_id", "action_flag"],
    find=_logentry_rows,
    erase=Erase.REDACT,
    redact=_redact_logentries,
    retention=Retention.keep("Kept as part of the hub's accountability record; redacted."),
)
register("auth.Permission", not_personal="__all__")
register("auth.Group", not_personal="__all__")
register("contenttypes.ContentType", not_personal="__all__")


def _session_rows(person: Person) -> models.QuerySet:
    if person.user is None:
        return Session.objects.none()
    keys = [
        s.session_key
        for s in Session.objects.all()
        if str(s.get_decoded().get("_auth_user_id", "")) == str(person.user.pk)
    ]
    return Session.objects.filter(session_key__in=keys)


register(
    "sessions.Session",
    description="Your signed-in sessions.",
    personal={"session_data": Category.ONLINE, "session_key": Category.ONLINE},
    not_personal=["expire_date"],
    find=_session_rows,
    export=lambda s: {"expires": s.expire_date.isoformat()},
    erase=Erase.DELETE,
    retention=Retention.after("expire_date", 0, "Deleted when the session expires"),
)

# allauth -----------------------------------------------------------------------------------------

register(
    "account.EmailAddress",
    description="Your sign-in email addresses.",
    personal={"user": Category.IDENTIFIER, "email": Category.EMAIL},
    not_personal=["verified", "primary"],
    user_field="user",
    email_field="email",
    export_extra=("verified", "primary"),
    erase=Erase.DELETE,
    retention=Retention.programme(),
)
register(
    "account.EmailConfirmation",
    personal={"email_address": Category.IDENTIFIER, "key": Category.CREDENTIAL},
    not_personal=["created", "sent"],
    user_field="email_address__user",
    email_field="email_address__email",
    export=lambda c: {"created": c.created.isoformat(), "key": "(secret; not shown)"},
    erase=Erase.DELETE,
    retention=Retention.after("created", 1, "Deleted a month after it was sent"),
)
register(
    "mfa.Authenticator",
    description="Your two-factor authentication devices.",
    personal={
        "user": Category.IDENTIFIER,
        "data": Category.CREDENTIAL,
        "created_at": Category.ONLINE,
        "last_used_at": Category.ONLINE,
    },
    not_personal=["type"],
    user_field="user",
    export=lambda a: {
        "type": a.get_type_display(),
        "created_at": a.created_at.isoformat() if a.created_at else None,
        "last_used_at": a.last_used_at.isoformat() if a.last_used_at else None,
        "data": "(secret; not shown)",
    },
    erase=Erase.DELETE,
    retention=Retention.programme(),
)

# django_celery_beat: the task schedule, no personal data ----------------------------------------

for _label in (
    "django_celery_beat.SolarSchedule",
    "django_celery_beat.IntervalSchedule",
    "django_celery_beat.ClockedSchedule",
    "django_celery_beat.CrontabSchedule",
    "django_celery_beat.PeriodicTasks",
    "django_celery_beat.PeriodicTask",
):
    register(_label, not_personal="__all__", description="The scheduled-task table.")

# privacy's own models ----------------------------------------------------------------------------

register(
    "privacy.DataRequest",
    description="Your requests about your personal data, and their outcomes.",
    personal={
        "full_name": Category.NAME,
        "email": Category.EMAIL,
        "user": Category.IDENTIFIER,
        "details": Category.FREE_TEXT,
        "verification_token": Category.CREDENTIAL,
        "extension_reason": Category.FREE_TEXT,
        "outcome": Category.FREE_TEXT,
    },
    not_personal=[
        "reference",
        "kind",
        "received_on",
        "due_on",
        "extended_to",
        "status",
        "identity_verified_at",
        "identity_verified_by",
        "closed_on",
        "via_staff",
        "submission_key",
        "created_at",
        "updated_at",
    ],
    user_field="user",
    email_field="email",
    export=lambda r: {
        "reference": r.reference,
        "kind": r.get_kind_display(),
        "full_name": r.full_name,
        "email": r.email,
        "details": r.details,
        "received_on": r.received_on.isoformat(),
        "due_on": r.effective_due_on.isoformat(),
        "status": r.get_status_display(),
        "outcome": r.outcome,
    },
    # The log of requests and outcomes is kept (accountability); who made it is anonymised.
    erase=Erase.ANONYMISE,
    anonymise={
        "full_name": "[erased]",
        "email": lambda r: f"erased-request-{r.pk}@erased.invalid",
        "user": None,
        "details": "",
        "verification_token": lambda r: f"erased-{r.pk}",
        "extension_reason": "",
    },
    retention=Retention.programme("received_on"),
    example=lambda user: data_request_create(
        kind="access",
        full_name=user.full_name,
        email=user.email,
        details=f"My TRN is {user.trn}; I am {user.full_name}.",
        received_on=dt.date(2026, 3, 2),
    ),
)
register(
    "privacy.NoticeAcceptance",
    description="The versions of the privacy notice you accepted.",
    personal={"user": Category.IDENTIFIER, "accepted_at": Category.PREFERENCE},
    not_personal=["notice"],
    user_field="user",
    export=lambda a: {"version": a.notice.version, "accepted_at": a.accepted_at.isoformat()},
    erase=Erase.DELETE,
    retention=Retention.programme("accepted_at"),
)
register(
    "privacy.Restriction",
    description="Restrictions of processing you asked for.",
    personal={"email": Category.EMAIL, "user": Category.IDENTIFIER, "reason": Category.FREE_TEXT},
    not_personal=["request", "started_on", "lifted_on"],
    user_field="user",
    email_field="email",
    export_extra=("started_on", "lifted_on"),
    erase=Erase.DELETE,
    retention=Retention.programme("started_on"),
)
register(
    "privacy.MailingObjection",
    description="Your objection to CPD mailings.",
    personal={"email": Category.EMAIL},
    not_personal=["objected_at", "source"],
    email_field="email",
    export_extra=("objected_at", "source"),
    erase=Erase.DELETE,
    retention=Retention.programme("objected_at"),
)
register("privacy.PrivacyNotice", not_personal="__all__")
register("privacy.LegalHold", not_personal="__all__")
register("privacy.RetentionSettings", not_personal="__all__")
register(
    "privacy.RetentionRun",
    personal={"approved_by": Category.IDENTIFIER},
    not_personal=["prepared_at", "as_of", "report", "approved_at", "executed_at", "destroyed"],
    user_field="approved_by",
    erase=Erase.ANONYMISE,
    retention=Retention.keep("The destruction log is kept (counts only)."),
)
register(
    "privacy.Disclosure",
    personal={"recorded_by": Category.IDENTIFIER},
    not_personal=[
        "disclosed_on",
        "recipient",
        "purpose",
        "lawful_basis",
        "data_categories",
        "people_count",
        "source",
        "created_at",
    ],
    user_field="recorded_by",
    erase=Erase.ANONYMISE,
    retention=Retention.keep("The sharing log is kept for accountability (no names in it)."),
)
register(
    "privacy.DPIA",
    personal={"signed_off_by": Category.NAME},
    not_personal=[
        "title",
        "screening",
        "processing",
        "risks",
        "measures",
        "review_on",
        "signed_off_on",
        "created_at",
        "updated_at",
    ],
    find=lambda person: _dpias_signed_by(person),
    erase=Erase.ANONYMISE,
    anonymise={"signed_off_by": "[redacted]"},
    retention=Retention.keep("Kept while the processing it assesses continues."),
)
register(
    "privacy.Breach",
    not_personal=[
        "reference",
        "found_at",
        "ico_deadline",
        "what_happened",
        "data_categories",
        "people_count",
        "records_count",
        "likely_consequences",
        "measures_taken",
        "ico_notified_at",
        "ico_not_notified_reason",
        "people_told_at",
        "closed_on",
        "created_at",
        "updated_at",
    ],
)


def _dpias_signed_by(person):
    # An empty IN () matches nothing; PostgreSQL refuses a NUL placeholder in text.
    return DPIA.objects.filter(signed_off_by__in=list(person.names))
