"""Writes for the hub core."""

from __future__ import annotations

import itertools
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit, ports
from .models import CalendarPeriod
from .roles import staff_flag_for
from .selectors import CALENDAR_CACHE_KEY
from .workflow import DomainError

logger = logging.getLogger(__name__)
_generation = itertools.count(1)
_latest = {"generation": 0}


def calendar_changed() -> None:
    """The school calendar was edited: forget the cached calendar now, and once the change
    commits, recompute every stored deadline (each registered hook runs once, however many
    periods the transaction touched)."""
    cache.delete(CALENDAR_CACHE_KEY)
    generation = next(_generation)
    _latest["generation"] = generation

    def recompute() -> None:
        if _latest["generation"] != generation:
            return  # a later change in the same transaction will run the hooks
        cache.delete(CALENDAR_CACHE_KEY)
        for hook in ports.calendar_recomputes():
            hook()

    transaction.on_commit(recompute)


def user_sync_staff_flag(*, user, actor=None) -> bool:
    """Make ``user.is_staff`` say what their roles say (``roles.staff_flag_for``): on for
    superusers and role holders, off for everyone else. Called whenever a user's groups change
    (the ``m2m_changed`` hook) and when the admin saves a user. Changes ``user`` in place, so a
    caller that saves the same object afterwards keeps the new flag. Returns the flag."""
    user.__dict__.pop("_hubops_role_names", None)
    wanted = staff_flag_for(user)
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])
        audit.record(
            actor,
            user,
            "hubops.user.staff_granted" if wanted else "hubops.user.staff_removed",
            data={"is_staff": wanted, "reason": "follows the roles held"},
        )
    return wanted


# -- the school calendar's term dates (the staff page /staff/calendar/) ----------------------


@transaction.atomic
def calendar_period_save(*, period_id: int | None, academic_year_id: int, actor, data: dict):
    """Add or change a term, half term, holiday or INSET day (closure) of an academic year.
    Every stored deadline is recomputed when the change commits (``calendar_changed``, through
    the models' save hooks)."""
    if period_id:
        period = CalendarPeriod.objects.select_for_update().get(
            pk=period_id, academic_year_id=academic_year_id
        )
    else:
        period = CalendarPeriod(academic_year_id=academic_year_id)
    before = {k: str(getattr(period, k, "")) for k in data}
    for key, value in data.items():
        setattr(period, key, value)
    try:
        period.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    period.save()
    audit.record(
        actor,
        period,
        "hubops.calendarperiod." + ("changed" if period_id else "created"),
        data={"from": before if period_id else {}, "to": {k: str(v) for k, v in data.items()}},
    )
    return period


@transaction.atomic
def calendar_period_delete(*, period_id: int, actor) -> None:
    """Remove a period; deadlines are recomputed when the change commits."""
    period = CalendarPeriod.objects.select_for_update().get(pk=period_id)
    audit.record(actor, period, "hubops.calendarperiod.deleted", data={"name": period.name})
    period.delete()
