"""Assemble a report's figures from the live records, as plain JSON (stored with the draft).

Composes the other apps' selectors; nothing here writes. Every function takes the academic
year (and, for an evaluation report, the Work Group) and returns ``{"sections": [...]}``:
each section has a ``title``, optional ``rows`` (a small table: ``columns`` and ``rows``),
``facts`` (label and value pairs) and ``chart`` (bars of value against target, drawn as SVG in
the PDF). Long listings stay out: tables hold one row per group, line or outcome, never one
per person.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count

from complaints.figures import annual_figures, figure_charts
from complaints.models import AboutKind
from governance import selectors as governance_selectors
from governance.models import (
    BoardMeeting,
    MeetingStatus,
    ReportKind,
)
from governance.selectors import finance_summary
from hubops import charts
from hubops.formats import format_date
from hubops.models import AcademicYear
from workgroups import selectors as workgroup_selectors
from workgroups.models import (
    OUTCOMES,
)
from workgroups.selectors import reach

from .layout import chart_json
from .narrative import NARRATIVE

MAX_TABLE_ROWS = 60


def _money(value) -> str:
    return f"£{Decimal(value or 0):,.2f}"


def _work_groups(year: AcademicYear) -> dict[str, Any]:
    groups = workgroup_selectors.group_figures_for(year)
    rows = [
        [
            g.code,
            g.project.code,
            g.get_status_display(),
            g.capacity_schools,
            g.schools,
            g.participants,
            g.completed,
        ]
        for g in groups
    ]
    by_status = Counter(g.get_status_display() for g in groups)
    columns = [
        "Group",
        "Project",
        "Status",
        "Schools agreed",
        "Schools recruited",
        "Participants",
        "Completed",
    ]
    if len(rows) > MAX_TABLE_ROWS:
        # A long listing would dominate the PDF (and its rendering time): one row per project.
        per_project: dict[str, list] = {}
        for _code, project, _status, agreed, schools, people, done in rows:
            total = per_project.setdefault(project, [project, 0, 0, 0, 0, 0])
            for i, value in enumerate((1, agreed, schools, people, done), start=1):
                total[i] += value
        columns = [
            "Project",
            "Groups",
            "Schools agreed",
            "Schools recruited",
            "Participants",
            "Completed",
        ]
        table = list(per_project.values())
    else:
        table = rows
    return {
        "title": "Work Groups",
        "facts": [
            ["Work Groups", len(rows)],
            *[[f"{status}", n] for status, n in sorted(by_status.items())],
            ["Schools recruited", sum(r[4] for r in rows)],
            ["Places agreed with the NCETM (schools)", sum(r[3] for r in rows)],
        ],
        "columns": columns,
        "rows": table,
    }


def _recruitment_chart(section: dict[str, Any]) -> dict[str, Any]:
    recruited = section["columns"].index("Schools recruited")
    agreed = section["columns"].index("Schools agreed")
    return {
        "title": "Schools recruited against the numbers agreed",
        "bars": [[r[0], r[recruited], r[agreed]] for r in section["rows"][:20]],
        "unit": "schools",
        "value_label": "Recruited",
        "target_label": "Agreed with the NCETM",
        "axis_title": "Schools",
    }


def _reach(year: AcademicYear) -> dict[str, Any]:
    figures = reach(year)
    return {
        "title": "Teaching for Mastery reach",
        "columns": ["Phase", "Schools in the area", "Completed a TfM project", "Reach", "Target"],
        "rows": [
            [f.label, f.total, f.completed, f"{f.percent}%", f"{f.target_percent}%"]
            for f in figures
        ],
        "chart": {
            "title": "Reach against target (per cent of open schools)",
            "bars": [[f.label, f.percent, f.target_percent] for f in figures],
            "unit": "%",
            "value_label": "Reach",
            "target_label": "Target",
        },
    }


def _evaluations(year: AcademicYear, work_group=None) -> dict[str, Any]:
    qs = workgroup_selectors.participant_evaluations_in(year, work_group)
    averages = qs.aggregate(n=Count("pk"), **{name: Avg(name) for name, _ in OUTCOMES})
    return {
        "title": "Participants' evaluation on the four outcomes",
        "facts": [["Evaluations returned", averages["n"]]],
        "columns": ["Outcome", "Average rating (1 = no impact, 5 = a great deal)"],
        "rows": [
            [label, round(averages[name], 2) if averages[name] is not None else "No returns"]
            for name, label in OUTCOMES
        ],
    }


def _lead_report(work_group) -> dict[str, Any]:
    report = getattr(work_group, "lead_report", None)
    rows = []
    for name, label in OUTCOMES:
        rows.append(
            [
                label,
                getattr(report, f"{name}_evidence", "") if report else "",
                getattr(report, f"{name}_impact", "") if report else "",
                getattr(report, f"{name}_next_steps", "") if report else "",
            ]
        )
    return {
        "title": "The Work Group Lead's evaluation (standard template)",
        "facts": [["Lead's report", report.get_status_display() if report else "Not written"]],
        "columns": ["Outcome", "Evidence", "Impact", "Next steps"],
        "rows": rows,
    }


def _llme(year: AcademicYear) -> dict[str, Any]:
    figures = governance_selectors.llme_figures(year)
    return {
        "title": "Local leaders of mathematics education (LLME)",
        "facts": [
            ["LLME recorded", figures["leaders"]],
            ["Work Group Leads", figures["work_group_leads"]],
            ["SLAs in force during the year", figures["slas"]],
            ["Release days agreed", figures["release_days"]],
        ],
    }


def _board(year: AcademicYear) -> dict[str, Any]:
    meetings = BoardMeeting.objects.filter(academic_year=year).order_by("held_on")
    return {
        "title": "Strategic Board",
        "columns": ["Meeting", "Date", "Status"],
        "rows": [
            [m.get_term_display(), format_date(m.held_on), m.get_status_display()] for m in meetings
        ],
        "facts": [
            [
                "Meetings held",
                sum(
                    m.status not in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)
                    for m in meetings
                ),
            ],
        ],
    }


#: What the first column of each complaint chart's table lists (by the chart's slug).
_CATEGORY_LABELS = {
    "complaints-stage": "Stage reached",
    "complaints-outcome": "Outcome",
    "complaints-theme": "Theme",
    "complaints-month": "Month received",
    "complaints-timeliness": "Step",
}


def _theme_chart(f: dict[str, Any]) -> charts.Chart:
    labels = dict(AboutKind.choices)
    return charts.bar_chart(
        title=f"Complaints by theme, {f['academic_year']}",
        description="What each complaint was about. Complaints sent to the DfE are not "
        "counted here.",
        categories=[labels.get(k, k.replace("_", " ").capitalize()) for k in f["themes"]],
        values=list(f["themes"].values()),
        name="Complaints",
        axis_label="Complaints",
        slug="complaints-theme",
    )


def _complaints(year: AcademicYear) -> dict[str, Any]:
    """The year's complaint figures: the counts, and the staff figures page's charts (by stage,
    outcome and month, and time to respond against the deadline) plus one by theme, each stored
    with the draft with its figures so the report does not change under review."""
    f = annual_figures(year.name)
    drawn = figure_charts(f)
    if not any("theme" in c.slug for c in drawn):
        drawn.insert(2, _theme_chart(f))
    return {
        "title": "Complaints",
        "facts": [
            ["Received", f["received"]],
            ["Made after the policy's time limits", f["late_filed"]],
            ["Redirected to the DfE", f["redirected"]],
        ],
        "charts": [
            {**chart_json(c), "category_label": _CATEGORY_LABELS.get(c.slug, "")} for c in drawn
        ],
        "list": list(f["actions_taken"]),
        "list_title": "What the hub changed as a result",
    }


def _finance(year: AcademicYear) -> dict[str, Any]:
    summary = finance_summary(year)
    if summary is None:
        return {"title": "Finance", "facts": [["Grant", "No grant is recorded for this year."]]}
    rows, budget_total, forecast_total, actual_total = [], Decimal(0), Decimal(0), Decimal(0)
    for line in summary["lines"]:
        forecast = sum((q.forecast or 0) for q in line["quarters"])
        actual = sum((q.actual or 0) for q in line["quarters"])
        budget_total += line["line"].budget
        forecast_total += forecast
        actual_total += actual
        rows.append(
            [
                line["line"].title,
                line["line"].get_kind_display(),
                _money(line["line"].budget),
                _money(forecast),
                _money(actual),
                _money(line["line"].budget - forecast),
            ]
        )
    grant = summary["grant"]
    variance = grant.amount - forecast_total
    return {
        "title": "Forecast against actual",
        "facts": [
            ["Grant", _money(grant.amount)],
            ["Forecast spend", _money(forecast_total)],
            ["Actual spend to date", _money(actual_total)],
            ["Underspend (+) or overspend (-) forecast", _money(variance)],
            ["Spending risk", grant.get_risk_display()],
            ["Contingency", grant.contingency or "None recorded"],
        ],
        "columns": ["Budget line", "Kind", "Budget", "Forecast", "Actual", "Budget less forecast"],
        "rows": rows,
        "chart": {
            "title": "Spend by quarter: actual against forecast (£)",
            "bars": [
                [f"Q{q.quarter}", float(q.actual or 0), float(q.forecast or 0)]
                for q in summary["totals"]
            ],
            "unit": "£",
            "value_label": "Actual",
            "target_label": "Forecast",
        },
    }


def assemble(kind: str, year: AcademicYear, work_group=None) -> dict[str, Any]:
    """The figures of a report of ``kind`` for ``year``, as JSON-ready data."""
    if kind == ReportKind.PROGRESS:
        groups = _work_groups(year)
        groups["chart"] = _recruitment_chart(groups)
        sections = [groups, _reach(year)]
    elif kind == ReportKind.ANNUAL:
        groups = _work_groups(year)
        groups["chart"] = _recruitment_chart(groups)
        sections = [
            _reach(year),
            groups,
            _evaluations(year),
            _llme(year),
            _board(year),
            _complaints(year),
        ]
    elif kind == ReportKind.FINANCIAL:
        sections = [_finance(year)]
    elif kind == ReportKind.EVALUATION:
        if work_group is None:
            raise ValueError("A Work Group evaluation report needs a Work Group.")
        sections = [
            {
                "title": "The Work Group",
                "facts": [
                    ["Code", work_group.code],
                    ["Title", work_group.title],
                    ["Project", work_group.project.code],
                    ["Sessions", work_group.sessions.filter(cancelled=False).count()],
                ],
            },
            _evaluations(year, work_group),
            _lead_report(work_group),
        ]
    elif kind == ReportKind.COMPLAINTS:
        sections = [_complaints(year)]
    else:
        raise ValueError(f"Unknown kind of report: {kind}")
    return {"sections": sections}


__all__ = ["NARRATIVE", "assemble"]
