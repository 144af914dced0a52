"""Reads for reports: who may use the reports pages, the reports and due dates they show."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from governance import selectors as governance_selectors
from governance.models import ReportDueDate
from hubops.roles import Role, has_role

from . import workflow
from .models import Report

#: Who may open /staff/reports/: hub staff, the MHL and the SLL.
REPORT_ROLES = (Role.HUB_STAFF, Role.MHL, Role.SLL)


def can_use_reports(user: Any) -> bool:
    return has_role(user, *REPORT_ROLES)


def roles_of(user: Any) -> set[str]:
    """The names the transition table gives this person ("staff", "mhl", "sll")."""
    roles = set()
    if has_role(user, *REPORT_ROLES):
        roles.add(workflow.STAFF)
    if has_role(user, Role.MHL):
        roles.add(workflow.MHL)
    if has_role(user, Role.SLL):
        roles.add(workflow.SLL)
    return roles


def report_list() -> list[Report]:
    return list(Report.objects.select_related("academic_year", "work_group", "due_date"))


def awaiting(user: Any, reports: list[Report]) -> list[Report]:
    """The reports in ``reports`` whose next move is this person's (QA, sign-off)."""
    roles = roles_of(user)
    return [
        r
        for r in reports
        if r.status in (workflow.SUBMITTED, workflow.MHL_APPROVED)
        and workflow.available(r.status, roles, r)
    ]


def report_get_for_user(user: Any, pk: int) -> Report | None:
    """Every report is open to everyone who may use the reports pages; ``None`` otherwise."""
    if not can_use_reports(user):
        return None
    return Report.objects.select_related("academic_year", "due_date").filter(pk=pk).first()


def due_dates() -> QuerySet[ReportDueDate]:
    """Every reporting deadline, soonest first, with its year."""
    return governance_selectors.report_due_dates()


def due_date_get_for_user(user: Any, pk: int) -> ReportDueDate | None:
    if not can_use_reports(user):
        return None
    return due_dates().filter(pk=pk).first()


def open_due_dates() -> QuerySet[ReportDueDate]:
    """Deadlines not yet met, for linking a new draft to the deadline it is for."""
    return due_dates().filter(met_on__isnull=True)
