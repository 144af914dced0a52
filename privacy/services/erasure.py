"""The right to erasure: erase or anonymise one person everywhere the personal-data registry
lists, redact them from other people's records, and report what was kept and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, models, transaction

from hubops import audit, page_cache
from hubops.personal_data import (
    Category,
    Declaration,
    Erase,
    Person,
    free_text_fields,
    personal_models,
    registry,
)

from .. import workflow
from ..models import DataRequest
from ..workflow import TransitionError
from .data_requests import close_locked, person_for_request
from .retention import HELD, held_ids

__all__ = ["HELD", "ErasureReport", "erase_person", "erasure_carry_out", "held_ids"]


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

    def refuse(self, label: str, pk: Any, reason: str) -> None:
        self.refused.append({"model": label, "id": str(pk), "reason": reason})

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


# One model's rows ------------------------------------------------------------------------------


def _erase_custom(declaration: Declaration, person: Person, today, report: ErasureReport):
    result = declaration.erase_with(person, today)  # type: ignore[misc]
    report.done[declaration.label] = int(result.get("erased", 0))
    for pk, reason in result.get("refused", []):
        report.refuse(declaration.label, pk, reason)


def _erase_redacting(declaration: Declaration, person: Person, report: ErasureReport) -> None:
    if declaration.redact is not None:
        n = declaration.redact(person)
        if n:
            report.done[declaration.label] = n


def _erase_one(declaration: Declaration, obj: models.Model) -> bool:
    """Delete or anonymise one row; False when it went already (with a parent row)."""
    if declaration.erase == Erase.DELETE:
        obj.delete()
        return True
    try:
        declaration.anonymise_row(obj)
    except DatabaseError:
        return False  # already gone with a parent row deleted above
    return True


def _erase_rows(declaration: Declaration, rows: list, report: ErasureReport) -> None:
    label = declaration.label
    holds = held_ids(label)
    count = 0
    for obj in rows:
        reason = HELD if str(obj.pk) in holds else None
        if reason is None and declaration.keep_if is not None:
            reason = declaration.keep_if(obj)
        if reason:
            report.refuse(label, obj.pk, reason)
        elif declaration.erase == Erase.KEEP:
            n, _ = report.kept.get(label, [0, ""])
            report.kept[label] = [n + 1, declaration.keep_reason or "kept by law"]
        elif _erase_one(declaration, obj):
            count += 1
    if count:
        report.done[label] = count


def erase_person(person: Person, *, actor: Any = None, today: dt.date) -> ErasureReport:
    """Erase or anonymise ``person`` everywhere the registry lists. Rows with a reason to keep
    them (an open complaint, a legal hold) are kept and reported. The user account goes last,
    the audit log is redacted (never deleted) at the very end."""
    report = ErasureReport()
    order = sorted(
        personal_models(),
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
            if declaration.erase_with is not None:
                _erase_custom(declaration, person, today, report)
            elif declaration.erase == Erase.REDACT:
                _erase_redacting(declaration, person, report)
            else:
                _erase_rows(declaration, found[declaration.label], report)
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
        # Anonymising writes send no signal: no cached staff page may show the person again.
        page_cache.bump_all()
    return report


# Free text, in anyone's record -----------------------------------------------------------------

IDENTITY_CATEGORIES = {
    Category.NAME,
    Category.PREVIOUS_NAMES,
    Category.EMAIL,
    Category.PHONE,
    Category.TRN,
    Category.DATE_OF_BIRTH,
    Category.ADDRESS,
}


def _mentions(person: Person, declaration: Declaration, fields) -> models.QuerySet:
    query = models.Q(pk__in=[])
    for f in fields:
        for term in person.search_terms():
            query |= models.Q(**{f"{f.name}__icontains": term})
        digits = person.phone_digits
        if len(digits) >= 6 and not isinstance(f, models.JSONField):
            query |= models.Q(**{f"{f.name}__iregex": r"[^0-9]{0,2}".join(digits)})
    return declaration.model._default_manager.filter(query)


def _redactions(person: Person, declaration: Declaration, obj, fields) -> tuple[dict, list]:
    """The field values to write (redacted) and the reasons for fields kept whole."""
    changes: dict[str, Any] = {}
    kept_whole: list[str] = []
    for f in fields:
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
    return changes, kept_whole


def _files_kept(obj: models.Model, label: str, report: ErasureReport) -> None:
    """A record that also holds a file (a letter's PDF) keeps its file as it was sent."""
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.FileField) and getattr(obj, f.attname):
            report.refuse(
                label,
                obj.pk,
                f"its file ({f.name}) belongs to another person's record and is kept as it "
                "was sent; its text about you was redacted",
            )


def _others_fields(declaration: Declaration, fields) -> list:
    """In another person's row, the fields that say who *that* person is (their name, email,
    phone) are theirs, even when they share a name with the person erased; only fields that
    name someone else (``third_party``) and free text are searched."""
    return [
        f
        for f in fields
        if f.name in declaration.third_party
        or declaration.personal.get(f.name) not in IDENTITY_CATEGORIES
    ]


def _redact_in_model(
    person: Person, declaration: Declaration, report: ErasureReport, mine: set, refused: set
) -> None:
    fields = free_text_fields(declaration)
    if not fields:
        return
    label = declaration.label
    holds = held_ids(label)
    theirs = _others_fields(declaration, fields)
    changed_rows = 0
    for obj in _mentions(person, declaration, fields):
        if (label, str(obj.pk)) in refused:
            continue
        own_row = obj.pk in mine
        changes, kept_whole = _redactions(person, declaration, obj, fields if own_row else theirs)
        if not changes and not kept_whole:
            continue
        reasons = [HELD] if str(obj.pk) in holds else list(dict.fromkeys(kept_whole))
        for reason in reasons:
            report.refuse(label, obj.pk, reason)
            refused.add((label, str(obj.pk)))
        if not changes or str(obj.pk) in holds:
            continue
        # update(), not save(): a redaction is not an edit (no timestamps, no hooks).
        type(obj)._default_manager.filter(pk=obj.pk).update(**changes)
        if not own_row:
            changed_rows += 1
            _files_kept(obj, label, report)
    if changed_rows:
        report.redacted[label] = report.redacted.get(label, 0) + changed_rows


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
        _redact_in_model(person, declaration, report, own.get(declaration.label, set()), refused)


# Carrying out an erasure request ---------------------------------------------------------------


def erasure_carry_out(*, data_request_id: int, actor: Any, today: dt.date) -> ErasureReport:
    """Erase the requester everywhere, then close the request with the outcome (and the
    reasons for anything kept), telling them at the address they gave. The request is locked
    first, so two clicks erase once."""
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=data_request_id)
        if request.status != workflow.OPEN or request.kind != workflow.ERASURE:
            raise TransitionError("Only an open, verified erasure request can be carried out.")
        email = request.email  # erasure anonymises the row's copy; the outcome goes here
        report = erase_person(person_for_request(request), actor=actor, today=today)
        request.refresh_from_db()
        close_locked(
            request,
            move="erase_in_part" if report.refused else "erase",
            outcome=report.as_text(),
            actor=actor,
            today=today,
            email=email,
        )
    return report
