"""Writes for Work Groups, by sub-domain; ``from workgroups import services`` gives them all.

- ``groups``: a group's record, its Leads and its status moves (publish, run, complete, cancel);
- ``sessions``: add, change and cancel sessions, mailed to the participants with the calendar
  file;
- ``registrations``: register, add, approve, decline, withdraw; the waiting list and its offers;
- ``invitations``: a colleague's or the hub's invitation;
- ``attendance``: the registers, the participants' evaluations and the Lead's report;
- ``participation``: the participation returns, exported and imported.

Every state change locks its row, checks the move with the app's machine (``workflow``), saves
with ``update_fields``, records an audit event and queues email in the outbox inside the
transaction (sent once it commits). ``_core`` holds what they share.
"""

from __future__ import annotations

from ..workflow import MAX_SESSIONS, MIN_SESSIONS, IllegalMove, NotEligible, WorkGroupError
from .attendance import attendance_mark, evaluation_submit, lead_report_review, lead_report_save
from .groups import (
    GROUP_FIELDS,
    work_group_assign_leads,
    work_group_complete,
    work_group_move,
    work_group_save,
    work_group_set_status,
)
from .invitations import colleague_invite, staff_invite
from .participation import (
    IMPORT_COLUMNS,
    ImportResult,
    ImportRow,
    participation_export,
    participation_import,
)
from .registrations import (
    OFFER_WORKING_DAYS,
    current_privacy_version,
    offer_accept,
    offer_lapse,
    offer_lapse_sweep,
    registration_add,
    registration_approve,
    registration_create,
    registration_decline,
    registration_withdraw,
)
from .sessions import participant_count, session_cancel, session_facts, session_save

__all__ = [
    "GROUP_FIELDS",
    "IMPORT_COLUMNS",
    "MAX_SESSIONS",
    "MIN_SESSIONS",
    "OFFER_WORKING_DAYS",
    "IllegalMove",
    "ImportResult",
    "ImportRow",
    "NotEligible",
    "WorkGroupError",
    "attendance_mark",
    "colleague_invite",
    "current_privacy_version",
    "evaluation_submit",
    "lead_report_review",
    "lead_report_save",
    "offer_accept",
    "offer_lapse",
    "offer_lapse_sweep",
    "participant_count",
    "participation_export",
    "participation_import",
    "registration_add",
    "registration_approve",
    "registration_create",
    "registration_decline",
    "registration_withdraw",
    "session_cancel",
    "session_facts",
    "session_save",
    "staff_invite",
    "work_group_assign_leads",
    "work_group_complete",
    "work_group_move",
    "work_group_save",
    "work_group_set_status",
]
