"""Writes for reports: drafting from live data, the sign-off moves, freezing the signed PDF.

Each move is ``report_<verb>(*, report_id, actor, today, ...)``: it locks the row, checks the
move in ``workflow.MACHINE`` (who may make it, from which status, and its guards), saves only
the fields it changes, writes the report's history and an audit event, and stores its mail in
the outbox in the same transaction. :func:`move` dispatches a move by its name in the table (the
page's buttons). The due-date reminders are in ``reminders.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from governance.models import ReportDueDate, ReportKind
from governance.services import report_due_date_met
from hubops import audit, emails
from hubops.models import AcademicYear, Hub
from hubops.pdf import render_pdf, sha256_hex
from hubops.roles import Role, users_with_role
from hubops.workflow import transition

from . import charts, layout, workflow
from .assemble import assemble
from .models import Report, ReportEvent
from .narrative import sections
from .narrative import unwritten_sections as _unwritten
from .selectors import roles_of
from .workflow import MACHINE, IllegalMove, ReportError

__all__ = ["IllegalMove", "ReportError", "roles_of"]


def _name(user: Any) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "email", "")) if user else "system"


def _history(report: Report, actor: Any, action: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report, actor=actor, actor_name=_name(actor), action=action, comment=comment
    )


def _event(report: Report, actor: Any, action: str, comment: str = "") -> None:
    _history(report, actor, action, comment)
    audit.record(actor, report, f"reports.report.{action}", data={"status": report.status})


def _title(kind: str, year: AcademicYear, period: str, work_group: Any) -> str:
    label = ReportKind(kind).label
    if work_group is not None:
        return f"{label}: {work_group.code} {year.name}"
    return f"{label} {period + ' ' if period else ''}{year.name}"


def _locked(report_id: int) -> Report:
    return Report.objects.select_for_update().get(pk=report_id)


# Drafting ------------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    kind: str,
    year: AcademicYear,
    actor: Any,
    period: str = "",
    work_group: Any = None,
    due_date: ReportDueDate | None = None,
) -> Report:
    """A draft with today's figures, for the deadline ``due_date`` when it is one of its kind."""
    if due_date is not None and due_date.kind != kind:
        raise ReportError(
            f"That deadline is for a {due_date.get_kind_display().lower()}, not this kind of "
            "report."
        )
    figures = assemble(kind, year, work_group)
    report = Report.objects.create(
        kind=kind,
        academic_year=year,
        period=period,
        work_group=work_group,
        due_date=due_date,
        title=_title(kind, year, period, work_group),
        figures=figures,
        figures_taken_at=timezone.now(),
        narrative={key: "" for key, _ in sections(kind)},
        created_by=actor,
    )
    _event(report, actor, "drafted")
    return report


@transaction.atomic
def report_figures_refresh(*, report_id: int, actor: Any) -> Report:
    report = _locked(report_id)
    if report.status != workflow.DRAFT:
        raise ReportError("Figures can only be refreshed while the report is a draft.")
    report.figures = assemble(report.kind, report.academic_year, report.work_group)
    report.figures_taken_at = timezone.now()
    report.save(update_fields=["figures", "figures_taken_at", "updated_at"])
    _event(report, actor, "figures_refreshed")
    return report


@transaction.atomic
def report_narrative_save(*, report_id: int, actor: Any, narrative: dict[str, str]) -> Report:
    report = _locked(report_id)
    if report.status != workflow.DRAFT:
        raise ReportError("Only a draft can be edited: ask for it to be returned first.")
    report.narrative = {key: (narrative.get(key) or "").strip() for key, _ in sections(report.kind)}
    report.save(update_fields=["narrative", "updated_at"])
    _event(report, actor, "narrative_saved")
    return report


def unwritten_sections(report: Report) -> list[str]:
    """The titles of the narrative sections of ``report`` that are still empty."""
    return _unwritten(report.kind, report.narrative)


# The PDF -------------------------------------------------------------------------------------


def render_report(report: Report, *, signed: bool = False) -> bytes:
    """The report as PDF: a preview until it is signed; the signed one carries the signature
    block."""
    parts = [layout.section(s, charts.bar_chart) for s in report.figures.get("sections", [])]
    narrative = [(label, report.narrative.get(key, "")) for key, label in sections(report.kind)]
    return render_pdf(
        "reports/pdf/report.html",
        {
            "report": report,
            "hub": Hub.current(),
            "sections": parts,
            "narrative": narrative,
            "signed": signed,
            "qa": report.events.filter(action="mhl_approve").last(),
        },
        variant="pdf/ua-1",
    )


def verify(report: Report) -> bool:
    """Whether the stored PDF is byte for byte the one that was signed."""
    if not report.pdf_sha256 or not report.pdf:
        return False
    with report.pdf.open("rb") as file:
        return sha256_hex(file.read()) == report.pdf_sha256


# The sign-off moves --------------------------------------------------------------------------


def _notify(report: Report, role: Role, template: str) -> None:
    to = [u.email for u in users_with_role(role)]
    if to:
        emails.queue_email(
            to=to,
            template_prefix=f"reports/email/{template}",
            context={"title": report.title, "report_id": report.pk},
        )


def _make(
    report: Report,
    name: str,
    *,
    actor: Any,
    comment: str = "",
    changes: dict[str, Any] | None = None,
) -> Report:
    """Make the move ``name`` (already checked) on the locked ``report``: status and
    ``changes`` saved, the history and the audit event written."""
    transition(
        report,
        MACHINE,
        name,
        actor=actor,
        action=f"reports.report.{name}",
        roles=roles_of(actor),
        subject=report,
        changes=changes,
    )
    _history(report, actor, name, comment)
    return report


@transaction.atomic
def report_submit(*, report_id: int, actor: Any, today: date | None = None) -> Report:
    """Send a draft with every section written to the MHL for quality assurance."""
    report = _locked(report_id)
    _make(report, "submit", actor=actor)
    _notify(report, Role.MHL, "awaiting_mhl")
    return report


@transaction.atomic
def report_approve(*, report_id: int, actor: Any, today: date | None = None) -> Report:
    """The MHL's initial quality assurance: on to the SLL."""
    report = _locked(report_id)
    _make(report, "mhl_approve", actor=actor)
    _notify(report, Role.SLL, "awaiting_sll")
    return report


@transaction.atomic
def report_return(
    *,
    report_id: int,
    actor: Any,
    comment: str,
    today: date | None = None,
    move_name: str | None = None,
) -> Report:
    """Back to draft with comments for the author: the MHL's return from QA or the SLL's from
    sign-off, whichever the report's status and the person allow (or ``move_name``)."""
    report = _locked(report_id)
    roles = roles_of(actor)
    if move_name is None:
        step = MACHINE.check_target(report.status, workflow.DRAFT, roles=roles, subject=report)
    else:
        step = MACHINE.check(move_name, report.status, roles=roles, subject=report)
        if step.target != workflow.DRAFT:
            raise IllegalMove(f"'{step.label}' does not return a report to its author.")
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise ReportError("Say what needs to change: the comment goes back to the author.")
    _make(report, step.name, actor=actor, comment=comment)
    if report.created_by:
        emails.queue_email(
            to=[report.created_by.email],
            template_prefix="reports/email/returned",
            context={"title": report.title, "report_id": report.pk, "comment": comment},
        )
    return report


@transaction.atomic
def report_sign(*, report_id: int, actor: Any, password: str, today: date | None = None) -> Report:
    """The SLL signs (confirming who they are with their password): the PDF is rendered once,
    stored with its SHA-256 and never regenerated; the deadline it is for is recorded as met."""
    report = _locked(report_id)
    MACHINE.check("sign", report.status, roles=roles_of(actor), subject=report)
    if not password or not actor.check_password(password):
        raise ReportError("That is not your password. The report was not signed.")
    signed_at = timezone.now()
    report.signed_by, report.signer_name, report.signed_at = actor, _name(actor), signed_at
    data = render_report(report, signed=True)
    digest = sha256_hex(data)
    report.pdf.save(f"report-{report.pk}-{digest[:12]}.pdf", ContentFile(data), save=False)
    _make(
        report,
        "sign",
        actor=actor,
        changes={
            "signed_by": actor,
            "signer_name": report.signer_name,
            "signed_at": signed_at,
            "pdf": report.pdf,
            "pdf_sha256": digest,
        },
    )
    if report.due_date_id:
        report_due_date_met(
            due_date_id=report.due_date_id,
            met_on=today or timezone.localdate(signed_at),
            met_by=report.title,
            actor=actor,
        )
    return report


@transaction.atomic
def report_record_submission(
    *,
    report_id: int,
    actor: Any,
    submitted_to: str,
    submitted_on: date | None,
    today: date | None = None,
) -> Report:
    """Record to whom (the DfE or the NCETM) and on which day the signed report was sent."""
    report = _locked(report_id)
    MACHINE.check("record_submission", report.status, roles=roles_of(actor), subject=report)
    if submitted_to not in ("dfe", "ncetm") or submitted_on is None:
        raise ReportError("Say to whom and on which date the report was submitted.")
    return _make(
        report,
        "record_submission",
        actor=actor,
        changes={"submitted_to": submitted_to, "submitted_on": submitted_on},
    )


_MOVES: dict[str, Callable[..., Report]] = {
    "submit": lambda report_id, actor, **kw: report_submit(report_id=report_id, actor=actor),
    "mhl_approve": lambda report_id, actor, **kw: report_approve(report_id=report_id, actor=actor),
    "mhl_return": lambda report_id, actor, **kw: report_return(
        report_id=report_id, actor=actor, comment=kw.get("comment", ""), move_name="mhl_return"
    ),
    "sll_return": lambda report_id, actor, **kw: report_return(
        report_id=report_id, actor=actor, comment=kw.get("comment", ""), move_name="sll_return"
    ),
    "sign": lambda report_id, actor, **kw: report_sign(
        report_id=report_id, actor=actor, password=kw.get("password", "")
    ),
    "record_submission": lambda report_id, actor, **kw: report_record_submission(
        report_id=report_id,
        actor=actor,
        submitted_to=kw.get("submitted_to", ""),
        submitted_on=kw.get("submitted_on"),
    ),
}


def move(report_id: int, name: str, *, actor: Any, **details: Any) -> Report:
    """Make the move called ``name`` in the table (the page's buttons post it), with what it
    needs: ``comment`` for a return, ``password`` to sign, ``submitted_to`` and
    ``submitted_on`` to record a submission."""
    MACHINE.get(name)  # an unknown name is refused with a sentence, not a KeyError
    return _MOVES[name](report_id, actor, **details)


# The names the other apps' tests, the bench and the demo call ---------------------------------


def create_report(**kwargs: Any) -> Report:
    return report_create(**kwargs)


def save_narrative(report_id: int, *, actor: Any, narrative: dict[str, str]) -> Report:
    return report_narrative_save(report_id=report_id, actor=actor, narrative=narrative)


def refresh_figures(report_id: int, *, actor: Any) -> Report:
    return report_figures_refresh(report_id=report_id, actor=actor)
