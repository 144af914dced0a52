"""Writes for complaints, by sub-domain; ``from complaints import services`` gives them all.

- ``filing``: taking a complaint in (the form, staff, the DfE redirection), its clocks and the
  recount when the school calendar changes;
- ``routing``: who it is about, who handles it, who hears about it;
- ``links``: the complainant's private link;
- ``attachments``: files, typed by their content;
- ``letters``: letter templates, the letters sent and the complaint's PDF copy;
- ``handling``: stages 1 and 2 (record, make formal, acknowledge, holding letter, respond,
  close) and what the complainant adds;
- ``appeal``: stage 3 (the request, the panel, the final decision).

Every status change locks the row, asks ``workflow.MACHINE.check`` (with the person's roles
from ``selectors.complaint_roles``), saves with ``update_fields``, writes the record and an
audit event, and queues mail in the outbox inside the transaction (sent once it commits).
"""

from __future__ import annotations

from ..workflow import ComplaintError, IllegalMove
from ._core import add_record
from .appeal import (
    appeal_open,
    complaint_decide_appeal,
    complaint_request_appeal,
    complaint_set_panel,
    involved_user_ids,
)
from .attachments import SNIFFED_TYPES, attachment_store, sniff, store_attachment
from .filing import (
    COMPLAINANT_FIELDS,
    Filed,
    complaint_file,
    complaint_redirect_to_dfe,
    recompute_deadlines,
)
from .handling import (
    complaint_acknowledge,
    complaint_add_information,
    complaint_add_note,
    complaint_close,
    complaint_make_formal,
    complaint_respond,
    complaint_send_holding_letter,
    complaint_set_actions,
)
from .letters import (
    copy_pdf,
    ensure_letter_templates,
    letter_context,
    letter_send,
    letter_template,
    letter_template_save,
    letter_templates_ensure,
)
from .links import (
    complaint_for_token,
    follow_token_for_submission,
    follow_url,
    link_issue,
    link_revoke,
    link_send_new,
)
from .policy import policy_version_add
from .routing import (
    complaint_set_subjects,
    escalation_emails,
    handler_emails,
    handler_title,
    route_for,
    subjects_for,
)

__all__ = [
    "COMPLAINANT_FIELDS",
    "SNIFFED_TYPES",
    "ComplaintError",
    "Filed",
    "IllegalMove",
    "add_record",
    "appeal_open",
    "attachment_store",
    "complaint_acknowledge",
    "complaint_add_information",
    "complaint_add_note",
    "complaint_close",
    "complaint_decide_appeal",
    "complaint_file",
    "complaint_for_token",
    "complaint_make_formal",
    "complaint_redirect_to_dfe",
    "complaint_request_appeal",
    "complaint_respond",
    "complaint_send_holding_letter",
    "complaint_set_actions",
    "complaint_set_panel",
    "complaint_set_subjects",
    "copy_pdf",
    "ensure_letter_templates",
    "escalation_emails",
    "follow_token_for_submission",
    "follow_url",
    "handler_emails",
    "handler_title",
    "involved_user_ids",
    "letter_context",
    "letter_send",
    "letter_template",
    "letter_template_save",
    "letter_templates_ensure",
    "link_issue",
    "link_revoke",
    "link_send_new",
    "policy_version_add",
    "recompute_deadlines",
    "route_for",
    "sniff",
    "store_attachment",
    "subjects_for",
]
