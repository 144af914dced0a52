"""Writes for reports: drafting from live data, the sign-off moves, freezing the signed PDF,
and the due-date reminders. Every move locks the row, checks the transition table, records an
event and an audit entry, and queues its email on commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from governance.models import ReportDueDate, ReportKind
from governance.services import report_due_date_met
from hubops import audit, emails, reminders
from hubops.models import AcademicYear, Hub
from hubops.pdf import render_pdf, sha256_hex
from hubops.roles import Role, has_role, users_with_role

from . import charts, layout, workflow
from .assemble import NARRATIVE, assemble
from .models import Report, ReportEvent

REMIND_DAYS_BEFORE = 14


class ReportError(Exception):
    """A change that cannot be made; the message says why."""


def roles_of(user) -> set[str]:
    roles = set()
    if has_role(user, Role.HUB_STAFF, Role.MHL, Role.SLL):
        roles.add(workflow.STAFF)
    if has_role(user, Role.MHL):
        roles.add(workflow.MHL)
    if has_role(user, Role.SLL):
        roles.add(workflow.SLL)
    return roles


def _name(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "email", "")) if user else "system"


def _event(report: Report, actor, action: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report, actor=actor, actor_name=_name(actor), action=action, comment=comment
    )
    audit.record(actor, report, f"reports.report.{action}", data={"status": report.status})


def _title(kind: str, year: AcademicYear, period: str, work_group) -> str:
    label = ReportKind(kind).label
    if work_group is not None:
        return f"{label}: {work_group.code} {year.name}"
    return f"{label} {period + ' ' if period else ''}{year.name}"


@transaction.atomic
def create_report(
    *, kind: str, year: AcademicYear, actor, period: str = "", work_group=None, due_date=None
) -> Report:
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
        narrative={key: "" for key, _ in NARRATIVE[kind]},
        created_by=actor,
    )
    _event(report, actor, "drafted")
    return report


def _locked(report_id: int) -> Report:
    return Report.objects.select_for_update().get(pk=report_id)


@transaction.atomic
def refresh_figures(report_id: int, *, actor) -> Report:
    report = _locked(report_id)
    if report.status != workflow.DRAFT:
        raise ReportError("Figures can only be refreshed while the report is a draft.")
    report.figures = assemble(report.kind, report.academic_year, report.work_group)
    report.figures_taken_at = timezone.now()
    report.save(update_fields=["figures", "figures_taken_at", "updated_at"])
    _event(report, actor, "figures_refreshed")
    return report


@transaction.atomic
def save_narrative(report_id: int, *, actor, narrative: dict[str, str]) -> Report:
    report = _locked(report_id)
    if report.status != workflow.DRAFT:
        raise ReportError("Only a draft can be edited: ask for it to be returned first.")
    keys = [key for key, _ in NARRATIVE[report.kind]]
    report.narrative = {key: (narrative.get(key) or "").strip() for key in keys}
    report.save(update_fields=["narrative", "updated_at"])
    _event(report, actor, "narrative_saved")
    return report


def render_report(report: Report, *, signed: bool = False) -> bytes:
    """The report as PDF: a preview until it is signed; the signed one carries the signature
    block."""
    sections = []
    for section in report.figures.get("sections", []):
        chart = section.get("chart")
        sections.append(
            {
                **section,
                "svg": charts.bar_chart(chart) if chart else "",
                "fact_cells": layout.facts(section.get("facts") or []),
                "table": layout.table(section.get("columns") or [], section.get("rows") or []),
            }
        )
    narrative = [(label, report.narrative.get(key, "")) for key, label in NARRATIVE[report.kind]]
    return render_pdf(
        "reports/pdf/report.html",
        {
            "report": report,
            "hub": Hub.current(),
            "sections": sections,
            "narrative": narrative,
            "signed": signed,
            "qa": report.events.filter(action="mhl_approve").last(),
        },
        variant="pdf/ua-1",
    )


def _notify(report: Report, role: Role, template: str) -> None:
    to = [u.email for u in users_with_role(role)]
    if to:
        emails.queue_email(
            to=to,
            template_prefix=f"reports/email/{template}",
            context={"title": report.title, "report_id": report.pk},
        )


def unwritten_sections(report: Report) -> list[str]:
    """The titles of the narrative sections of ``report`` that are still empty."""
    return [
        title
        for key, title in NARRATIVE.get(report.kind, [])
        if not str(report.narrative.get(key, "")).strip()
    ]


def move(
    report_id: int,
    name: str,
    *,
    actor,
    comment: str = "",
    password: str = "",
    submitted_to: str = "",
    submitted_on: date | None = None,
) -> Report:
    with transaction.atomic():
        report = _locked(report_id)
        step = workflow.check(name, report.status, roles_of(actor))
        if name == "submit":
            unwritten = unwritten_sections(report)
            if unwritten:
                raise ReportError(
                    "Write every section before quality assurance. Not yet written: "
                    + ", ".join(unwritten)
                    + "."
                )
        comment = comment.strip()
        if step.needs_comment and not comment:
            raise ReportError("Say what needs to change: the comment goes back to the author.")
        if name == "sign":
            # The signer confirms who they are at the moment of signing.
            if not password or not actor.check_password(password):
                raise ReportError("That is not your password. The report was not signed.")
            report.status = step.target
            report.signed_by = actor
            report.signer_name = _name(actor)
            report.signed_at = timezone.now()
            data = render_report(report, signed=True)
            report.pdf_sha256 = sha256_hex(data)
            report.pdf.save(
                f"report-{report.pk}-{report.pdf_sha256[:12]}.pdf", ContentFile(data), save=False
            )
        elif name == "record_submission":
            if submitted_to not in ("dfe", "ncetm") or submitted_on is None:
                raise ReportError("Say to whom and on which date the report was submitted.")
            report.submitted_to, report.submitted_on = submitted_to, submitted_on
        report.status = step.target
        report.save()
        _event(report, actor, name, comment)
        if name == "sign" and report.due_date_id:
            report_due_date_met(
                due_date_id=report.due_date_id,
                met_on=timezone.localdate(report.signed_at),
                met_by=report.title,
                actor=actor,
            )
    if name == "submit":
        _notify(report, Role.MHL, "awaiting_mhl")
    elif name == "mhl_approve":
        _notify(report, Role.SLL, "awaiting_sll")
    elif name in ("mhl_return", "sll_return") and report.created_by:
        emails.queue_email(
            to=[report.created_by.email],
            template_prefix="reports/email/returned",
            context={"title": report.title, "report_id": report.pk, "comment": comment},
        )
    return report


def verify(report: Report) -> bool:
    """Whether the stored PDF is byte for byte the one that was signed."""
    if not report.pdf_sha256 or not report.pdf:
        return False
    with report.pdf.open("rb") as file:
        return sha256_hex(file.read()) == report.pdf_sha256


def reminder_sweep(today: date) -> int:
    """Remind the MHL and the SLL 14 days before each due date and on the day, unless a
    report for it has been issued. Each reminder is sent once."""
    sent = 0
    due = ReportDueDate.objects.filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE)
    ).select_related("academic_year")
    to = [u.email for role in (Role.MHL, Role.SLL) for u in users_with_role(role)]
    for item in due:
        if item.met_on is not None:
            continue
        kind = "due_today" if item.due_on == today else "due_soon"
        if kind == "due_soon" and item.due_on != today + timedelta(days=REMIND_DAYS_BEFORE):
            continue
        sent += reminders.remind_once(
            obj=item,
            kind=f"reports.{kind}",
            due_on=item.due_on,
            to=to,
            template_prefix="reports/email/due",
            context={"what": str(item), "due_on": item.due_on.isoformat(), "today": kind},
        )
    return sent
