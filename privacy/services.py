"""Privacy services: every write goes through one of these functions."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from hubops import audit
from hubops.emails import queue_email
from hubops.personal_data import (
    Category,
    Erase,
    Person,
    free_text_fields,
    personal_models,
    registry,
)
from hubops.selectors import school_calendar

from .models import (
    REQUEST_TRANSITIONS,
    Breach,
    DataRequest,
    Disclosure,
    LegalHold,
    MailingObjection,
    NoticeAcceptance,
    PrivacyNotice,
    RequestKind,
    RequestStatus,
    Restriction,
    RetentionRun,
    RetentionSettings,
)


class TransitionError(Exception):
    """A request cannot move to that status now; the message says why."""


# The notice --------------------------------------------------------------------------------------


def accept_notice(user: Any, notice: PrivacyNotice, *, now: dt.datetime | None = None) -> bool:
    """Record that ``user`` accepted ``notice``. Exactly once; returns whether it is new."""
    try:
        with transaction.atomic():
            NoticeAcceptance.objects.create(
                user=user, notice=notice, accepted_at=now or timezone.now()
            )
            audit.record(user, notice, "privacy.notice.accepted", data={"version": notice.version})
    except IntegrityError:
        return False
    return True


# Data-subject requests ---------------------------------------------------------------------------


def _reference(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3).upper()}"


def due_date(received_on: dt.date, months: int = 1) -> dt.date:
    """One calendar month from receipt (the ICO's rule), via the hub calendar."""
    return school_calendar().add_calendar_months(received_on, months)


def create_request(
    *,
    kind: str,
    full_name: str,
    email: str,
    details: str = "",
    received_on: dt.date,
    actor: Any = None,
    identity_confirmed_by_staff: bool = False,
    submission_key: str | None = None,
) -> DataRequest:
    """Log a request. From the public form the person's identity is checked by an emailed
    link; staff taking a request by phone or letter confirm identity themselves.
    ``submission_key`` is the public form's one-time key (``hubops.idempotency``): unique, so a
    second copy of the same submission fails instead of logging a second request."""
    from django.contrib.auth import get_user_model

    email = email.strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    with transaction.atomic():
        request = DataRequest.objects.create(
            reference=_reference("DSR"),
            kind=kind,
            full_name=full_name.strip(),
            email=email,
            user=user,
            details=details,
            received_on=received_on,
            due_on=due_date(received_on),
            verification_token=secrets.token_urlsafe(32),
            via_staff=actor is not None,
            submission_key=submission_key or None,
        )
        audit.record(actor, request, "privacy.datarequest.received", data={"kind": kind})
        if identity_confirmed_by_staff:
            _verify(request, by=f"staff: {getattr(actor, 'email', 'staff')}", actor=actor)
        else:
            queue_email(
                to=[email],
                template_prefix="privacy/email/verify",
                context={
                    "reference": request.reference,
                    "kind": request.get_kind_display(),
                    "token": request.verification_token,
                    "due_on": request.due_on.isoformat(),
                },
            )
    return request


def _move(request: DataRequest, to: str) -> None:
    if to not in REQUEST_TRANSITIONS[request.status]:
        raise TransitionError(
            f"A request that is {request.get_status_display().lower()} cannot become "
            f"{RequestStatus(to).label.lower()}."
        )
    request.status = to


def _verify(request: DataRequest, *, by: str, actor: Any = None) -> None:
    _move(request, RequestStatus.OPEN)
    request.identity_verified_at = timezone.now()
    request.identity_verified_by = by
    request.save(update_fields=["status", "identity_verified_at", "identity_verified_by"])
    audit.record(actor, request, "privacy.datarequest.verified", data={"by": by})


def verify_by_token(token: str) -> DataRequest | None:
    """The person clicked the emailed link. Returns the request, or None for a bad token."""
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().filter(verification_token=token).first()
        if request is None:
            return None
        if request.status == RequestStatus.AWAITING_VERIFICATION:
            _verify(request, by="emailed link")
    return request


def confirm_identity(request_id: int, *, actor: Any) -> DataRequest:
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        _verify(request, by=f"staff: {actor.email}", actor=actor)
    return request


def extend_request(request_id: int, *, reason: str, actor: Any, today: dt.date) -> DataRequest:
    """Extend by two further months, telling the person. Only within the first month."""
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        if request.is_closed:
            raise TransitionError("This request is closed.")
        if request.extended_to:
            raise TransitionError("This request has already been extended.")
        if today > request.due_on:
            raise TransitionError(
                "An extension must be made, and the person told, within the first month."
            )
        if not reason.strip():
            raise TransitionError("Give the reason for the extension; the person is told it.")
        request.extended_to = school_calendar().add_calendar_months(request.received_on, 3)
        request.extension_reason = reason.strip()
        request.save(update_fields=["extended_to", "extension_reason"])
        audit.record(
            actor, request, "privacy.datarequest.extended", data={"to": str(request.extended_to)}
        )
        queue_email(
            to=[request.email],
            template_prefix="privacy/email/extended",
            context={
                "reference": request.reference,
                "extended_to": request.extended_to.isoformat(),
                "reason": request.extension_reason,
            },
        )
    return request


def close_request(
    request_id: int, *, status: str, outcome: str, actor: Any, today: dt.date
) -> DataRequest:
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        _move(request, status)
        request.outcome = outcome
        request.closed_on = today
        request.save(update_fields=["status", "outcome", "closed_on"])
        audit.record(actor, request, "privacy.datarequest.closed", data={"status": status})
        queue_email(
            to=[request.email],
            template_prefix="privacy/email/closed",
            context={"reference": request.reference, "outcome": outcome},
        )
    return request


def person_for_request(request: DataRequest) -> Person:
    if request.user_id:
        person = Person.for_user(request.user)
        if request.full_name and request.full_name not in person.names:
            return person.with_name(request.full_name)
        return person
    return Person.for_email(request.email, request.full_name)


# Access ------------------------------------------------------------------------------------------


def collect(person: Person) -> list[dict[str, Any]]:
    """Everything held about ``person``, per registered model."""
    sections = []
    for declaration in personal_models():
        rows = [declaration.export_row(obj, person) for obj in declaration.rows(person)]
        if rows:
            model = declaration.model
            sections.append(
                {
                    "model": declaration.label,
                    "title": str(model._meta.verbose_name_plural).capitalize(),
                    "description": declaration.description,
                    "categories": sorted({str(c) for c in declaration.personal.values()}),
                    "retention": declaration.retention.rule,
                    "rows": rows,
                }
            )
    return sections


def access_export(person: Person, *, actor: Any = None, reference: str = "") -> bytes:
    """A ZIP with a readable PDF summary and the same data as JSON."""
    from hubops.pdf import render_pdf

    sections = collect(person)
    generated = timezone.now()
    payload = {
        "reference": reference,
        "generated_at": generated.isoformat(),
        "person": {"email": person.email, "names": list(person.names)},
        "sections": sections,
    }
    pdf = render_pdf(
        "privacy/pdf/access_summary.html",
        {"payload": payload, "sections": sections, "generated": generated, "reference": reference},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", pdf)
        archive.writestr("data.json", json.dumps(payload, indent=2, default=str))
        archive.writestr(
            "README.txt",
            "summary.pdf is a readable summary of the personal data the hub holds about you.\n"
            "data.json holds the same data in a machine-readable form.\n",
        )
    audit.record(
        actor,
        None,
        "privacy.access_export.generated",
        object_label=reference or "access export",
        data={"reference": reference, "sections": len(sections)},
    )
    return buffer.getvalue()


# Erasure -----------------------------------------------------------------------------------------


@dataclass
class ErasureReport:
    done: dict[str, int] = field(default_factory=dict)
    # Refused: the person's data stays, with the reason (a legal hold, an open complaint).
    refused: list[dict[str, str]] = field(default_factory=list)
    # Kept without identifying the person (e.g. attendance linked to an anonymised
    # registration, so figures add up): label -> [count, reason].
    kept: dict[str, list] = field(default_factory=dict)
    # Other people's records that named the person in free text (a note on someone else's
    # complaint): kept, because they are that other person's record, with the person's
    # names, email, phone and TRN redacted. label -> count.
    redacted: dict[str, int] = field(default_factory=dict)

    def as_text(self) -> str:
        lines = [f"{label}: {n} record(s) erased or anonymised" for label, n in self.done.items()]
        lines += [
            f"{label}: {n} record(s) kept without anything that identifies you ({reason})"
            for label, (n, reason) in self.kept.items()
        ]
        lines += [
            f"{label}: {n} record(s) kept because they are another person's record; your "
            "name and contact details in them were redacted"
            for label, n in self.redacted.items()
        ]
        lines += [
            f"Not erased: {r['model']} #{r['id']}, because {r['reason']}" for r in self.refused
        ]
        return "\n".join(lines) or "No personal data was found."


def held_ids(object_type: str) -> set[str]:
    return set(
        LegalHold.objects.filter(
            object_type__iexact=object_type, released_on__isnull=True
        ).values_list("object_id", flat=True)
    )


def erase_person(person: Person, *, actor: Any = None, today: dt.date) -> ErasureReport:
    """Erase or anonymise ``person`` everywhere the registry lists. Rows with a reason to keep
    them (an open complaint, a legal hold) are kept and reported. The user account goes last,
    the audit log is redacted (never deleted) at the very end."""
    report = ErasureReport()
    declarations = personal_models()
    order = sorted(
        declarations,
        key=lambda d: (d.erase == Erase.REDACT, d.label == "hubops.user"),
    )
    with transaction.atomic():
        # Find every row first: rows found through a parent (attendance through its
        # registration) must be found before the parent is anonymised.
        found = {
            d.label: list(d.rows(person))
            for d in order
            if d.erase_with is None and d.erase != Erase.REDACT
        }
        for declaration in order:
            label = declaration.label
            if declaration.erase_with is not None:
                result = declaration.erase_with(person, today)
                report.done[label] = int(result.get("erased", 0))
                report.refused += [
                    {"model": label, "id": str(i), "reason": r}
                    for i, r in result.get("refused", [])
                ]
                continue
            if declaration.erase == Erase.REDACT:
                if declaration.redact is not None:
                    n = declaration.redact(person)
                    if n:
                        report.done[label] = n
                continue
            holds = held_ids(label)
            count = 0
            for obj in found[label]:
                reason = None
                if str(obj.pk) in holds:
                    reason = HELD
                elif declaration.keep_if is not None:
                    reason = declaration.keep_if(obj)
                if reason:
                    report.refused.append({"model": label, "id": str(obj.pk), "reason": reason})
                    continue
                if declaration.erase == Erase.KEEP:
                    n, _ = report.kept.get(label, [0, ""])
                    report.kept[label] = [n + 1, declaration.keep_reason or "kept by law"]
                    continue
                if declaration.erase == Erase.DELETE:
                    obj.delete()
                else:
                    try:
                        declaration.anonymise_row(obj)
                    except DatabaseError:
                        continue  # already gone with a parent row deleted above
                count += 1
            if count:
                report.done[label] = count
        _redact_free_text(
            person,
            report,
            own={label: {obj.pk for obj in rows} for label, rows in found.items()},
            declarations=registry().values(),
        )
        # Privacy's own request rows are anonymised last (the log keeps the request and outcome).
        audit.record(
            actor,
            None,
            "privacy.person.erased",
            object_label="[redacted]",
            data={
                "done": report.done,
                "refused": len(report.refused),
                "kept": {label: n for label, (n, _) in report.kept.items()},
                "redacted": report.redacted,
            },
        )
    return report


HELD = "a legal hold applies to this record"
IDENTITY_CATEGORIES = {
    Category.NAME,
    Category.PREVIOUS_NAMES,
    Category.EMAIL,
    Category.PHONE,
    Category.TRN,
    Category.DATE_OF_BIRTH,
    Category.ADDRESS,
}


def _mentions(person: Person, declaration, fields) -> models.QuerySet:
    query = models.Q(pk__in=[])
    for f in fields:
        for term in person.search_terms():
            query |= models.Q(**{f"{f.name}__icontains": term})
        digits = person.phone_digits
        if len(digits) >= 6 and not isinstance(f, models.JSONField):
            query |= models.Q(**{f"{f.name}__iregex": r"[^0-9]{0,2}".join(digits)})
    return declaration.model._default_manager.filter(query)


def _redact_free_text(person: Person, report: ErasureReport, *, own, declarations) -> None:
    """Search every declared free-text field of every model for the person's identifiers and
    redact them where found, in anyone's record. Left as they are, and reported: records
    under a legal hold, rows whose erasure was refused (an open complaint), and fields a
    declaration keeps whole (``keep_text``: a signed, frozen record). A record that also
    holds a file (a letter's PDF) keeps its file as it was sent, and the report says so."""
    if person.pattern() is None:
        return
    refused = {(r["model"], r["id"]) for r in report.refused}
    for declaration in declarations:
        if declaration.not_personal == "__all__":
            continue
        fields = free_text_fields(declaration)
        if not fields:
            continue
        label = declaration.label
        holds = held_ids(label)
        mine = own.get(label, set())
        changed_rows = 0
        # In another person's row, the fields that say who *that* person is (their name,
        # email, phone) are theirs, even when they share a name with the person erased;
        # only fields that name someone else (``third_party``) and free text are searched.
        theirs = [
            f
            for f in fields
            if f.name in declaration.third_party
            or declaration.personal.get(f.name) not in IDENTITY_CATEGORIES
        ]
        for obj in _mentions(person, declaration, fields):
            key = (label, str(obj.pk))
            if key in refused:
                continue
            changes = {}
            kept_whole = []
            for f in fields if obj.pk in mine else theirs:
                value = getattr(obj, f.attname)
                clean = person.redact(value)
                if clean == value:
                    continue
                reason = declaration.keep_text_reason(obj, f.name)
                if reason:
                    kept_whole.append(reason)
                    continue
                if isinstance(clean, str) and f.max_length:
                    clean = clean[: f.max_length]
                changes[f.attname] = clean
            if not changes and not kept_whole:
                continue
            if str(obj.pk) in holds:
                report.refused.append({"model": label, "id": str(obj.pk), "reason": HELD})
                refused.add(key)
                continue
            for reason in dict.fromkeys(kept_whole):
                report.refused.append({"model": label, "id": str(obj.pk), "reason": reason})
                refused.add(key)
            if not changes:
                continue
            # update(), not save(): a redaction is not an edit (no timestamps, no hooks).
            type(obj)._default_manager.filter(pk=obj.pk).update(**changes)
            if obj.pk in mine:
                continue
            changed_rows += 1
            files = [
                f.name
                for f in obj._meta.concrete_fields
                if isinstance(f, models.FileField) and getattr(obj, f.attname)
            ]
            for name in files:
                report.refused.append(
                    {
                        "model": label,
                        "id": str(obj.pk),
                        "reason": f"its file ({name}) belongs to another person's record and "
                        "is kept as it was sent; its text about you was redacted",
                    }
                )
        if changed_rows:
            report.redacted[label] = report.redacted.get(label, 0) + changed_rows


def carry_out_erasure(request_id: int, *, actor: Any, today: dt.date) -> ErasureReport:
    """Erase the requester everywhere, then close the request with the outcome (and the
    reasons for anything kept), telling them at the address they gave."""
    request = DataRequest.objects.select_related("user").get(pk=request_id)
    if request.status != RequestStatus.OPEN or request.kind != RequestKind.ERASURE:
        raise TransitionError("Only an open, verified erasure request can be carried out.")
    email = request.email
    person = person_for_request(request)
    with transaction.atomic():
        report = erase_person(person, actor=actor, today=today)
        request.refresh_from_db()
        status = RequestStatus.PARTLY_REFUSED if report.refused else RequestStatus.COMPLETED
        _move(request, status)
        request.outcome = report.as_text()
        request.closed_on = today
        request.save(update_fields=["status", "outcome", "closed_on"])
        audit.record(actor, request, "privacy.datarequest.closed", data={"status": status})
        queue_email(
            to=[email],
            template_prefix="privacy/email/closed",
            context={"reference": request.reference, "outcome": request.outcome},
        )
    return report


def carry_out_restriction(request_id: int, *, actor: Any, today: dt.date) -> Restriction:
    request = DataRequest.objects.get(pk=request_id)
    if request.status != RequestStatus.OPEN:
        raise TransitionError("Only an open, verified request can be carried out.")
    restriction = restrict(
        email=request.email,
        user=request.user,
        request=request,
        today=today,
        reason=request.get_kind_display(),
        actor=actor,
    )
    close_request(
        request_id,
        status=RequestStatus.COMPLETED,
        outcome=f"Processing restricted from {today:%d %B %Y}: you are left out of exports, "
        "emails and processing until the restriction is lifted.",
        actor=actor,
        today=today,
    )
    return restriction


# Restriction -------------------------------------------------------------------------------------


def restrict(
    *,
    email: str,
    user: Any = None,
    request: DataRequest | None = None,
    today: dt.date,
    reason: str = "",
    actor: Any = None,
) -> Restriction:
    email = email.strip().lower()
    with transaction.atomic():
        existing = Restriction.objects.filter(email=email, lifted_on__isnull=True).first()
        if existing:
            return existing
        restriction = Restriction.objects.create(
            email=email, user=user, request=request, started_on=today, reason=reason
        )
        audit.record(actor, restriction, "privacy.restriction.started")
    return restriction


def lift_restriction(restriction_id: int, *, today: dt.date, actor: Any = None) -> Restriction:
    with transaction.atomic():
        restriction = Restriction.objects.select_for_update().get(pk=restriction_id)
        restriction.lifted_on = today
        restriction.save(update_fields=["lifted_on"])
        audit.record(actor, restriction, "privacy.restriction.lifted")
    return restriction


def restricted_people() -> tuple[set[int], set[str]]:
    rows = Restriction.objects.filter(lifted_on__isnull=True).values_list("user_id", "email")
    ids = {u for u, _ in rows if u}
    emails = {e.lower() for _, e in rows}
    return ids, emails


# Retention ---------------------------------------------------------------------------------------


def retention_settings() -> RetentionSettings:
    """The hub's retention settings: the saved row, or (unsaved) the defaults until staff save
    one in the admin. Reading them never writes, so opening the retention page changes nothing."""
    obj = RetentionSettings.objects.order_by("pk").first()
    return obj or RetentionSettings()


def _due_queryset(declaration, today: dt.date, settings_row: RetentionSettings):
    from hubops.calendar import add_months

    retention = declaration.retention
    model = declaration.model
    qs = model._default_manager.all()
    if declaration.retention_scope is not None:
        qs = declaration.retention_scope(qs)
    if retention.kind == "programme":
        end = settings_row.programme_ends_on
        if end is None or today < add_months(end, retention.months):
            return None
        if retention.date_field:
            f = model._meta.get_field(retention.date_field)
            bound = (
                dt.datetime.combine(end, dt.time.max, tzinfo=dt.UTC)
                if isinstance(f, models.DateTimeField)
                else end
            )
            qs = qs.filter(
                models.Q(**{f"{retention.date_field}__lte": bound})
                | models.Q(**{f"{retention.date_field}__isnull": True})
            )
        return qs
    if retention.kind == "after" and retention.date_field:
        cutoff = add_months(today, -retention.months)
        f = model._meta.get_field(retention.date_field)
        if isinstance(f, models.DateTimeField):
            cutoff = dt.datetime.combine(cutoff, dt.time.min, tzinfo=dt.UTC)
        return qs.filter(**{f"{retention.date_field}__lt": cutoff})
    return None


def _due_rows(declaration, qs) -> list:
    """The due rows still to act on: anonymised rows are not due again."""
    if declaration.erase == Erase.ANONYMISE:
        return [obj for obj in qs if not declaration.is_anonymised(obj)]
    return list(qs)


def retention_plan(today: dt.date) -> dict[str, dict[str, Any]]:
    """What the schedule would destroy or anonymise today: counts per model, never content."""
    settings_row = retention_settings()
    plan: dict[str, dict[str, Any]] = {}
    for declaration in registry().values():
        if not declaration.holds_personal_data or declaration.erase in (Erase.REDACT, Erase.KEEP):
            continue
        qs = _due_queryset(declaration, today, settings_row)
        if qs is None:
            continue
        rows = _due_rows(declaration, qs)
        holds = held_ids(declaration.label)
        held = [obj for obj in rows if str(obj.pk) in holds]
        if rows:
            plan[declaration.label] = {
                "action": declaration.erase.value,
                "count": len(rows) - len(held),
                "held": len(held),
                "rule": declaration.retention.rule,
            }
    return plan


def prepare_retention_run(today: dt.date) -> RetentionRun:
    """The dry-run report staff review. One per day."""
    run, created = RetentionRun.objects.get_or_create(
        as_of=today, defaults={"report": retention_plan(today)}
    )
    if created:
        audit.record(None, run, "privacy.retentionrun.prepared", data={"models": len(run.report)})
    return run


def approve_retention_run(run_id: int, *, actor: Any) -> RetentionRun:
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run_id)
        if run.approved_at:
            return run
        run.approved_by = actor
        run.approved_at = timezone.now()
        run.save(update_fields=["approved_by", "approved_at"])
        audit.record(actor, run, "privacy.retentionrun.approved")
    return run


def execute_retention_run(run_id: int, *, today: dt.date) -> RetentionRun:
    """Destroy or anonymise what is due, for an approved run. Logs counts only."""
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run_id)
        if run.executed_at or not run.approved_at:
            return run
        settings_row = retention_settings()
        destroyed: dict[str, int] = {}
        reg = registry()
        for label in run.report:
            declaration = reg.get(label)
            if declaration is None:
                continue
            qs = _due_queryset(declaration, run.as_of, settings_row)
            if qs is None:
                continue
            holds = held_ids(label)
            count = 0
            for obj in _due_rows(declaration, qs):
                if str(obj.pk) in holds:
                    continue
                if declaration.erase == Erase.DELETE:
                    obj.delete()
                else:
                    declaration.anonymise_row(obj)
                count += 1
            destroyed[label] = count
        run.destroyed = destroyed
        run.executed_at = timezone.now()
        run.save(update_fields=["destroyed", "executed_at"])
        audit.record(None, run, "privacy.retentionrun.executed", data=destroyed)
    return run


def retention_sweep(today: dt.date) -> RetentionRun | None:
    """The beat task's body: execute approved runs; prepare today's dry run when something is
    due, and tell the data protection lead."""
    for run in RetentionRun.objects.filter(approved_at__isnull=False, executed_at__isnull=True):
        execute_retention_run(run.pk, today=today)
    plan = retention_plan(today)
    if not any(item["count"] for item in plan.values()):
        return None
    run = prepare_retention_run(today)
    from hubops.reminders import remind_once
    from hubops.roles import Role, users_with_role

    remind_once(
        obj=run,
        kind="privacy.retention.review",
        due_on=today,
        to=[u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)],
        template_prefix="privacy/email/retention_review",
        context={"run_id": run.pk, "as_of": today.isoformat()},
    )
    return run


# Sharing log -------------------------------------------------------------------------------------


def disclosure_record(
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    data_categories: list[str] | str,
    people_count: int,
    actor: Any = None,
    disclosed_on: dt.date | None = None,
    source: str = "",
) -> Disclosure:
    if isinstance(data_categories, list | tuple):
        data_categories = ", ".join(data_categories)
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    disclosure = Disclosure.objects.create(
        disclosed_on=disclosed_on or timezone.localdate(),
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        data_categories=data_categories[:300],
        people_count=people_count,
        recorded_by=actor_user,
        source=source,
    )
    audit.record(actor, disclosure, "privacy.disclosure.recorded", data={"source": source})
    return disclosure


# Breaches ----------------------------------------------------------------------------------------


def log_breach(*, found_at: dt.datetime, actor: Any = None, **fields: Any) -> Breach:
    with transaction.atomic():
        breach = Breach.objects.create(
            reference=_reference("BR"),
            found_at=found_at,
            ico_deadline=found_at + dt.timedelta(hours=72),
            **fields,
        )
        audit.record(actor, breach, "privacy.breach.logged")
    return breach


def breach_sweep(now: dt.datetime) -> int:
    """Remind the data protection lead of each breach whose ICO decision is not recorded, at
    24 and 48 hours after discovery and at the deadline."""
    from hubops.reminders import Reminder, remind_batch
    from hubops.roles import Role, users_with_role

    to = [u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)]
    pending = Breach.objects.filter(
        ico_notified_at__isnull=True, ico_not_notified_reason="", closed_on__isnull=True
    ).order_by("pk")
    return remind_batch(
        Reminder.about(
            breach,
            kind=f"privacy.breach.ico_{hours}h",
            due_on=breach.ico_deadline.date(),
            to=to,
            template_prefix="privacy/email/breach_clock",
            context={
                "reference": breach.reference,
                "deadline": breach.ico_deadline.isoformat(),
                "hours": hours,
            },
        )
        for breach in pending.iterator()
        for hours in (24, 48, 72)
        if now >= breach.found_at + dt.timedelta(hours=hours)
    )


def dpia_review_sweep(today: dt.date) -> int:
    """Remind the data protection lead a month before each DPIA's review date."""
    from hubops.reminders import Reminder, remind_batch
    from hubops.roles import Role, users_with_role

    from .models import DPIA

    to = [u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)]
    return remind_batch(
        Reminder.about(
            dpia,
            kind="privacy.dpia.review",
            due_on=dpia.review_on,
            to=to,
            template_prefix="privacy/email/dpia_review",
            context={"title": dpia.title, "review_on": dpia.review_on.isoformat()},
        )
        for dpia in DPIA.objects.filter(review_on__lte=today + dt.timedelta(days=30))
    )


def request_sweep(today: dt.date) -> int:
    """Remind the data protection lead a week before each open request falls due, and on the
    day. Only requests already in a reminder's window are read (on the indexed due columns)."""
    from django.db.models import Q

    from hubops.reminders import Reminder, remind_batch
    from hubops.roles import Role, users_with_role

    to = [u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)]
    week = today + dt.timedelta(days=7)
    due_soon = Q(extended_to__lte=week) | Q(extended_to__isnull=True, due_on__lte=week)
    open_requests = (
        DataRequest.objects.filter(closed_on__isnull=True, status=RequestStatus.OPEN)
        .filter(due_soon)
        .order_by("pk")
        .only("pk", "reference", "due_on", "extended_to")
    )
    return remind_batch(
        Reminder.about(
            request,
            kind=f"privacy.request.{kind}",
            due_on=due,
            to=to,
            template_prefix="privacy/email/request_due",
            context={"reference": request.reference, "due_on": due.isoformat()},
        )
        for request in open_requests.iterator()
        for due in [request.effective_due_on]
        for kind, when in (("week_before", due - dt.timedelta(days=7)), ("due", due))
        if today >= when
    )


__all__ = [
    "RequestKind",
    "accept_notice",
    "access_export",
    "create_request",
    "disclosure_record",
    "erase_person",
    "restrict",
]


# -- CPD mailings ---------------------------------------------------------------------------------

UNSUBSCRIBE_SALT = "privacy.cpd-mailings.unsubscribe"


def unsubscribe_token(email: str) -> str:
    """A signed token naming ``email``, for the one-click unsubscribe link of a CPD mailing."""
    return signing.dumps(email.strip().lower(), salt=UNSUBSCRIBE_SALT, compress=True)


def email_for_unsubscribe_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def mailing_objection_record(*, email: str, source: str, actor: Any = None) -> MailingObjection:
    """Record an objection to CPD mailings (idempotent). It stops CPD mailings only: unlike a
    restriction, the mails about a Work Group the person is in still go."""
    email = email.strip().lower()
    with transaction.atomic():
        objection, created = MailingObjection.objects.get_or_create(
            email=email, defaults={"source": source[:40]}
        )
        if created:
            audit.record(
                actor, objection, "privacy.mailingobjection.recorded", data={"via": source}
            )
    return objection
