"""Retention and legal holds: what the schedule would destroy (a dry run staff approve), and
destroying it once approved. Logs counts per model, never content."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from hubops import audit
from hubops.calendar import add_months
from hubops.personal_data import Declaration, Erase, registry

from ..models import LegalHold, RetentionRun, RetentionSettings

HELD = "a legal hold applies to this record"


def held_ids(object_type: str) -> set[str]:
    """The ids of ``object_type``'s records under a legal hold not yet released."""
    return set(
        LegalHold.objects.filter(
            object_type__iexact=object_type, released_on__isnull=True
        ).values_list("object_id", flat=True)
    )


def retention_settings() -> RetentionSettings:
    """The hub's retention settings: the saved row, or (unsaved) the defaults until staff save
    one in the admin. Reading them never writes, so opening the retention page changes nothing."""
    obj = RetentionSettings.objects.order_by("pk").first()
    return obj or RetentionSettings()


def _bound(model: type[models.Model], field_name: str, day: dt.date, when: dt.time) -> Any:
    """``day`` as the field's type: a date, or a datetime at ``when`` (UTC)."""
    if isinstance(model._meta.get_field(field_name), models.DateTimeField):
        return dt.datetime.combine(day, when, tzinfo=dt.UTC)
    return day


def _programme_due(qs: models.QuerySet, declaration: Declaration, today: dt.date, end):
    retention = declaration.retention
    if end is None or today < add_months(end, retention.months):
        return None
    if not retention.date_field:
        return qs
    bound = _bound(declaration.model, retention.date_field, end, dt.time.max)
    return qs.filter(
        models.Q(**{f"{retention.date_field}__lte": bound})
        | models.Q(**{f"{retention.date_field}__isnull": True})
    )


def _due_queryset(declaration: Declaration, today: dt.date, settings_row: RetentionSettings):
    """The rows of ``declaration``'s model the schedule makes due today, or None."""
    retention = declaration.retention
    qs = declaration.model._default_manager.all()
    if declaration.retention_scope is not None:
        qs = declaration.retention_scope(qs)
    if retention.kind == "programme":
        return _programme_due(qs, declaration, today, settings_row.programme_ends_on)
    if retention.kind == "after" and retention.date_field:
        cutoff = add_months(today, -retention.months)
        bound = _bound(declaration.model, retention.date_field, cutoff, dt.time.min)
        return qs.filter(**{f"{retention.date_field}__lt": bound})
    return None


def _due_rows(declaration: Declaration, qs: models.QuerySet) -> list:
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


def retention_run_prepare(*, today: dt.date) -> RetentionRun:
    """The dry-run report staff review. One per day."""
    run, created = RetentionRun.objects.get_or_create(
        as_of=today, defaults={"report": retention_plan(today)}
    )
    if created:
        audit.record(None, run, "privacy.retentionrun.prepared", data={"models": len(run.report)})
    return run


def retention_run_approve(*, retention_run_id: int, actor: Any) -> RetentionRun:
    """The data protection lead approves the dry run; the next retention task carries it out.
    Approving twice changes nothing."""
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=retention_run_id)
        if run.approved_at:
            return run
        run.approved_by = actor
        run.approved_at = timezone.now()
        run.save(update_fields=["approved_by", "approved_at"])
        audit.record(actor, run, "privacy.retentionrun.approved")
    return run


def _destroy_due(declaration: Declaration, as_of: dt.date, settings_row) -> int | None:
    qs = _due_queryset(declaration, as_of, settings_row)
    if qs is None:
        return None
    holds = held_ids(declaration.label)
    count = 0
    for obj in _due_rows(declaration, qs):
        if str(obj.pk) in holds:
            continue
        if declaration.erase == Erase.DELETE:
            obj.delete()
        else:
            declaration.anonymise_row(obj)
        count += 1
    return count


def retention_run_execute(*, retention_run_id: int, today: dt.date) -> RetentionRun:
    """Destroy or anonymise what is due, for an approved run. Logs counts only."""
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=retention_run_id)
        if run.executed_at or not run.approved_at:
            return run
        settings_row = retention_settings()
        destroyed: dict[str, int] = {}
        reg = registry()
        for label in run.report:
            declaration = reg.get(label)
            if declaration is None:
                continue
            count = _destroy_due(declaration, run.as_of, settings_row)
            if count is not None:
                destroyed[label] = count
        run.destroyed = destroyed
        run.executed_at = timezone.now()
        run.save(update_fields=["destroyed", "executed_at"])
        audit.record(None, run, "privacy.retentionrun.executed", data=destroyed)
    return run
