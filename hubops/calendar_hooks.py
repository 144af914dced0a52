"""Who must hear when the school calendar changes.

Apps that store deadlines counted in school days or weeks register a function that recomputes
them (``register_recompute(fn)``, usually in their ``AppConfig.ready``). ``hubops.services.
calendar_changed()`` runs every registered function once the change has committed.
"""

from __future__ import annotations

from collections.abc import Callable

_RECOMPUTE: list[Callable[[], object]] = []


def register_recompute(fn: Callable[[], object]) -> Callable[[], object]:
    if fn not in _RECOMPUTE:
        _RECOMPUTE.append(fn)
    return fn


def recompute_functions() -> list[Callable[[], object]]:
    return list(_RECOMPUTE)
