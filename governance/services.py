"""Writes for governance's meetings, checklist and reporting deadlines. Every status change
locks the row, checks the move against ``governance.workflow.MEETING`` (who may make it, and
the guards that keep the record true), saves with ``update_fields`` and writes an audit event
in the same transaction. Board members, appointments, SLAs, the plan and money: ``records.py``."""

from __future__ import annotations

from collections.abc import Set
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import select_template
from django.utils import timezone

from hubops import audit
from hubops.models import AcademicYear
from hubops.pdf import render_pdf, sha256_hex
from hubops.selectors import school_calendar
from hubops.workflow import transition

from . import rules, workflow
from .access import actor_roles, can_edit
from .models import (
    AgendaTemplate,
    BoardAttendance,
    BoardMeeting,
    BoardMember,
    ChecklistEntry,
    MeetingTerm,
    ReportDueDate,
)
from .objectives import BY_CODE
from .workflow import GovernanceError

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


def agenda_template(term: str) -> list[str]:
    row = AgendaTemplate.objects.filter(term=term).first()
    if row:
        return [line.strip() for line in row.items.splitlines() if line.strip()]
    return list(DEFAULT_AGENDAS.get(term, []))


@transaction.atomic
def meeting_schedule(
    *,
    academic_year_id: int,
    actor,
    today: date,
    term: str,
    held_on: date,
    location: str = "",
) -> BoardMeeting:
    """A meeting in the year's cycle: the papers deadline (five working days before) and the
    term's standing agenda. The year's row is locked so two people cannot both schedule the
    one spring meeting."""
    if not can_edit(actor):
        raise GovernanceError("Only hub staff can schedule board meetings.")
    academic_year = AcademicYear.objects.select_for_update().get(pk=academic_year_id)
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


def _facts(meeting: BoardMeeting, today: date, **more) -> workflow.MeetingFacts:
    return workflow.MeetingFacts(
        held_on=meeting.held_on,
        today=today,
        chair_agreed=meeting.notes_chair_agreed_at is not None,
        sll_agreed=meeting.notes_sll_agreed_at is not None,
        **more,
    )


def _move(meeting: BoardMeeting, name: str, *, actor, today: date, **facts) -> None:
    workflow.check(
        name, meeting.status, roles=actor_roles(actor), subject=_facts(meeting, today, **facts)
    )


@transaction.atomic
def meeting_mark_papers_circulated(*, meeting_id: int, actor, today: date) -> BoardMeeting:
    if not can_edit(actor):
        raise GovernanceError("Only hub staff record that papers were circulated.")
    meeting = _lock(meeting_id)
    if not workflow.papers_open(meeting.status):
        raise GovernanceError("This meeting's papers can no longer be changed.")
    if meeting.papers_circulated_on is None:
        meeting.papers_circulated_on = today
        meeting.save(update_fields=["papers_circulated_on", "updated_at"])
        audit.record(actor, meeting, "governance.boardmeeting.papers_circulated")
    return meeting


@transaction.atomic
def meeting_draft_agenda(*, meeting_id: int, actor, today: date, agenda: str) -> BoardMeeting:
    meeting = _lock(meeting_id)
    _move(meeting, "draft_agenda", actor=actor, today=today)
    if not agenda.strip():
        raise GovernanceError("Enter the agenda.")
    transition(
        meeting,
        workflow.MEETING,
        "draft_agenda",
        actor=actor,
        action="governance.boardmeeting.agenda_drafted",
        changes={
            "agenda": agenda.strip(),
            "agenda_drafted_by": actor,
            "agenda_drafted_at": timezone.now(),
        },
    )
    return meeting


@transaction.atomic
def meeting_agree_agenda(*, meeting_id: int, actor, today: date) -> BoardMeeting:
    meeting = _lock(meeting_id)
    _move(meeting, "agree_agenda", actor=actor, today=today)
    transition(
        meeting,
        workflow.MEETING,
        "agree_agenda",
        actor=actor,
        action="governance.boardmeeting.agenda_agreed",
        changes={"agenda_agreed_by": actor, "agenda_agreed_at": timezone.now()},
    )
    return meeting


def serving_members(meeting: BoardMeeting) -> list[BoardMember]:
    return [m for m in BoardMember.objects.all() if m.serving_on(meeting.held_on)]


@transaction.atomic
def meeting_record_attendance(
    *,
    meeting_id: int,
    actor,
    today: date,
    present_ids: set[int],
    apologies_ids: Set[int] = frozenset(),
) -> BoardMeeting:
    """Record who came: this marks the meeting held, so only on or after the day it met."""
    meeting = _lock(meeting_id)
    _move(meeting, "record_attendance", actor=actor, today=today)
    members = serving_members(meeting)
    if set(present_ids) - {m.pk for m in members}:
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
    transition(
        meeting,
        workflow.MEETING,
        "record_attendance",
        actor=actor,
        action="governance.boardmeeting.attendance_recorded",
        subject=_facts(meeting, today),
        changes={"quorate": rules.is_quorate(len(set(present_ids)), len(members))},
        data={"present": len(set(present_ids)), "members": len(members)},
    )
    return meeting


@transaction.atomic
def meeting_draft_notes(*, meeting_id: int, actor, today: date, notes: str) -> BoardMeeting:
    meeting = _lock(meeting_id)
    _move(meeting, "draft_notes", actor=actor, today=today)
    if not notes.strip():
        raise GovernanceError("Enter the notes.")
    transition(
        meeting,
        workflow.MEETING,
        "draft_notes",
        actor=actor,
        action="governance.boardmeeting.notes_drafted",
        changes={
            "notes": notes.strip(),
            "notes_drafted_by": actor,
            "notes_drafted_at": timezone.now(),
            # A new draft needs both agreements again.
            "notes_chair_agreed_by": None,
            "notes_chair_agreed_at": None,
            "notes_chair_agreed_on": None,
            "notes_sll_agreed_by": None,
            "notes_sll_agreed_at": None,
            "notes_sll_agreed_on": None,
        },
    )
    return meeting


@transaction.atomic
def meeting_agree_notes(
    *, meeting_id: int, actor, today: date, agreed_on: date | None
) -> BoardMeeting:
    """The Chair and the SLL each agree the draft on the day they say they agreed it; when both
    have, the notes are locked as a PDF stored with its SHA-256 and never regenerated."""
    meeting = _lock(meeting_id)
    roles = actor_roles(actor)
    side = workflow.notes_side(
        roles,
        chair_agreed=meeting.notes_chair_agreed_at is not None,
        sll_agreed=meeting.notes_sll_agreed_at is not None,
    )
    _move(meeting, "agree_notes", actor=actor, today=today, side=side, agreed_on=agreed_on)
    transition(
        meeting,
        workflow.MEETING,
        "agree_notes",
        actor=actor,
        action=f"governance.boardmeeting.notes_agreed_by_{side}",
        subject=_facts(meeting, today, side=side, agreed_on=agreed_on),
        changes={
            f"notes_{side}_agreed_by": actor,
            f"notes_{side}_agreed_at": timezone.now(),
            f"notes_{side}_agreed_on": agreed_on,
        },
        data={"agreed_on": str(agreed_on)},
    )
    facts = _facts(meeting, today)
    if not workflow.MEETING.reasons("lock_notes", meeting.status, subject=facts):
        pdf = render_pdf("governance/pdf/meeting_notes.html", _notes_context(meeting))
        meeting.notes_pdf.save(f"board-notes-{meeting.pk}.pdf", ContentFile(pdf), save=False)
        transition(
            meeting,
            workflow.MEETING,
            "lock_notes",
            actor=actor,
            action="governance.boardmeeting.notes_locked",
            subject=facts,
            changes={"notes_sha256": sha256_hex(pdf), "notes_pdf": meeting.notes_pdf},
            data={"sha256": sha256_hex(pdf)},
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting_id: int, actor, today: date, reason: str) -> BoardMeeting:
    """Cancel a meeting that has not been held, with the reason (kept on the record)."""
    meeting = _lock(meeting_id)
    _move(meeting, "cancel", actor=actor, today=today)
    if not reason.strip():
        raise GovernanceError("Enter why the meeting is cancelled.")
    transition(
        meeting,
        workflow.MEETING,
        "cancel",
        actor=actor,
        action="governance.boardmeeting.cancelled",
        changes={"cancelled_reason": reason.strip()},
    )
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
    *,
    academic_year_id: int,
    objective: str,
    actor,
    today: date,
    status: str,
    evidence: str,
) -> ChecklistEntry:
    if not can_edit(actor):
        raise GovernanceError("Only hub staff update the checklist.")
    if objective not in BY_CODE or BY_CODE[objective].computed:
        raise GovernanceError("That objective is computed from the records, not written.")
    entry, _ = ChecklistEntry.objects.select_for_update().get_or_create(
        academic_year_id=academic_year_id,
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


# Reporting deadlines, set by hub staff on /staff/reports/due-dates/ ----------------------------


def _due_date_saved(due: ReportDueDate, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            due.save(update_fields=fields)
    except IntegrityError:
        raise GovernanceError(
            f"A {due.get_kind_display().lower()} for {due.academic_year} is already due on "
            "that day."
        ) from None


@transaction.atomic
def report_due_date_create(
    *, kind: str, academic_year: AcademicYear, due_on: date, label: str, actor: Any
) -> ReportDueDate:
    """Set when a kind of report is due in a year; the MHL and the SLL are reminded 14 days
    before and on the day."""
    due = ReportDueDate(
        kind=kind, academic_year=academic_year, due_on=due_on, label=(label or "").strip()
    )
    _due_date_saved(due)
    audit.record(
        actor, due, "governance.reportduedate.created", data={"due_on": due_on.isoformat()}
    )
    return due


@transaction.atomic
def report_due_date_change(
    *, due_date_id: int, actor: Any, due_on: date, label: str, today: date | None = None
) -> ReportDueDate:
    """Move a deadline or rename it. A deadline already met stays as it was met."""
    due = (
        ReportDueDate.objects.select_for_update()
        .select_related("academic_year")
        .get(pk=due_date_id)
    )
    if due.met_on is not None:
        raise GovernanceError(
            "This deadline was met when its report was signed off, so it can no longer be changed."
        )
    before = due.due_on
    due.due_on, due.label = due_on, (label or "").strip()
    _due_date_saved(due, ["due_on", "label"])
    audit.record(
        actor,
        due,
        "governance.reportduedate.changed",
        data={"from": before.isoformat(), "to": due_on.isoformat()},
    )
    return due
