"""The sharing log's hook (GDPR Art. 30): a service that sends personal data outside the hub
(an export to the DfE, a handover to a successor) calls :func:`record_disclosure` inside its
transaction. The ``privacy`` app keeps the log and plugs its recorder in at start-up; without
it the call is a no-op. Imports nothing but the standard library at import time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

_disclosure_recorder: Callable[..., Any] | None = None


def set_disclosure_recorder(recorder: Callable[..., Any]) -> None:
    global _disclosure_recorder
    _disclosure_recorder = recorder


def record_disclosure(
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    data_categories: Iterable[str],
    people_count: int,
    actor: Any = None,
    disclosed_on: dt.date | None = None,
    source: str = "",
) -> Any:
    """Log one disclosure of personal data (an export sent to the DfE, say) in the sharing
    log. Call it from the service that builds the export, inside its transaction. A no-op
    returning None when the privacy app is not installed."""
    if _disclosure_recorder is None:
        return None
    return _disclosure_recorder(
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        data_categories=list(data_categories),
        people_count=people_count,
        actor=actor,
        disclosed_on=disclosed_on,
        source=source,
    )
