"""Privacy services: every write goes through one of these functions, by sub-domain:

- :mod:`.data_requests`: log a data-rights request, confirm identity, extend, close;
- :mod:`.access`: everything held about a person (the access export);
- :mod:`.erasure`: erase a person everywhere the personal-data registry lists;
- :mod:`.processing`: restriction of processing, objections to CPD mailings, the sharing log;
- :mod:`.breaches`: the breach log (the 72-hour ICO clock) and the DPIA register;
- :mod:`.retention`: legal holds, the retention schedule's dry run and its execution;
- :mod:`.notice`: publishing and accepting the privacy notice.

The reminder sweeps are in ``privacy.reminders``. Status rules are in ``privacy.workflow``.
Everything is importable from here (``from privacy import services``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..workflow import TransitionError
from .access import access_export, collect
from .breaches import (
    breach_close,
    breach_ico_not_notify,
    breach_ico_notify,
    breach_log,
    dpia_create,
    dpia_update,
)
from .data_requests import (
    data_request_close,
    data_request_confirm_identity,
    data_request_create,
    data_request_extend,
    data_request_verify,
    due_date,
    person_for_request,
)
from .erasure import HELD, ErasureReport, erase_person, erasure_carry_out
from .notice import notice_accept, notice_next_version, notice_publish
from .processing import (
    disclosure_record,
    email_for_unsubscribe_token,
    mailing_objection_record,
    restricted_people,
    restriction_carry_out,
    restriction_lift,
    restriction_start,
    unsubscribe_token,
)
from .retention import (
    held_ids,
    retention_plan,
    retention_run_approve,
    retention_run_execute,
    retention_run_prepare,
    retention_settings,
)

# Old names that other apps' code and tests still call (keep until they move to the new ones).
create_request = data_request_create
log_breach = breach_log


def close_request(request_id: int, *, status: str, outcome: str, actor: Any, today: dt.date) -> Any:
    """Old name of :func:`data_request_close` (positional id), for existing callers."""
    return data_request_close(
        data_request_id=request_id, status=status, outcome=outcome, actor=actor, today=today
    )


__all__ = [
    "HELD",
    "ErasureReport",
    "TransitionError",
    "access_export",
    "breach_close",
    "breach_ico_not_notify",
    "breach_ico_notify",
    "breach_log",
    "close_request",
    "collect",
    "create_request",
    "data_request_close",
    "data_request_confirm_identity",
    "data_request_create",
    "data_request_extend",
    "data_request_verify",
    "disclosure_record",
    "dpia_create",
    "dpia_update",
    "due_date",
    "email_for_unsubscribe_token",
    "erase_person",
    "erasure_carry_out",
    "held_ids",
    "log_breach",
    "mailing_objection_record",
    "notice_accept",
    "notice_next_version",
    "notice_publish",
    "person_for_request",
    "restricted_people",
    "restriction_carry_out",
    "restriction_lift",
    "restriction_start",
    "retention_plan",
    "retention_run_approve",
    "retention_run_execute",
    "retention_run_prepare",
    "retention_settings",
    "unsubscribe_token",
]
