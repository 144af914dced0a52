"""The hubops models' own personal-data declarations: the user account, the audit log, the
reminder log, the outbox, GIAS imports and the models that hold no personal data.

Every app declares its models in ``<app>/personal_data.py``; hubops' ``personal_data`` module
is the declaration API itself, so hubops declares here, and
:func:`hubops.personal_data.discover` finds this module the same way it finds the apps' (see
``DECLARATION_MODULES`` there). Imported once the models are loaded.
"""

from __future__ import annotations

import re

from django.db import models

from .audit import redact_person
from .models import (
    AuditEvent,
    OutgoingAttachment,
    OutgoingFile,
    OutgoingMessage,
    ReminderLog,
    User,
)
from .personal_data import ERASED, REDACTED, Category, Erase, Person, Retention, register


def _user_rows(person: Person) -> models.QuerySet:
    query = models.Q(pk__in=[])
    if person.user is not None and person.user.pk is not None:
        query |= models.Q(pk=person.user.pk)
    if person.email:
        query |= models.Q(email__iexact=person.email)
    return User.objects.filter(query)


def _redact_audit(person: Person) -> int:
    return redact_person(user=person.user, needles=person.needles)


def _audit_rows(person: Person) -> models.QuerySet:
    # Every key here is indexed (the actor, the record, the normalised address of the person a
    # record is about): the export's cost does not grow with the whole log. Erasure still
    # searches free text for the person's names (``audit.redact_person``).
    query = models.Q()
    if person.user is not None:
        query |= models.Q(actor=person.user)
        query |= models.Q(object_type="hubops.user", object_id=str(person.user.pk))
    if person.email:
        query |= models.Q(subject_email=person.email.strip().lower())
    if not query:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(query)


def _addressed_to(person: Person, column: str) -> models.Q:
    """Rows sent to ``person``: a row to one person carries their address in its indexed
    ``email`` column; a row to several people (a role) leaves it blank, and among those the
    whole address is matched in the comma-separated ``column`` (never a substring: ``sam@x``
    must not find ``xsam@x``)."""
    address = person.email.strip().lower()
    whole = r"(^|,\s*)" + re.escape(address) + r"\s*(,|$)"
    return models.Q(email=address) | models.Q(email="", **{f"{column}__iregex": whole})


def _without(addresses: str, person: Person) -> list[str]:
    """The comma-separated ``addresses`` other than ``person``'s."""
    gone = person.email.strip().lower()
    return [a.strip() for a in addresses.split(",") if a.strip() and a.strip().lower() != gone]


def _reminder_rows(person: Person) -> models.QuerySet:
    if not person.email:
        return ReminderLog.objects.none()
    return ReminderLog.objects.filter(_addressed_to(person, "recipients"))


def _redact_reminders(person: Person) -> int:
    rows = list(_reminder_rows(person))
    for row in rows:
        row.recipients = ", ".join([*_without(row.recipients, person), REDACTED])
        row.email = ""
        row.save(update_fields=["recipients", "email"])
    return len(rows)


register(
    "hubops.User",
    description="Your account: name, contact details, school and Teacher Reference Number.",
    personal={
        "email": Category.EMAIL,
        "full_name": Category.NAME,
        "previous_names": Category.PREVIOUS_NAMES,
        "date_of_birth": Category.DATE_OF_BIRTH,
        "phone": Category.PHONE,
        "trn": Category.TRN,
        "school": Category.SCHOOL,
        "password": Category.CREDENTIAL,
        "last_login": Category.ONLINE,
        "date_joined": Category.PARTICIPATION,
        "groups": Category.ROLE,
        "user_permissions": Category.ROLE,
    },
    not_personal=["is_staff", "is_active", "is_superuser"],
    find=_user_rows,
    export=lambda u: {
        "id": u.pk,
        "email": u.email,
        "full_name": u.full_name,
        "previous_names": u.previous_names,
        "date_of_birth": u.date_of_birth.isoformat() if u.date_of_birth else None,
        "phone": u.phone,
        "trn": u.trn,
        "school": str(u.school) if u.school_id else None,
        "password": "(stored as a one-way hash; not shown)",
        "last_login": u.last_login.isoformat() if u.last_login else None,
        "date_joined": u.date_joined.isoformat(),
        "groups": sorted(u.groups.values_list("name", flat=True)),
        "user_permissions": sorted(u.user_permissions.values_list("codename", flat=True)),
    },
    # Keep the row (other records point at it) but leave nothing that identifies the person;
    # the account can no longer sign in.
    erase=Erase.ANONYMISE,
    anonymise={
        "email": lambda u: f"erased-user-{u.pk}@erased.invalid",
        "full_name": ERASED,
        "previous_names": "",
        "password": lambda u: "!erased",
        "last_login": None,
        "is_active": False,
        "date_joined": lambda u: u.date_joined,
    },
    retention=Retention.programme("date_joined"),
    # The notice's rule is for participants' data: the schedule never closes staff accounts
    # (they are closed by hand when someone leaves, or erased on request).
    retention_scope=lambda users: users.filter(is_staff=False, is_superuser=False),
)

register("hubops.Hub", not_personal="__all__", description="The hub's own contact details.")
register("hubops.HubLocalAuthority", not_personal="__all__")
register("hubops.School", not_personal="__all__", description="Schools from GIAS.")
register("hubops.AcademicYear", not_personal="__all__")
register("hubops.CalendarPeriod", not_personal="__all__")
register(
    "hubops.CacheOutage",
    not_personal="__all__",
    description="When the shared cache could not be reached (it is emptied after).",
)
register(
    "hubops.SchoolImport",
    description="GIAS school files you uploaded in the admin.",
    personal={"uploaded_by": Category.IDENTIFIER},
    not_personal=[
        "uploaded_at",
        "filename",
        "file",
        "la_codes",
        "status",
        "rows_done",
        "rows_total",
        "result",
        "error",
        "finished_at",
    ],
    user_field="uploaded_by",
    export_extra=["uploaded_at", "filename", "status"],
    erase=Erase.ANONYMISE,
    anonymise={"uploaded_by": None},
    retention=Retention.programme("uploaded_at"),
)

register(
    "hubops.AuditEvent",
    description="The audit log: who did what, when. Redacted, never deleted.",
    personal={
        "actor": Category.IDENTIFIER,
        "actor_label": Category.EMAIL,
        "object_label": Category.NAME,
        "data": Category.OTHER,
        "subject_email": Category.EMAIL,
    },
    not_personal=["at", "action", "object_type", "object_id"],
    find=_audit_rows,
    export=lambda e: {
        "id": e.pk,
        "at": e.at.isoformat(),
        "actor": e.actor_label,
        "action": e.action,
        "record": e.object_label,
        "data": e.data,
    },
    erase=Erase.REDACT,
    redact=_redact_audit,
    retention=Retention.keep(
        "Kept as the hub's accountability record; personal data in it is redacted on erasure."
    ),
)

register(
    "hubops.ReminderLog",
    description="Reminders sent to you.",
    personal={"recipients": Category.EMAIL, "email": Category.EMAIL},
    not_personal=["object_type", "object_id", "kind", "due_on", "sent_at"],
    find=_reminder_rows,
    erase=Erase.REDACT,
    redact=_redact_reminders,
    retention=Retention.programme("sent_at"),
)


def _outgoing_rows(person: Person) -> models.QuerySet:
    if not person.email:
        return OutgoingMessage.objects.none()
    return OutgoingMessage.objects.filter(_addressed_to(person, "to"))


def _erase_outgoing(person: Person) -> int:
    """Delete the mail sent to ``person`` alone (its attachments go with it); a message to
    several people stays for the others, with this person's address taken out."""
    rows = _outgoing_rows(person)
    _, deleted = rows.exclude(email="").delete()
    alone = deleted.get(OutgoingMessage._meta.label, 0)  # not counting their attachments
    shared = list(rows.filter(email=""))
    for row in shared:
        row.to = ", ".join([*_without(row.to, person), REDACTED])
        row.save(update_fields=["to"])
    return alone + len(shared)


def _outgoing_attachment_rows(person: Person) -> models.QuerySet:
    if not person.email:
        return OutgoingAttachment.objects.none()
    # Only the files of mail sent to this person alone: a file sent to a role is the role's.
    return OutgoingAttachment.objects.filter(
        message__email=person.email.strip().lower()
    ).select_related("file")


def _outgoing_file_rows(person: Person) -> models.QuerySet:
    """The files only this person's own mail carries (a file another email carries too, such
    as a session's calendar file, belongs to those emails as much as to this person's)."""
    if not person.email:
        return OutgoingFile.objects.none()
    email = person.email.strip().lower()
    others = OutgoingAttachment.objects.filter(file=models.OuterRef("pk")).exclude(
        message__email=email
    )
    return (
        OutgoingFile.objects.filter(attachments__message__email=email)
        .filter(~models.Exists(others))
        .distinct()
    )


register(
    "hubops.OutgoingMessage",
    description="Emails the hub sent you or is about to send you (the outbox).",
    personal={
        "to": Category.EMAIL,
        "email": Category.EMAIL,
        "reply_to": Category.EMAIL,
        "context": Category.OTHER,
        # List-Unsubscribe: a link whose token stands for the recipient.
        "headers": Category.OTHER,
        "subject": Category.OTHER,
        "last_error": Category.OTHER,
    },
    not_personal=[
        "message_id",
        "template_prefix",
        "status",
        "attempts",
        "next_attempt_at",
        "claim",
        "created_at",
        "sent_at",
    ],
    find=_outgoing_rows,
    export_extra=["template_prefix", "status", "created_at", "sent_at"],
    erase=Erase.REDACT,
    redact=_erase_outgoing,
    retention=Retention.after("created_at", months=6, rule="mail kept six months for support"),
)
register(
    "hubops.OutgoingAttachment",
    description="Files attached to those emails (PDF copies, letters, calendar files).",
    personal={"filename": Category.OTHER},
    not_personal=["message", "file", "mimetype"],
    find=_outgoing_attachment_rows,
    export=lambda a: {"filename": a.filename, "mimetype": a.mimetype, "bytes": a.file.size},
    erase=Erase.DELETE,
    retention=Retention.keep("deleted with its email (hubops.OutgoingMessage)"),
)
register(
    "hubops.OutgoingFile",
    description="The contents of those files, stored once for the emails sent together.",
    personal={"content": Category.OTHER},
    not_personal=["sha256", "size", "created_at"],
    find=_outgoing_file_rows,
    export=lambda f: {"sha256": f.sha256, "bytes": f.size, "stored": f.created_at.isoformat()},
    erase=Erase.DELETE,
    retention=Retention.keep("deleted with the last email that carries it"),
)
