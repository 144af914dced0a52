"""What happened at a group: the registers, the participants' evaluations and the Lead's
report."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hubops import audit

from .. import workflow
from ..models import (
    Attendance,
    AttendanceStatus,
    LeadReport,
    ParticipantEvaluation,
    Registration,
    RegStatus,
    ReportStatus,
    Session,
)
from ..workflow import WorkGroupError
from .sessions import session_facts


@transaction.atomic
def attendance_mark(
    *, session_id: int, actor, marks: dict[int, str], now: datetime | None = None
) -> int:
    """Mark a whole session at once: ``marks`` maps registration ids to a status. A register
    is taken only once the session has started (the machine's guard): attendance is a record
    of what happened."""
    session = Session.objects.select_for_update().get(pk=session_id)
    workflow.SESSION.check(
        "take_register",
        workflow.session_status(session.cancelled),
        subject=session_facts(session, now),
    )
    valid = set(
        session.work_group.registrations.filter(
            status__in=[RegStatus.CONFIRMED, RegStatus.COMPLETED]
        ).values_list("pk", flat=True)
    )
    n = 0
    for reg_id, status in marks.items():
        if reg_id not in valid or status not in AttendanceStatus.values:
            continue
        Attendance.objects.update_or_create(
            session=session, registration_id=reg_id, defaults={"status": status}
        )
        n += 1
    audit.record(actor, session, "workgroups.attendance.marked", data={"count": n})
    return n


@transaction.atomic
def evaluation_submit(*, registration_id: int, actor, answers: dict) -> ParticipantEvaluation:
    reg = Registration.objects.select_for_update().get(pk=registration_id)
    if reg.user_id != actor.pk:
        raise WorkGroupError("You can only evaluate your own Work Groups.")
    if reg.status not in (RegStatus.CONFIRMED, RegStatus.COMPLETED):
        raise WorkGroupError("Only participants can evaluate a Work Group.")
    ev, _ = ParticipantEvaluation.objects.update_or_create(registration=reg, defaults=answers)
    audit.record(actor, ev, "workgroups.evaluation.submitted")
    return ev


@transaction.atomic
def lead_report_save(*, group_id: int, actor, answers: dict, submit: bool) -> LeadReport:
    report, _ = LeadReport.objects.select_for_update().get_or_create(work_group_id=group_id)
    if report.status != ReportStatus.DRAFT:
        raise WorkGroupError("This report has been submitted and can no longer be changed.")
    for name, value in answers.items():
        setattr(report, name, value)
    fields = [*answers, "updated_at"]
    if submit:
        missing = [n for n, v in answers.items() if not str(v).strip()]
        if missing:
            raise WorkGroupError("Fill in every part of the report before you submit it.")
        report.status, report.submitted_at, report.submitted_by = (
            ReportStatus.SUBMITTED,
            timezone.now(),
            actor,
        )
        fields += ["status", "submitted_at", "submitted_by"]
    report.save(update_fields=fields)
    audit.record(actor, report, "workgroups.leadreport." + ("submitted" if submit else "saved"))
    return report


@transaction.atomic
def lead_report_review(*, group_id: int, actor) -> LeadReport:
    """The hub marks a submitted report as reviewed."""
    report = LeadReport.objects.select_for_update().filter(work_group_id=group_id).first()
    if report is None or report.status != ReportStatus.SUBMITTED:
        raise WorkGroupError("Only a submitted report can be marked as reviewed.")
    report.status = ReportStatus.REVIEWED
    report.save(update_fields=["status", "updated_at"])
    audit.record(actor, report, "workgroups.leadreport.reviewed")
    return report
