"""Writes for the hub core."""

from __future__ import annotations

import itertools
import logging

from django.core.cache import cache
from django.db import transaction

from .calendar_hooks import recompute_functions
from .selectors import CALENDAR_CACHE_KEY

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
        for hook in recompute_functions():
            hook()

    transaction.on_commit(recompute)
