"""Personal data held by complaints, for the privacy registry (``hubops.personal_data``).

A complainant is found by the email address they gave. Erasure is refused while their complaint
is open (it is still being handled); a closed complaint is anonymised, not deleted, so the
annual figures stay right; attachments and letters (whose PDFs hold the name and address) are
deleted with their files. The people a complaint is about, its handler and panel are linked by
account only, and go with the account."""

from __future__ import annotations

import datetime as dt

from hubops.personal_data import Category, Erase, Retention, register

from .models import Outcome, RecordKind, Status, Visibility
from .services import add_record, complaint_file, store_attachment

C = Category
OPEN_REASON = "the complaint is still open; it can be erased once it is closed"


def _open(complaint) -> str | None:
    return OPEN_REASON if complaint.is_open else None


def _example(user):

    filed = complaint_file(
        data={
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "address": f"{user.full_name}, 1 Fictional Road, London",
            "relationship": "participant",
            "concerns": "staff",
            "subject_name": "",
            "about_kind": "work_group",
            "about_detail": "Fictional Fractions Work Group",
            "issue_date": dt.date(2026, 2, 2),
            "what_happened": f"I am {user.full_name}, TRN {user.trn}; my place was lost.",
            "done_so_far": f"Emailed from {user.email}.",
            "outcome_wanted": "An apology.",
            "adjustments": "Large print letters.",
        },
        received_on=dt.date(2026, 3, 2),
        formal=True,
    )
    complaint = filed.complaint
    store_attachment(
        data=f"Notes by {user.full_name}".encode(),
        original_name="my-notes.txt",
        complaint=complaint,
    )
    add_record(
        complaint,
        kind=RecordKind.CALL,
        body=f"Called {user.full_name} on {user.phone}.",
        visibility=Visibility.SHARED,
    )
    complaint.status, complaint.outcome = Status.CLOSED, Outcome.WITHDRAWN
    complaint.closed_on = dt.date(2026, 3, 5)
    complaint.save(update_fields=["status", "outcome", "closed_on"])
    return complaint


register(
    "complaints.Complaint",
    description="Complaints and concerns you raised with the hub.",
    personal={
        "full_name": C.NAME,
        "email": C.EMAIL,
        "phone": C.PHONE,
        "address": C.ADDRESS,
        "relationship": C.ROLE,
        "subject_name": C.NAME,
        "about_detail": C.COMPLAINT,
        "what_happened": C.COMPLAINT,
        "done_so_far": C.COMPLAINT,
        "outcome_wanted": C.COMPLAINT,
        "adjustments": C.SPECIAL,
        "holding_reason": C.COMPLAINT,
        "stage2_summary": C.COMPLAINT,
        "appeal_grounds": C.COMPLAINT,
        "appeal_summary": C.COMPLAINT,
        "handler": C.IDENTIFIER,
        "subjects": C.IDENTIFIER,
        "panel": C.IDENTIFIER,
    },
    not_personal=[
        "reference",
        "submission_key",
        "source",
        "status",
        "outcome",
        "route",
        "concerns",
        "about_kind",
        "issue_date",
        "received_on",
        "formal_on",
        "clock_starts_on",
        "late",
        "late_note",
        "deadline_note",
        "ack_due_on",
        "acknowledged_on",
        "response_due_on",
        "response_extended_to",
        "responded_on",
        "stage2_outcome",
        "appeal_window_ends_on",
        "appeal_requested_on",
        "appeal_due_on",
        "appeal_decided_on",
        "appeal_outcome",
        "decision_final",
        "closed_on",
        "next_due_on",
        "redirected_to",
        "actions_taken",
        "created_at",
        "updated_at",
    ],
    email_field="email",
    export_extra=("reference", "status", "outcome", "received_on"),
    # Who the complaint is about is someone else's name: not in the complainant's export, and
    # erased from other people's complaints when that person is erased.
    third_party=("subject_name",),
    erase=Erase.ANONYMISE,
    anonymise={
        "full_name": "[erased]",
        "email": "",
        "phone": "",
        "address": "",
        "relationship": "",
        "subject_name": "",
        "about_detail": "",
        "what_happened": "",
        "done_so_far": "",
        "outcome_wanted": "",
        "adjustments": "",
        "holding_reason": "",
        "stage2_summary": "",
        "appeal_grounds": "",
        "appeal_summary": "",
        "handler": None,
    },
    keep_if=_open,
    retention=Retention.after(
        "received_on", 72, "Six years after the complaint was received (the record of handling)."
    ),
    example=_example,
)

register(
    "complaints.ComplaintRecord",
    description="The written record of your complaint: calls, meetings, notes and decisions.",
    personal={"body": C.COMPLAINT, "author": C.IDENTIFIER},
    not_personal=["complaint", "kind", "visibility", "stage", "at"],
    email_field="complaint__email",
    export_extra=("kind", "at"),
    erase=Erase.ANONYMISE,
    anonymise={"body": "[erased]"},
    keep_if=lambda r: _open(r.complaint),
    retention=Retention.after("at", 72, "Kept with the complaint."),
)

register(
    "complaints.Attachment",
    description="Documents you attached to a complaint.",
    personal={"file": C.COMPLAINT, "original_name": C.OTHER},
    not_personal=[
        "complaint",
        "draft_key",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
        "from_complainant",
    ],
    email_field="complaint__email",
    export=lambda a: {
        "id": a.pk,
        "original_name": a.original_name,
        "file": "(a copy is provided on request)",
        "uploaded_at": a.uploaded_at.isoformat(),
    },
    erase=Erase.DELETE,
    keep_if=lambda a: _open(a.complaint) if a.complaint_id else None,
    retention=Retention.after("uploaded_at", 72, "Kept with the complaint."),
)

register(
    "complaints.Letter",
    description="Letters we sent you about your complaint.",
    personal={"body": C.COMPLAINT, "pdf": C.COMPLAINT, "created_by": C.IDENTIFIER},
    not_personal=["complaint", "kind", "subject", "sha256", "delivery", "created_at", "sent_on"],
    email_field="complaint__email",
    export_extra=("kind", "subject", "sent_on"),
    erase=Erase.DELETE,
    keep_if=lambda letter: _open(letter.complaint),
    retention=Retention.after("created_at", 72, "Kept with the complaint."),
)

register(
    "complaints.FollowLink",
    description="Private links to follow your complaint (only a hash is stored).",
    personal={"token_hash": C.CREDENTIAL},
    not_personal=["complaint", "created_at", "expires_at", "revoked_at"],
    email_field="complaint__email",
    export=lambda link: {
        "id": link.pk,
        "token_hash": "(a one-way hash; not shown)",
        "expires_at": link.expires_at.isoformat(),
    },
    erase=Erase.DELETE,
    keep_if=lambda link: _open(link.complaint),
    retention=Retention.after("created_at", 72, "Kept with the complaint."),
)

register("complaints.LetterTemplate", not_personal="__all__")
register("complaints.PolicyVersion", not_personal="__all__")
