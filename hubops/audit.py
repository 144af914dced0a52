"""The audit log: one function records an action; erasure redacts, never deletes."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent

REDACTED = "[redacted]"


def _label(obj: Any) -> str:
    return str(obj)[:255] if obj is not None else ""


def record(
    actor: Any,
    obj: models.Model | None,
    action: str,
    *,
    data: dict[str, Any] | None = None,
    object_label: str | None = None,
) -> AuditEvent:
    """Record that ``actor`` (a user, or None for the system) did ``action`` to ``obj``.

    ``action`` is dotted: ``<app>.<model>.<past-tense verb>``, e.g.
    ``complaints.complaint.acknowledged``. Call it inside the service's transaction so the
    event and the change commit together. Keep personal data out of ``data`` where you can;
    what is there is redacted when the person is erased.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=_label(getattr(actor, "email", None) or actor) if is_user else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=object_label if object_label is not None else _label(obj),
        data=data or {},
        subject_email=subject_email(obj),
    )


def subject_email(obj: Any) -> str:
    """The normalised address of the person ``obj`` is about, if it has one."""
    value = getattr(obj, "email", "") if obj is not None else ""
    return value.strip().lower() if isinstance(value, str) else ""


def events_for(obj: models.Model):
    """The audit trail of one record, newest first."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def _redact_value(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        for needle in needles:
            if needle and needle.lower() in value.lower():
                return REDACTED
        return value
    if isinstance(value, dict):
        return {k: _redact_value(v, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v, needles) for v in value]
    return value


def redact_person(*, user=None, needles: list[str]) -> int:
    """Redact a person from the audit log: their name, email and other identifiers in any
    event's labels or data become ``[redacted]``; the events themselves stay. Returns how many
    events changed."""
    needles = [n for n in needles if n and len(n) >= 3]
    changed = 0
    query = models.Q()
    for needle in needles:
        query |= (
            models.Q(actor_label__icontains=needle)
            | models.Q(object_label__icontains=needle)
            | models.Q(data__icontains=needle)
        )
    lowered = {n.strip().lower() for n in needles}
    if user is not None:
        query |= models.Q(actor=user)
    if lowered:
        query |= models.Q(subject_email__in=lowered)
    if not query:
        return 0
    for event in AuditEvent.objects.filter(query):
        event.actor_label = (
            REDACTED
            if user is not None and event.actor_id == user.pk
            else (_redact_value(event.actor_label, needles))
        )
        event.object_label = _redact_value(event.object_label, needles)
        event.data = _redact_value(event.data, needles)
        event.subject_email = "" if event.subject_email in lowered else event.subject_email
        event.save(update_fields=["actor_label", "object_label", "data", "subject_email"])
        changed += 1
    return changed
