"""Annual complaints figures for the Strategic Board and the annual report. No personal data.

``annual_figures(academic_year) -> dict`` is imported by the reports app; keep the name and the
shape. ``academic_year`` is an :class:`hubops.models.AcademicYear` name such as ``"2025/26"``
(``"2025-26"`` is accepted too). Complaints count in the year in which they were received
(redirections to the DfE included). The returned dict holds plain JSON values only::

    {
        "academic_year": "2025/26",
        "starts_on": "2025-09-01", "ends_on": "2026-08-31",
        "received": 7,                      # every complaint and concern received
        "by_stage": {"1": 3, "2": 3, "3": 1},   # the highest stage each reached
        "by_outcome": {"upheld": 1, "open": 2, ...},  # Outcome values, "open" if not closed
        "acknowledged_on_time": {"on_time": 2, "late": 1, "pending": 0},  # formal complaints
        "responded_on_time": {"on_time": 2, "late": 0, "pending": 1},     # against the
                                            # deadline in force (a holding letter's new date)
        "appeals_on_time": {"on_time": 1, "late": 0, "pending": 0},
        "late_filed": 1,                    # made after the policy's 4 / 8 school weeks
        "themes": {"work_group": 3, ...},   # what the complaints were about (AboutKind)
        "actions_taken": ["Changed how ...", ...],  # what the hub changed (staff write these
                                            # without names)
        "redirected": 1,                    # about the Lead School: sent to the DfE
    }

An unknown year gives the same shape with zero counts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone

from hubops.charts import Chart, Series, bar_chart, grouped_bar_chart
from hubops.models import AcademicYear, Hub
from hubops.pdf import render_pdf

from .models import AboutKind, Complaint, Outcome


def _year(academic_year: str) -> AcademicYear | None:
    name = (academic_year or "").strip()
    return (
        AcademicYear.objects.filter(name=name).first()
        or AcademicYear.objects.filter(name=name.replace("-", "/")).first()
    )


def _timeliness(rows: list[tuple[date | None, date | None]], today: date) -> dict[str, int]:
    out = {"on_time": 0, "late": 0, "pending": 0}
    for due, done in rows:
        if due is None:
            continue
        if done is None:
            out["late" if today > due else "pending"] += 1
        else:
            out["on_time" if done <= due else "late"] += 1
    return out


def annual_figures(academic_year: str, *, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    year = _year(academic_year)
    result: dict[str, Any] = {
        "academic_year": year.name if year else str(academic_year),
        "starts_on": year.starts_on.isoformat() if year else None,
        "ends_on": year.ends_on.isoformat() if year else None,
        "received": 0,
        "by_stage": {"1": 0, "2": 0, "3": 0},
        "by_outcome": {},
        "acknowledged_on_time": {"on_time": 0, "late": 0, "pending": 0},
        "responded_on_time": {"on_time": 0, "late": 0, "pending": 0},
        "appeals_on_time": {"on_time": 0, "late": 0, "pending": 0},
        "late_filed": 0,
        "themes": {},
        "actions_taken": [],
        "redirected": 0,
    }
    if year is None:
        return result
    rows = list(
        Complaint.objects.filter(
            received_on__gte=year.starts_on, received_on__lte=year.ends_on
        ).only(
            "status",
            "outcome",
            "formal_on",
            "appeal_requested_on",
            "ack_due_on",
            "acknowledged_on",
            "response_due_on",
            "response_extended_to",
            "responded_on",
            "appeal_due_on",
            "appeal_decided_on",
            "late",
            "about_kind",
            "actions_taken",
        )
    )
    redirected = [c for c in rows if c.outcome == Outcome.REDIRECTED]
    taken = [c for c in rows if c.outcome != Outcome.REDIRECTED]
    result["received"] = len(rows)
    result["redirected"] = len(redirected)
    stages = Counter(str(c.stage_reached) for c in taken)
    result["by_stage"] = {k: stages.get(k, 0) for k in ("1", "2", "3")}
    result["by_outcome"] = dict(sorted(Counter(c.outcome or "open" for c in rows).items()))
    result["acknowledged_on_time"] = _timeliness(
        [(c.ack_due_on, c.acknowledged_on) for c in taken if c.formal_on], today
    )
    result["responded_on_time"] = _timeliness(
        [(c.response_effective_due_on, c.responded_on) for c in taken if c.formal_on], today
    )
    result["appeals_on_time"] = _timeliness(
        [(c.appeal_due_on, c.appeal_decided_on) for c in taken if c.appeal_requested_on], today
    )
    result["late_filed"] = sum(1 for c in taken if c.late)
    result["themes"] = dict(sorted(Counter(c.about_kind or "other" for c in taken).items()))
    result["actions_taken"] = [c.actions_taken for c in taken if c.actions_taken.strip()]
    return result


def figures_pdf(academic_year: str) -> bytes:
    data = annual_figures(academic_year)
    outcome_labels = dict(Outcome.choices) | {"open": "Still open"}
    theme_labels = dict(AboutKind.choices)
    return render_pdf(
        "complaints/pdf/figures.html",
        {
            "f": data,
            "hub": Hub.current(),
            "outcomes": [(outcome_labels.get(k, k), v) for k, v in data["by_outcome"].items()],
            "themes": [(theme_labels.get(k, k), v) for k, v in data["themes"].items()],
        },
    )


def by_month(academic_year: str) -> list[tuple[str, int]]:
    """Complaints and concerns received in each month of the year ("Sep 2025", n), in order."""
    year = _year(academic_year)
    if year is None:
        return []
    counts = Counter(
        (d.year, d.month)
        for d in Complaint.objects.filter(
            received_on__gte=year.starts_on, received_on__lte=year.ends_on
        ).values_list("received_on", flat=True)
    )
    months, day = [], year.starts_on.replace(day=1)
    while day <= year.ends_on:
        months.append((f"{day:%b %Y}", counts.get((day.year, day.month), 0)))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def figure_charts(data: dict[str, Any]) -> list[Chart]:
    """The annual figures as charts (each with its table): by stage, by outcome, by month, and
    time to respond against the deadline."""
    outcome_labels = dict(Outcome.choices) | {"open": "Still open"}
    year = data["academic_year"]
    months = by_month(year)
    timely = [
        ("Acknowledgements", data["acknowledged_on_time"]),
        ("Stage 2 responses", data["responded_on_time"]),
        ("Appeal decisions", data["appeals_on_time"]),
    ]
    return [
        bar_chart(
            title=f"Complaints by the stage they reached, {year}",
            description="How far each complaint went: stage 1 informal, stage 2 formal, "
            "stage 3 appeal. Complaints sent to the DfE are not counted here.",
            categories=["Stage 1: informal", "Stage 2: formal", "Stage 3: appeal"],
            values=[data["by_stage"][k] for k in ("1", "2", "3")],
            name="Complaints",
            axis_label="Complaints",
            slug="complaints-stage",
        ),
        bar_chart(
            title=f"Complaints by outcome, {year}",
            description="The outcome of each complaint received in the year; open ones are "
            "counted as still open.",
            categories=[outcome_labels.get(k, k) for k in data["by_outcome"]],
            values=list(data["by_outcome"].values()),
            name="Complaints",
            axis_label="Complaints",
            slug="complaints-outcome",
        ),
        bar_chart(
            title=f"Complaints received by month, {year}",
            description="Complaints and concerns by the month they were received.",
            categories=[m for m, _ in months],
            values=[n for _, n in months],
            name="Received",
            axis_label="Complaints received",
            slug="complaints-month",
        ),
        grouped_bar_chart(
            title=f"Time to respond against the deadline, {year}",
            description="For each written step: how many were sent by the deadline, how many "
            "after it (or are now past it), and how many are still within it.",
            categories=[label for label, _ in timely],
            series=[
                Series("On time", [t["on_time"] for _, t in timely], "#00703c"),
                Series("Late", [t["late"] for _, t in timely], "#d4351c"),
                Series("Not yet due", [t["pending"] for _, t in timely], "#505a5f"),
            ],
            axis_label="Complaints",
            slug="complaints-timeliness",
        ),
    ]
