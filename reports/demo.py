"""Demo reports: the year's due dates and one draft progress report awaiting the MHL."""

from __future__ import annotations

from datetime import date

from governance import selectors as governance_selectors
from governance import services as governance_services
from governance.models import ReportKind
from hubops.models import Hub
from hubops.roles import Role, users_with_role
from hubops.selectors import academic_year_for

from . import services
from .models import Report


def load(*, hub: Hub, today: date) -> None:
    year = academic_year_for(today)
    if year is None:
        return
    first = year.starts_on.year
    due = [
        (ReportKind.PROGRESS, date(first, 12, 12), "Autumn term"),
        (ReportKind.PROGRESS, date(first + 1, 3, 27), "Spring term"),
        (ReportKind.PROGRESS, date(first + 1, 7, 10), "Summer term"),
        (ReportKind.FINANCIAL, date(first + 1, 1, 16), "Quarter 2"),
        (ReportKind.ANNUAL, date(first + 1, 7, 31), ""),
        (ReportKind.COMPLAINTS, date(first + 1, 7, 17), ""),
    ]
    for kind, due_on, label in due:
        if not governance_selectors.report_due_date_exists(
            kind=kind, academic_year=year, due_on=due_on
        ):
            governance_services.report_due_date_create(
                kind=kind, academic_year=year, due_on=due_on, label=label, actor=None
            )
    if Report.objects.filter(academic_year=year).exists():
        load_workspace(hub=hub, today=today)
        return
    staff = users_with_role(Role.HUB_STAFF).first()
    report = services.create_report(
        kind=ReportKind.PROGRESS,
        year=year,
        actor=staff,
        period="Autumn term",
        due_date=governance_selectors.report_due_date_first(kind=ReportKind.PROGRESS),
    )
    services.save_narrative(
        report.pk,
        actor=staff,
        narrative={
            "delivery": "Work Groups are running as planned; recruitment is on track.",
            "issues": "One venue changed at short notice; sessions moved online.",
        },
    )
    if staff is not None:
        services.report_submit(report_id=report.pk, actor=staff, today=today)
    load_workspace(hub=hub, today=today)


def load_workspace(*, hub: Hub, today: date) -> None:
    """A second report, through the MHL's quality assurance and awaiting the SLL's sign-off
    (for the SLL's home). Idempotent (keyed on its kind and period)."""
    year = academic_year_for(today)
    staff = users_with_role(Role.HUB_STAFF).order_by("pk").first()
    mhl = users_with_role(Role.MHL).filter(is_superuser=False).order_by("pk").first()
    if year is None or staff is None or mhl is None:
        return
    if Report.objects.filter(academic_year=year, kind=ReportKind.FINANCIAL).exists():
        return
    report = services.create_report(
        kind=ReportKind.FINANCIAL,
        year=year,
        actor=staff,
        period="Quarter 2",
        due_date=governance_selectors.report_due_date_first(
            kind=ReportKind.FINANCIAL, academic_year=year
        ),
    )
    services.save_narrative(
        report.pk,
        actor=staff,
        narrative={
            "commentary": "Spending is on profile; the contingency is held for spring venues."
        },
    )
    services.report_submit(report_id=report.pk, actor=staff, today=today)
    services.report_approve(report_id=report.pk, actor=mhl, today=today)
