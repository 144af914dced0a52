"""Writes for complaints. Every state change goes through one function here: it locks the row,
checks the move against ``workflow.TRANSITIONS``, saves with ``update_fields``, writes the record
(what the policy calls the written record at every stage) and an audit event, and queues email on
commit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hubops import audit
from hubops.emails import attachment as email_attachment
from hubops.emails import queue_email
from hubops.formats import format_date, site_url
from hubops.models import Hub, User
from hubops.pdf import render_pdf, sha256_hex
from hubops.roles import Role, users_with_role
from hubops.selectors import school_calendar

from . import deadlines, letters, selectors, workflow
from .models import (
    OPEN_STATUSES,
    Attachment,
    Complaint,
    ComplaintRecord,
    Concerns,
    Delivery,
    FollowLink,
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    RecordKind,
    Route,
    Source,
    Status,
    Visibility,
)
from .workflow import ComplaintError, IllegalMove

__all__ = ["ComplaintError", "IllegalMove"]

COMPLAINANT_FIELDS = (
    "full_name",
    "email",
    "phone",
    "address",
    "relationship",
    "concerns",
    "subject_name",
    "about_kind",
    "about_detail",
    "issue_date",
    "what_happened",
    "done_so_far",
    "outcome_wanted",
    "adjustments",
)


_d = format_date  # "12 January 2026": hubops.formats, the one date formatter


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _site_url() -> str:
    return site_url()


def _lock(complaint_id: int) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint_id)


def _stage(c: Complaint) -> int:
    return {Status.INFORMAL: 1, Status.APPEAL: 3}.get(c.status, 2 if c.formal_on else 1)


def add_record(
    c: Complaint,
    *,
    kind: str,
    body: str,
    actor: Any = None,
    visibility: str = Visibility.INTERNAL,
) -> ComplaintRecord:
    return ComplaintRecord.objects.create(
        complaint=c,
        kind=kind,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        visibility=visibility,
        stage=_stage(c),
    )


# Routing -------------------------------------------------------------------------------------


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def subjects_for(concerns: str, subject_name: str) -> list[User]:
    """The users a complaint is about: every holder of the MHL or SLL role when it is about
    that role, and staff whose name matches the name given (all matches, to be safe)."""
    if concerns == Concerns.MHL:
        return list(users_with_role(Role.MHL))
    if concerns == Concerns.SLL:
        return list(users_with_role(Role.SLL))
    wanted = _normal(subject_name or "")
    if concerns in (Concerns.STAFF, Concerns.OTHER) and wanted:
        candidates = User.objects.filter(is_active=True).filter(
            is_staff=True
        ) | User.objects.filter(is_active=True, groups__name__in=[r.value for r in Role])
        return [u for u in candidates.distinct() if u.full_name and _normal(u.full_name) == wanted]
    return []


def route_for(concerns: str, subjects: list[User]) -> str:
    """The policy's routing: to the MHL; about the MHL to the SLL; about the SLL to the head
    of the Lead School. A named person who holds the role counts as the role."""
    names = {g for u in subjects for g in u.groups.values_list("name", flat=True)}
    if concerns == Concerns.SLL or Role.SLL.value in names:
        return Route.LEAD_SCHOOL_HEAD
    if concerns == Concerns.MHL or Role.MHL.value in names:
        return Route.SLL
    if concerns == Concerns.LEAD_SCHOOL:
        return Route.DFE
    return Route.MHL


def handler_title(c: Complaint) -> str:
    return {
        Route.MHL: "The Maths Hub Lead",
        Route.SLL: "The Senior Leadership Link",
        Route.LEAD_SCHOOL_HEAD: "The head teacher of the Lead School",
    }.get(c.route, "The Maths Hub Lead")


def handler_emails(c: Complaint) -> list[str]:
    """Who is told about a complaint and reminded of its deadlines (never a subject)."""
    subjects = set(c.subjects.values_list("pk", flat=True))
    if c.handler_id and c.handler_id not in subjects:
        return [c.handler.email]
    from .selectors import HANDLING_ROLES

    found = sorted(
        {
            u.email
            for role in HANDLING_ROLES[c.route]
            for u in users_with_role(role)
            if u.pk not in subjects and u.email
        }
    )
    if not found and c.route == Route.LEAD_SCHOOL_HEAD:
        found = [e for e in [_setting("COMPLAINTS_LEAD_SCHOOL_HEAD_EMAIL", "")] if e]
    return found


def escalation_emails(c: Complaint) -> list[str]:
    """Who hears when a deadline is missed: the SLL, or the Lead School's head when the
    complaint is about the SLL."""
    subjects = set(c.subjects.values_list("pk", flat=True))
    role = Role.LEAD_SCHOOL_HEAD if c.route == Route.LEAD_SCHOOL_HEAD else Role.SLL
    found = [u.email for u in users_with_role(role) if u.pk not in subjects]
    if not found and role == Role.LEAD_SCHOOL_HEAD:
        found = [e for e in [_setting("COMPLAINTS_LEAD_SCHOOL_HEAD_EMAIL", "")] if e]
    return found


# The private link ----------------------------------------------------------------------------

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{30,64}$")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def follow_token_for_submission(submission_key: str) -> str:
    """The private-link token of the complaint a form submission makes, derived from its
    one-time key (HMAC under ``SECRET_KEY``): every copy of a double submit knows the link the
    winning copy stored, so each shows the same confirmation. Only its hash is stored."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"complaints.follow:{submission_key}".encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def link_issue(c: Complaint, *, now: datetime | None = None, token: str | None = None) -> str:
    """A new private link for the complainant; only its hash is stored."""
    now = now or timezone.now()
    token = token or secrets.token_urlsafe(32)
    FollowLink.objects.create(
        complaint=c,
        token_hash=_hash(token),
        expires_at=now + timedelta(days=int(_setting("COMPLAINTS_FOLLOW_LINK_DAYS", 120))),
    )
    return token


def follow_url(token: str) -> str:
    return _site_url() + reverse("complaints:follow", args=[token])


def complaint_for_token(token: str, *, now: datetime | None = None) -> Complaint | None:
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    now = now or timezone.now()
    link = (
        FollowLink.objects.select_related("complaint")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    return link.complaint if link else None


@transaction.atomic
def links_revoke(*, complaint_id: int, actor: Any, now: datetime | None = None) -> int:
    c = _lock(complaint_id)
    n = c.links.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    add_record(
        c, kind=RecordKind.EVENT, body="The complainant's private link was revoked.", actor=actor
    )
    audit.record(actor, c, "complaints.complaint.link_revoked", data={"links": n})
    return n


@transaction.atomic
def link_send_new(*, complaint_id: int, actor: Any) -> str:
    """Revoke the old links and email a new one to the complainant."""
    c = _lock(complaint_id)
    c.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = link_issue(c)
    if c.email:
        queue_email(
            to=[c.email],
            template_prefix="complaints/email/new_link",
            context={"reference": c.reference, "full_name": c.full_name, "url": follow_url(token)},
        )
    add_record(c, kind=RecordKind.EVENT, body="A new private link was sent.", actor=actor)
    audit.record(actor, c, "complaints.complaint.link_issued")
    return token


# Attachments ---------------------------------------------------------------------------------

SNIFFED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}


def sniff(data: bytes) -> str | None:
    """The file's real type from its content (the name and the browser's word are ignored)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return "docx" if "word/document.xml" in names and "[Content_Types].xml" in names else None
    if not data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text or any(ord(ch) < 9 for ch in text):
        return None
    return "txt"


def store_attachment(
    *, data: bytes, original_name: str, complaint: Complaint | None = None, draft_key: str = ""
) -> Attachment:
    kind = sniff(data)
    if kind is None:
        raise ComplaintError("The file must be a PDF, PNG, JPEG, Word (.docx) or text file.")
    name = default_storage.save(
        f"complaints/attachments/{secrets.token_hex(16)}.{kind}", ContentFile(data)
    )
    safe_name = re.sub(r"[^\w .()-]", "_", (original_name or "file").rsplit("/", 1)[-1])[:200]
    return Attachment.objects.create(
        complaint=complaint,
        draft_key=draft_key,
        file=name,
        original_name=safe_name or "file",
        content_type=SNIFFED_TYPES[kind],
        size=len(data),
        sha256=sha256_hex(data),
    )


# Filing --------------------------------------------------------------------------------------


def _apply_formal_clock(c: Complaint, received: date) -> None:
    clock = deadlines.formal_clock(school_calendar(), received)
    c.formal_on = received
    c.clock_starts_on = clock.clock_starts_on
    c.ack_due_on = clock.ack_due_on
    c.response_due_on = clock.response_due_on
    c.deadline_note = clock.note


def _apply_lateness(c: Complaint) -> None:
    formal = c.status != Status.INFORMAL
    received = c.formal_on if formal and c.formal_on else c.received_on
    result = deadlines.lateness(school_calendar(), c.issue_date, received, formal=formal)
    c.late, c.late_note = result.late, result.note[:300]


@dataclass
class Filed:
    complaint: Complaint
    token: str


@transaction.atomic
def complaint_file(
    *,
    data: dict[str, Any],
    received_on: date,
    formal: bool,
    source: str = Source.FORM,
    actor: Any = None,
    draft_key: str = "",
    submission_key: str | None = None,
) -> Filed:
    """Take in a complaint (formal on the form, or an informal concern) and start its clocks.
    ``submission_key`` is the form's one-time key (see ``hubops.idempotency``): a second filing
    with the same key fails on its unique constraint, and its private link is derived from it."""
    fields = {k: data.get(k) for k in COMPLAINANT_FIELDS if k in data}
    for k, v in list(fields.items()):
        if v is None and k != "issue_date":
            fields[k] = ""
    concerns = fields.get("concerns") or Concerns.OTHER
    if concerns == Concerns.LEAD_SCHOOL:
        raise ComplaintError(
            "A complaint about the Lead School itself must be raised with the DfE directly."
        )
    subjects = subjects_for(concerns, fields.get("subject_name", ""))
    c = Complaint(
        **fields,
        source=source,
        status=Status.FORMAL if formal else Status.INFORMAL,
        route=route_for(concerns, subjects),
        received_on=received_on,
        submission_key=submission_key or None,
    )
    if formal:
        _apply_formal_clock(c, received_on)
    else:
        c.clock_starts_on = deadlines.clock_start(school_calendar(), received_on).on
    _apply_lateness(c)
    c.full_clean()
    c.save()
    c.subjects.set(subjects)
    if draft_key:
        Attachment.objects.filter(draft_key=draft_key, complaint__isnull=True).update(
            complaint=c, draft_key=""
        )
    how = Source(source).label.lower()
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"{'Formal complaint' if formal else 'Informal concern'} received ({how}).",
        actor=actor,
    )
    if c.late:
        add_record(c, kind=RecordKind.NOTE, body=c.late_note, actor=None)
    audit.record(
        actor,
        c,
        "complaints.complaint.filed",
        data={"formal": formal, "route": c.route, "late": c.late, "source": source},
    )
    token = link_issue(
        c, token=follow_token_for_submission(submission_key) if submission_key else None
    )
    _notify_filed(c, token)
    return Filed(c, token)


def copy_pdf(c: Complaint) -> bytes:
    return render_pdf(
        "complaints/pdf/complaint_copy.html",
        {
            "c": c,
            "hub": Hub.current(),
            "attachments": list(c.attachments.all()),
        },
    )


def _notify_filed(c: Complaint, token: str) -> None:
    if c.email:
        attachments = []
        if c.status == Status.FORMAL:
            attachments = [
                email_attachment(f"complaint-{c.reference}.pdf", copy_pdf(c), "application/pdf")
            ]
        queue_email(
            to=[c.email],
            template_prefix="complaints/email/received",
            context={
                "reference": c.reference,
                "full_name": c.full_name,
                "formal": c.status == Status.FORMAL,
                "ack_due_on": _d(c.ack_due_on),
                "response_due_on": _d(c.response_due_on),
                "url": follow_url(token),
                "late": c.late,
            },
            attachments=attachments,
        )
    to = handler_emails(c)
    if to:
        queue_email(
            to=to,
            template_prefix="complaints/email/new_for_handler",
            context={
                "reference": c.reference,
                "stage": c.get_status_display(),
                "url": _site_url() + reverse("complaints_staff:detail", args=[c.pk]),
                "ack_due_on": _d(c.ack_due_on),
            },
        )


@transaction.atomic
def complaint_redirect_to_dfe(*, today: date, relationship: str = "") -> Complaint:
    """A complaint about the Lead School itself is not taken in: the person is told to raise it
    with the DfE. We record that it happened (no personal details)."""
    contact = settings.HUBOPS_DFE_CONTACT_EMAIL
    c = Complaint.objects.create(
        source=Source.DFE_REDIRECT,
        status=Status.CLOSED,
        outcome=Outcome.REDIRECTED,
        route=Route.DFE,
        concerns=Concerns.LEAD_SCHOOL,
        relationship=relationship if relationship in dict(_relationships()) else "",
        received_on=today,
        closed_on=today,
        redirected_to=contact,
    )
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"About the Lead School itself: the person was told to contact the DfE ({contact}).",
    )
    audit.record(None, c, "complaints.complaint.redirected", data={"to": contact})
    return c


def _relationships():
    from .models import Relationship

    return Relationship.choices


# Handling ------------------------------------------------------------------------------------


@transaction.atomic
def complaint_add_note(
    *, complaint_id: int, actor: Any, kind: str, body: str, visibility: str
) -> ComplaintRecord:
    c = _lock(complaint_id)
    if kind not in {RecordKind.NOTE, RecordKind.CALL, RecordKind.MEETING, RecordKind.DECISION}:
        raise ComplaintError("Choose a note, call, meeting or decision.")
    if not body.strip():
        raise ComplaintError("Write what happened.")
    record = add_record(c, kind=kind, body=body.strip(), actor=actor, visibility=visibility)
    audit.record(actor, c, "complaints.complaint.recorded", data={"kind": kind})
    return record


@transaction.atomic
def complaint_make_formal(*, complaint_id: int, actor: Any, received_on: date) -> Complaint:
    """Stage 1 to stage 2: the complainant put the complaint in writing on ``received_on``."""
    c = _lock(complaint_id)
    workflow.check_move(c.status, Status.FORMAL)
    c.status = Status.FORMAL
    _apply_formal_clock(c, received_on)
    _apply_lateness(c)
    c.save(
        update_fields=[
            "status",
            "formal_on",
            "clock_starts_on",
            "ack_due_on",
            "response_due_on",
            "deadline_note",
            "late",
            "late_note",
            "updated_at",
        ]
    )
    add_record(c, kind=RecordKind.EVENT, body="Moved to stage 2: formal complaint.", actor=actor)
    audit.record(actor, c, "complaints.complaint.made_formal")
    return c


@transaction.atomic
def complaint_close(
    *, complaint_id: int, actor: Any, outcome: str, today: date, note: str = ""
) -> Complaint:
    c = _lock(complaint_id)
    if c.status == Status.RESPONDED:
        outcome = c.stage2_outcome or outcome
    workflow.check_close(c.status, outcome)
    was_appeal = c.status == Status.APPEAL
    c.status, c.outcome, c.closed_on = Status.CLOSED, outcome, today
    c.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    if was_appeal:
        _panel_access_ended(c, actor, sorted(c.panel.values_list("pk", flat=True)))
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"Closed: {Outcome(outcome).label}." + (f" {note.strip()}" if note.strip() else ""),
        actor=actor,
    )
    audit.record(actor, c, "complaints.complaint.closed", data={"outcome": outcome})
    return c


@transaction.atomic
def complaint_set_subjects(*, complaint_id: int, actor: Any, users: list[User]) -> Complaint:
    """Record who the complaint is about: they lose sight of it at once, and the complaint is
    re-routed if one of them holds the MHL or SLL role."""
    c = _lock(complaint_id)
    c.subjects.add(*users)
    everyone = list(c.subjects.all())
    route = route_for(c.concerns, everyone)
    changed = []
    if route != c.route and c.route != Route.DFE:
        c.route = route
        changed.append("route")
    if c.handler_id and c.handler_id in {u.pk for u in everyone}:
        c.handler = None
        changed.append("handler")
    if changed:
        c.save(update_fields=[*changed, "updated_at"])
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"People the complaint is about recorded ({len(users)}); handled by "
        f"{c.get_route_display()}.",
        actor=actor,
    )
    audit.record(actor, c, "complaints.complaint.subjects_set", data={"route": c.route})
    return c


@transaction.atomic
def complaint_set_actions(*, complaint_id: int, actor: Any, actions_taken: str) -> Complaint:
    c = _lock(complaint_id)
    c.actions_taken = actions_taken.strip()
    c.save(update_fields=["actions_taken", "updated_at"])
    audit.record(actor, c, "complaints.complaint.actions_recorded")
    return c


# Letters -------------------------------------------------------------------------------------


def letter_template(kind: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        subject, body = letters.DEFAULTS[kind]
        template = LetterTemplate(kind=kind, subject=subject, body=body)
    return template


def letter_context(c: Complaint, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    hub = Hub.current()

    d = format_date

    ctx = {
        "reference": c.reference,
        "complainant_name": c.full_name or "Sir or Madam",
        "received_on": d(c.formal_on or c.received_on),
        "ack_due_on": d(c.ack_due_on),
        "response_due_on": d(c.response_effective_due_on),
        "new_response_date": d(c.response_extended_to),
        "reason": c.holding_reason,
        "outcome": "",
        "summary": "",
        "appeal_window_ends_on": d(c.appeal_window_ends_on),
        "appeal_due_on": d(c.appeal_due_on),
        "signatory": handler_title(c),
        "hub_name": hub.name if hub else "The Maths Hub",
        "hub_email": hub.email if hub else "",
        "today": d(timezone.localdate()),
    }
    ctx.update(extra or {})
    return ctx


def _send_letter(
    c: Complaint,
    *,
    kind: str,
    actor: Any,
    today: date,
    delivery: str,
    extra: dict[str, Any] | None = None,
    token: str | None = None,
) -> Letter:
    template = letter_template(kind)
    ctx = letter_context(c, extra)
    try:
        subject = letters.render(template.subject, ctx)[:200]
        body = letters.render(template.body, ctx)
    except letters.LetterTemplateError as error:
        raise ComplaintError(
            f"The {LetterKind(kind).label.lower()} letter template cannot be used: {error}"
        ) from None
    if delivery == Delivery.EMAIL and not c.email:
        delivery = Delivery.POST
    hub = Hub.current()
    pdf = render_pdf(
        "complaints/pdf/letter.html",
        {"c": c, "hub": hub, "subject": subject, "body": body, "today": today},
    )
    name = default_storage.save(
        f"complaints/letters/{c.reference}-{kind}-{secrets.token_hex(6)}.pdf", ContentFile(pdf)
    )
    letter = Letter.objects.create(
        complaint=c,
        kind=kind,
        subject=subject,
        body=body,
        pdf=name,
        sha256=sha256_hex(pdf),
        delivery=delivery,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_on=today,
    )
    how = "emailed" if delivery == Delivery.EMAIL else "marked for post"
    add_record(
        c,
        kind=RecordKind.LETTER,
        body=f"{LetterKind(kind).label} letter {how}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    if delivery == Delivery.EMAIL:
        queue_email(
            to=[c.email],
            template_prefix="complaints/email/letter",
            context={
                "reference": c.reference,
                "full_name": c.full_name,
                "subject": subject,
                "body": body,
                "url": follow_url(token) if token else "",
            },
            attachments=[email_attachment(f"{c.reference}-{kind}.pdf", pdf, "application/pdf")],
        )
    audit.record(
        actor, c, f"complaints.letter.{kind}", data={"delivery": delivery, "letter": letter.pk}
    )
    return letter


@transaction.atomic
def complaint_acknowledge(
    *, complaint_id: int, actor: Any, today: date, delivery: str = Delivery.EMAIL
) -> Complaint:
    c = _lock(complaint_id)
    if c.status != Status.FORMAL:
        raise IllegalMove("Only a formal complaint at stage 2 is acknowledged in writing.")
    if c.acknowledged_on:
        raise IllegalMove(f"This complaint was acknowledged on {c.acknowledged_on:%-d %B %Y}.")
    c.acknowledged_on = today
    c.save(update_fields=["acknowledged_on", "updated_at"])
    _send_letter(c, kind=LetterKind.ACKNOWLEDGEMENT, actor=actor, today=today, delivery=delivery)
    audit.record(actor, c, "complaints.complaint.acknowledged")
    return c


@transaction.atomic
def complaint_send_holding_letter(
    *,
    complaint_id: int,
    actor: Any,
    today: date,
    reason: str,
    new_date: date,
    delivery: str = Delivery.EMAIL,
) -> Complaint:
    """Before the response is due, explain why it is not possible and give a new date."""
    c = _lock(complaint_id)
    if c.status != Status.FORMAL or c.responded_on:
        raise IllegalMove("A holding letter is only for a formal complaint awaiting its response.")
    due = c.response_effective_due_on
    if due and today > due:
        raise IllegalMove(
            f"The response was due on {due:%-d %B %Y}: a holding letter must be sent before the "
            "deadline runs out. Send the response now, and record why it was late."
        )
    if due and new_date <= due:
        raise ComplaintError(f"The new date must be after {due:%-d %B %Y}.")
    if not reason.strip():
        raise ComplaintError("Explain why the response will take longer.")
    c.response_extended_to = new_date
    c.holding_reason = reason.strip()
    c.save(update_fields=["response_extended_to", "holding_reason", "updated_at"])
    _send_letter(
        c,
        kind=LetterKind.HOLDING,
        actor=actor,
        today=today,
        delivery=delivery,
        extra={"response_due_on": format_date(due)},
    )
    audit.record(
        actor, c, "complaints.complaint.response_delayed", data={"new_date": new_date.isoformat()}
    )
    return c


@transaction.atomic
def complaint_respond(
    *,
    complaint_id: int,
    actor: Any,
    today: date,
    outcome: str,
    summary: str,
    delivery: str = Delivery.EMAIL,
) -> Complaint:
    """The stage 2 outcome letter; the appeal window opens."""
    c = _lock(complaint_id)
    workflow.check_move(c.status, Status.RESPONDED)
    if outcome not in {Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD}:
        raise ComplaintError("Choose upheld, partly upheld or not upheld.")
    if not summary.strip():
        raise ComplaintError("Write the findings and the reasons for the decision.")
    weeks = int(_setting("COMPLAINTS_APPEAL_WINDOW_SCHOOL_WEEKS", 4))
    c.status = Status.RESPONDED
    c.responded_on = today
    c.stage2_outcome = outcome
    c.stage2_summary = summary.strip()
    c.appeal_window_ends_on = deadlines.appeal_window_end(school_calendar(), today, weeks).on
    c.save(
        update_fields=[
            "status",
            "responded_on",
            "stage2_outcome",
            "stage2_summary",
            "appeal_window_ends_on",
            "updated_at",
        ]
    )
    token = link_issue(c)
    _send_letter(
        c,
        kind=LetterKind.STAGE2_OUTCOME,
        actor=actor,
        today=today,
        delivery=delivery,
        extra={"outcome": Outcome(outcome).label, "summary": c.stage2_summary},
        token=token,
    )
    add_record(
        c,
        kind=RecordKind.DECISION,
        body=f"Stage 2 decision: {Outcome(outcome).label}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    audit.record(actor, c, "complaints.complaint.responded", data={"outcome": outcome})
    return c


# The complainant, through the private link --------------------------------------------------


@transaction.atomic
def complaint_add_information(
    *, complaint_id: int, text: str, files: list[tuple[str, bytes]]
) -> ComplaintRecord:
    c = _lock(complaint_id)
    if not c.is_open:
        raise IllegalMove("This complaint is closed: contact the hub if you need to tell us more.")
    text = text.strip()
    if not text and not files:
        raise ComplaintError("Write something or attach a file.")
    for name, data in files:
        store_attachment(data=data, original_name=name, complaint=c)
    names = ", ".join(n for n, _ in files)
    record = add_record(
        c,
        kind=RecordKind.INFORMATION,
        body=text + (f"\n\nFiles: {names}" if names else ""),
        visibility=Visibility.SHARED,
    )
    audit.record(None, c, "complaints.complaint.information_added", data={"files": len(files)})
    to = (
        handler_emails(c)
        if c.status != Status.APPEAL
        else list(c.panel.values_list("email", flat=True))
    )
    if to:
        queue_email(
            to=to,
            template_prefix="complaints/email/information_added",
            context={
                "reference": c.reference,
                "url": _site_url() + reverse("complaints_staff:detail", args=[c.pk]),
            },
        )
    return record


def appeal_open(c: Complaint, today: date) -> bool:
    return (
        c.status == Status.RESPONDED
        and c.appeal_window_ends_on is not None
        and today <= c.appeal_window_ends_on
    )


@transaction.atomic
def complaint_request_appeal(
    *, complaint_id: int, today: date, grounds: str, actor: Any = None
) -> Complaint:
    c = _lock(complaint_id)
    workflow.check_move(c.status, Status.APPEAL)
    if not appeal_open(c, today):
        raise IllegalMove(
            f"The time to ask for an appeal ended on {c.appeal_window_ends_on:%-d %B %Y}."
            if c.appeal_window_ends_on
            else "An appeal can only be asked for after the stage 2 response."
        )
    if not grounds.strip():
        raise ComplaintError("Tell us why you are not satisfied with the response.")
    due = deadlines.appeal_due(school_calendar(), today)
    c.status = Status.APPEAL
    c.appeal_requested_on = today
    c.appeal_grounds = grounds.strip()
    c.appeal_due_on = due.on
    c.deadline_note = due.note
    c.save(
        update_fields=[
            "status",
            "appeal_requested_on",
            "appeal_grounds",
            "appeal_due_on",
            "deadline_note",
            "updated_at",
        ]
    )
    add_record(
        c,
        kind=RecordKind.EVENT,
        body=f"Appeal asked for. The panel must respond by {due.on:%-d %B %Y}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    audit.record(actor, c, "complaints.complaint.appeal_requested")
    subjects = set(c.subjects.values_list("pk", flat=True))
    to = [
        u.email
        for u in (users_with_role(Role.SLL) | users_with_role(Role.LEAD_SCHOOL_HEAD)).distinct()
        if u.pk not in subjects
    ] or escalation_emails(c)
    if to:
        queue_email(
            to=to,
            template_prefix="complaints/email/appeal_requested",
            context={
                "reference": c.reference,
                "due_on": _d(due.on),
                "url": _site_url() + reverse("complaints_staff:detail", args=[c.pk]),
            },
        )
    return c


# Stage 3: the appeal panel -------------------------------------------------------------------


# Audit actions at stage 3 or that only read: taking part in them is not handling the
# complaint before the appeal.
_NOT_HANDLING = (
    "complaints.complaint.viewed",
    "complaints.complaint.exported",
    "complaints.attachment.downloaded",
    "complaints.letter.downloaded",
    "complaints.complaint.appeal_requested",
    "complaints.complaint.panel_convened",
    "complaints.complaint.panel_member_added",
    "complaints.complaint.panel_member_removed",
    "complaints.complaint.panel_access_ended",
    "complaints.complaint.appeal_decided",
)


def involved_user_ids(c: Complaint) -> set[int]:
    """Everyone involved before the appeal: the people it is about, the handler, whoever
    wrote a record or a letter at stages 1 and 2, and whoever acted on it then (the audit
    log's non-reading actions)."""
    ids = set(c.subjects.values_list("pk", flat=True))
    if c.handler_id:
        ids.add(c.handler_id)
    ids.update(
        c.records.filter(stage__lt=3, author__isnull=False).values_list("author_id", flat=True)
    )
    ids.update(
        c.letters.exclude(kind=LetterKind.APPEAL_OUTCOME)
        .filter(created_by__isnull=False)
        .values_list("created_by_id", flat=True)
    )
    ids.update(
        audit.events_for(c)
        .filter(actor__isnull=False)
        .exclude(action__in=_NOT_HANDLING)
        .values_list("actor_id", flat=True)
    )
    return ids


def _panel_access_ended(c: Complaint, actor: Any, members: list[int]) -> None:
    """The appeal is over (or the member was taken off): their access to it ends, on record."""
    if members:
        audit.record(
            actor,
            c,
            "complaints.complaint.panel_access_ended",
            data={"members": sorted(members)},
        )


@transaction.atomic
def complaint_set_panel(*, complaint_id: int, actor: Any, members: list[User]) -> Complaint:
    """Convene (or change) the appeal panel. Only holders of ``Role.LEAD_SCHOOL_SENIOR_LEADER``
    who were not involved before the appeal may sit, never anyone the complaint is about. Each
    member is granted access to this one complaint until the appeal ends; every grant and
    removal is audited."""
    c = _lock(complaint_id)
    if c.status != Status.APPEAL:
        raise IllegalMove("A panel is convened only when an appeal has been asked for.")
    members = list({m.pk: m for m in members}.values())
    minimum = int(_setting("COMPLAINTS_APPEAL_PANEL_MIN", 2))
    if len(members) < minimum:
        raise ComplaintError(f"Choose at least {minimum} senior leaders for the panel.")
    involved = involved_user_ids(c)
    refusals = [why for m in members if (why := selectors.panel_refusal(c, m, involved))]
    if refusals:
        raise ComplaintError(" ".join(refusals))
    before = set(c.panel.values_list("pk", flat=True))
    c.panel.set(members)
    after = {m.pk for m in members}
    add_record(
        c,
        kind=RecordKind.EVENT,
        body="Appeal panel convened: " + ", ".join(m.full_name or m.email for m in members) + ".",
        actor=actor,
    )
    audit.record(
        actor,
        c,
        "complaints.complaint.panel_convened",
        data={"members": len(members), "member_ids": sorted(after)},
    )
    for member in members:
        if member.pk not in before:
            audit.record(
                actor,
                c,
                "complaints.complaint.panel_member_added",
                data={"member": member.pk, "access": "this complaint, until the appeal ends"},
            )
    for pk in sorted(before - after):
        audit.record(actor, c, "complaints.complaint.panel_member_removed", data={"member": pk})
    _panel_access_ended(c, actor, sorted(before - after))
    newcomers = [m.email for m in members if m.pk not in before]
    if newcomers:
        queue_email(
            to=newcomers,
            template_prefix="complaints/email/panel_convened",
            context={
                "reference": c.reference,
                "due_on": _d(c.appeal_due_on),
                "url": _site_url() + reverse("complaints_staff:detail", args=[c.pk]),
            },
        )
    return c


@transaction.atomic
def complaint_decide_appeal(
    *,
    complaint_id: int,
    actor: Any,
    today: date,
    outcome: str,
    summary: str,
    delivery: str = Delivery.EMAIL,
) -> Complaint:
    """The panel's written decision, marked final; the complaint closes."""
    c = _lock(complaint_id)
    workflow.check_close(c.status, outcome)
    if c.status != Status.APPEAL:
        raise IllegalMove("There is no appeal to decide.")
    if not c.panel.filter(pk=actor.pk).exists():
        raise ComplaintError("Only a member of the appeal panel can record its decision.")
    if outcome not in {Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD}:
        raise ComplaintError("Choose upheld, partly upheld or not upheld.")
    if not summary.strip():
        raise ComplaintError("Write the panel's findings and reasons.")
    c.status = Status.CLOSED
    c.outcome = outcome
    c.appeal_outcome = outcome
    c.appeal_summary = summary.strip()
    c.appeal_decided_on = today
    c.decision_final = True
    c.closed_on = today
    c.save(
        update_fields=[
            "status",
            "outcome",
            "appeal_outcome",
            "appeal_summary",
            "appeal_decided_on",
            "decision_final",
            "closed_on",
            "updated_at",
        ]
    )
    _send_letter(
        c,
        kind=LetterKind.APPEAL_OUTCOME,
        actor=actor,
        today=today,
        delivery=delivery,
        extra={"outcome": Outcome(outcome).label, "summary": c.appeal_summary},
    )
    add_record(
        c,
        kind=RecordKind.DECISION,
        body=f"Appeal decision (final): {Outcome(outcome).label}.",
        actor=actor,
        visibility=Visibility.SHARED,
    )
    audit.record(actor, c, "complaints.complaint.appeal_decided", data={"outcome": outcome})
    _panel_access_ended(c, actor, sorted(c.panel.values_list("pk", flat=True)))
    return c


# Letter templates and policy -----------------------------------------------------------------


@transaction.atomic
def letter_template_save(*, kind: str, subject: str, body: str, actor: Any) -> LetterTemplate:
    letters.validate(subject)
    letters.validate(body)
    template, _ = LetterTemplate.objects.update_or_create(
        kind=kind, defaults={"subject": subject, "body": body}
    )
    audit.record(actor, template, "complaints.lettertemplate.saved")
    return template


def ensure_letter_templates() -> None:
    for kind, (subject, body) in letters.DEFAULTS.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


# The calendar changed ------------------------------------------------------------------------


def recompute_deadlines() -> int:
    """Recount every open complaint's deadlines on the current school calendar (registered with
    ``hubops.ports``). A date staff set in a holding letter is kept."""
    cal = school_calendar()
    changed = 0
    for c in Complaint.objects.filter(status__in=OPEN_STATUSES):
        before = (c.ack_due_on, c.response_due_on, c.appeal_due_on, c.late, c.clock_starts_on)
        if c.formal_on:
            clock = deadlines.formal_clock(cal, c.formal_on)
            c.clock_starts_on = clock.clock_starts_on
            c.ack_due_on, c.response_due_on = clock.ack_due_on, clock.response_due_on
            c.deadline_note = clock.note
        else:
            c.clock_starts_on = deadlines.clock_start(cal, c.received_on).on
        if c.appeal_requested_on:
            due = deadlines.appeal_due(cal, c.appeal_requested_on)
            c.appeal_due_on, c.deadline_note = due.on, due.note
        _apply_lateness(c)
        after = (c.ack_due_on, c.response_due_on, c.appeal_due_on, c.late, c.clock_starts_on)
        if after != before or c.deadline_note:
            c.save(
                update_fields=[
                    "clock_starts_on",
                    "ack_due_on",
                    "response_due_on",
                    "appeal_due_on",
                    "deadline_note",
                    "late",
                    "late_note",
                    "updated_at",
                ]
            )
            changed += 1
    return changed
