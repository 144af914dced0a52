"""Writes for governance. Every state change locks the row, checks the move, saves with
``update_fields`` and writes an audit event in the same transaction."""

from __future__ import annotations

from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone

from hubops import audit
from hubops.models import AcademicYear
from hubops.pdf import render_pdf, sha256_hex
from hubops.roles import Role, has_role
from hubops.selectors import school_calendar

from . import rules
from .models import (
    AgendaTemplate,
    BoardAttendance,
    BoardMeeting,
    BoardMember,
    ChecklistEntry,
    MeetingStatus,
    MeetingTerm,
    ReportDueDate,
)


class GovernanceError(Exception):
    """A move the rules do not allow; the message is shown to the user."""


#: The yearly cycle, used when no AgendaTemplate has been written in the admin.
DEFAULT_AGENDAS: dict[str, list[str]] = {
    MeetingTerm.AUTUMN: [
        "Apologies, declarations of interest and notes of the last meeting",
        "The annual report for the last academic year",
        "The Work Group evaluation reports",
        "Priorities for this year",
        "Actions and any other business",
    ],
    MeetingTerm.SPRING: [
        "Apologies, declarations of interest and notes of the last meeting",
        "Progress against the annual plan and finance forecast",
        "Priorities and the leadership structure for next year",
        "Actions and any other business",
    ],
    MeetingTerm.SUMMER: [
        "Apologies, declarations of interest and notes of the last meeting",
        "The draft annual plan for next year",
        "Board membership and terms ending",
        "Actions and any other business",
    ],
    MeetingTerm.EXTRA: ["Apologies and declarations of interest", "Business"],
}

#: Allowed moves of a meeting.
TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNED: {MeetingStatus.AGENDA_DRAFTED, MeetingStatus.CANCELLED},
    MeetingStatus.AGENDA_DRAFTED: {
        MeetingStatus.AGENDA_DRAFTED,
        MeetingStatus.AGENDA_AGREED,
        MeetingStatus.CANCELLED,
    },
    MeetingStatus.AGENDA_AGREED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: {MeetingStatus.HELD, MeetingStatus.NOTES_DRAFTED},
    MeetingStatus.NOTES_DRAFTED: {MeetingStatus.NOTES_DRAFTED, MeetingStatus.NOTES_AGREED},
    MeetingStatus.NOTES_AGREED: set(),
    MeetingStatus.CANCELLED: set(),
}

_MESSAGES = {
    MeetingStatus.AGENDA_DRAFTED: "The agenda can only be drafted before it is agreed.",
    MeetingStatus.AGENDA_AGREED: "The SLL must draft the agenda before the Chair agrees it.",
    MeetingStatus.HELD: "Attendance can be recorded once the agenda is agreed, and before notes.",
    MeetingStatus.NOTES_DRAFTED: "Notes can be drafted once the meeting is held, until agreed.",
    MeetingStatus.NOTES_AGREED: "Notes must be drafted before they are agreed.",
}


def check_move(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, set()):
        label = MeetingStatus(current).label
        raise GovernanceError(f"{_MESSAGES.get(new, 'That is not allowed now.')} (Now: {label}.)")


def agenda_template(term: str) -> list[str]:
    row = AgendaTemplate.objects.filter(term=term).first()
    if row:
        return [line.strip() for line in row.items.splitlines() if line.strip()]
    return list(DEFAULT_AGENDAS.get(term, []))


@transaction.atomic
def meeting_schedule(
    *, academic_year: AcademicYear, term: str, held_on: date, actor, location: str = ""
) -> BoardMeeting:
    if not has_role(actor, Role.HUB_STAFF, Role.MHL, Role.SLL):
        raise GovernanceError("Only hub staff can schedule board meetings.")
    if not academic_year.starts_on <= held_on <= academic_year.ends_on:
        raise GovernanceError(f"The date must fall within {academic_year}.")
    if (
        term != MeetingTerm.EXTRA
        and BoardMeeting.objects.filter(academic_year=academic_year, term=term).exists()
    ):
        raise GovernanceError(f"There is already a {term} meeting in {academic_year}.")
    calendar = school_calendar()
    meeting = BoardMeeting(
        academic_year=academic_year,
        term=term,
        held_on=held_on,
        location=location,
        papers_due_on=rules.working_days_before(
            calendar.is_working_day, held_on, rules.PAPERS_WORKING_DAYS_BEFORE
        ),
        agenda="\n".join(agenda_template(term)),
    )
    meeting.full_clean()
    meeting.save()
    audit.record(actor, meeting, "governance.boardmeeting.scheduled", data={"on": str(held_on)})
    return meeting


def _lock(meeting_id: int) -> BoardMeeting:
    return BoardMeeting.objects.select_for_update().get(pk=meeting_id)


@transaction.atomic
def meeting_mark_papers_circulated(*, meeting_id: int, actor, today: date) -> BoardMeeting:
    if not has_role(actor, Role.HUB_STAFF, Role.MHL, Role.SLL):
        raise GovernanceError("Only hub staff record that papers were circulated.")
    meeting = _lock(meeting_id)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.NOTES_AGREED):
        raise GovernanceError("This meeting's papers can no longer be changed.")
    if meeting.papers_circulated_on is None:
        meeting.papers_circulated_on = today
        meeting.save(update_fields=["papers_circulated_on", "updated_at"])
        audit.record(actor, meeting, "governance.boardmeeting.papers_circulated")
    return meeting


@transaction.atomic
def meeting_draft_agenda(*, meeting_id: int, actor, agenda: str, now: datetime) -> BoardMeeting:
    if not has_role(actor, Role.SLL):
        raise GovernanceError("Only the Senior Leadership Link drafts the agenda.")
    if not agenda.strip():
        raise GovernanceError("Enter the agenda.")
    meeting = _lock(meeting_id)
    check_move(meeting.status, MeetingStatus.AGENDA_DRAFTED)
    meeting.agenda = agenda.strip()
    meeting.agenda_drafted_by, meeting.agenda_drafted_at = actor, now
    meeting.status = MeetingStatus.AGENDA_DRAFTED
    meeting.save(
        update_fields=["agenda", "agenda_drafted_by", "agenda_drafted_at", "status", "updated_at"]
    )
    audit.record(actor, meeting, "governance.boardmeeting.agenda_drafted")
    return meeting


@transaction.atomic
def meeting_agree_agenda(*, meeting_id: int, actor, now: datetime) -> BoardMeeting:
    if not has_role(actor, Role.BOARD_CHAIR):
        raise GovernanceError("Only the Chair agrees the agenda.")
    meeting = _lock(meeting_id)
    check_move(meeting.status, MeetingStatus.AGENDA_AGREED)
    meeting.agenda_agreed_by, meeting.agenda_agreed_at = actor, now
    meeting.status = MeetingStatus.AGENDA_AGREED
    meeting.save(update_fields=["agenda_agreed_by", "agenda_agreed_at", "status", "updated_at"])
    audit.record(actor, meeting, "governance.boardmeeting.agenda_agreed")
    return meeting


@transaction.atomic
def meeting_record_attendance(
    *,
    meeting_id: int,
    actor,
    present_ids: set[int],
    apologies_ids: set[int] = frozenset(),
    today: date | None = None,
) -> BoardMeeting:
    """Record who came: this marks the meeting held, so only on or after the day it met."""
    if not has_role(actor, Role.HUB_STAFF, Role.MHL, Role.SLL):
        raise GovernanceError("Only hub staff record attendance.")
    meeting = _lock(meeting_id)
    check_move(meeting.status, MeetingStatus.HELD)
    today = today or timezone.localdate()
    if meeting.held_on > today:
        raise GovernanceError(
            f"This meeting is on {meeting.held_on:%-d %B %Y}: record attendance on or after "
            "that day."
        )
    members = [m for m in BoardMember.objects.all() if m.serving_on(meeting.held_on)]
    unknown = set(present_ids) - {m.pk for m in members}
    if unknown:
        raise GovernanceError("Attendance can only be recorded for members serving on the day.")
    BoardAttendance.objects.filter(meeting=meeting).delete()
    BoardAttendance.objects.bulk_create(
        BoardAttendance(
            meeting=meeting,
            member=m,
            present=m.pk in present_ids,
            apologies=m.pk not in present_ids and m.pk in apologies_ids,
        )
        for m in members
    )
    meeting.quorate = rules.is_quorate(len(set(present_ids)), len(members))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["quorate", "status", "updated_at"])
    audit.record(
        actor,
        meeting,
        "governance.boardmeeting.attendance_recorded",
        data={"present": len(set(present_ids)), "members": len(members)},
    )
    return meeting


@transaction.atomic
def meeting_draft_notes(*, meeting_id: int, actor, notes: str, now: datetime) -> BoardMeeting:
    if not has_role(actor, Role.HUB_STAFF, Role.MHL, Role.SLL):
        raise GovernanceError("Only hub staff draft the notes.")
    if not notes.strip():
        raise GovernanceError("Enter the notes.")
    meeting = _lock(meeting_id)
    check_move(meeting.status, MeetingStatus.NOTES_DRAFTED)
    meeting.notes = notes.strip()
    meeting.notes_drafted_by, meeting.notes_drafted_at = actor, now
    # A new draft needs both agreements again.
    meeting.notes_chair_agreed_by = meeting.notes_chair_agreed_at = None
    meeting.notes_sll_agreed_by = meeting.notes_sll_agreed_at = None
    meeting.status = MeetingStatus.NOTES_DRAFTED
    meeting.save(
        update_fields=[
            "notes",
            "notes_drafted_by",
            "notes_drafted_at",
            "notes_chair_agreed_by",
            "notes_chair_agreed_at",
            "notes_sll_agreed_by",
            "notes_sll_agreed_at",
            "status",
            "updated_at",
        ]
    )
    audit.record(actor, meeting, "governance.boardmeeting.notes_drafted")
    return meeting


@transaction.atomic
def meeting_agree_notes(*, meeting_id: int, actor, now: datetime) -> BoardMeeting:
    """The Chair and the SLL each agree the draft; when both have, the notes are locked as a
    PDF stored with its SHA-256 and never regenerated."""
    is_chair, is_sll = has_role(actor, Role.BOARD_CHAIR), has_role(actor, Role.SLL)
    if not (is_chair or is_sll):
        raise GovernanceError("Only the Chair and the Senior Leadership Link agree the notes.")
    meeting = _lock(meeting_id)
    if meeting.status != MeetingStatus.NOTES_DRAFTED:
        check_move(meeting.status, MeetingStatus.NOTES_AGREED)
    fields = ["updated_at"]
    if is_chair and meeting.notes_chair_agreed_at is None:
        meeting.notes_chair_agreed_by, meeting.notes_chair_agreed_at = actor, now
        fields += ["notes_chair_agreed_by", "notes_chair_agreed_at"]
        audit.record(actor, meeting, "governance.boardmeeting.notes_agreed_by_chair")
    elif is_sll and meeting.notes_sll_agreed_at is None:
        meeting.notes_sll_agreed_by, meeting.notes_sll_agreed_at = actor, now
        fields += ["notes_sll_agreed_by", "notes_sll_agreed_at"]
        audit.record(actor, meeting, "governance.boardmeeting.notes_agreed_by_sll")
    else:
        raise GovernanceError("You have already agreed these notes.")
    if meeting.notes_chair_agreed_at and meeting.notes_sll_agreed_at:
        pdf = render_pdf("governance/pdf/meeting_notes.html", _notes_context(meeting))
        meeting.notes_sha256 = sha256_hex(pdf)
        meeting.notes_pdf.save(f"board-notes-{meeting.pk}.pdf", ContentFile(pdf), save=False)
        meeting.status = MeetingStatus.NOTES_AGREED
        fields += ["notes_sha256", "notes_pdf", "status"]
        audit.record(
            actor,
            meeting,
            "governance.boardmeeting.notes_locked",
            data={"sha256": meeting.notes_sha256},
        )
    meeting.save(update_fields=fields)
    return meeting


def _notes_context(meeting: BoardMeeting) -> dict:
    attendance = list(meeting.attendance.select_related("member"))
    return {
        # The house PDF layout when it exists; a plain fallback otherwise.
        "base_template": select_template(["pdf/base.html", "governance/pdf/fallback_base.html"]),
        "meeting": meeting,
        "present": [a.member for a in attendance if a.present],
        "apologies": [a.member for a in attendance if a.apologies],
        "actions": list(meeting.actions.all()),
    }


@transaction.atomic
def checklist_entry_save(
    *, academic_year: AcademicYear, objective: str, status: str, evidence: str, actor
) -> ChecklistEntry:
    from .objectives import BY_CODE

    if not has_role(actor, Role.HUB_STAFF, Role.MHL, Role.SLL):
        raise GovernanceError("Only hub staff update the checklist.")
    if objective not in BY_CODE or BY_CODE[objective].computed:
        raise GovernanceError("That objective is computed from the records, not written.")
    entry, _ = ChecklistEntry.objects.select_for_update().get_or_create(
        academic_year=academic_year,
        objective=objective,
        defaults={"status": status, "evidence": evidence, "updated_by": actor},
    )
    entry.status, entry.evidence, entry.updated_by = status, evidence, actor
    entry.full_clean()
    entry.save(update_fields=["status", "evidence", "updated_by", "updated_at"])
    audit.record(actor, entry, "governance.checklistentry.updated", data={"status": status})
    return entry


@transaction.atomic
def report_due_date_met(*, due_date_id: int, met_on: date, met_by: str, actor) -> ReportDueDate:
    """Record that a reporting deadline was met (a report for it signed off on ``met_on``).
    The first sign-off counts; a later one for the same deadline changes nothing."""
    due = ReportDueDate.objects.select_for_update().get(pk=due_date_id)
    if due.met_on is not None:
        return due
    due.met_on, due.met_by = met_on, met_by[:200]
    due.save(update_fields=["met_on", "met_by"])
    audit.record(actor, due, "governance.reportduedate.met", data={"met_on": met_on.isoformat()})
    return due
