"""How a report's figures are set out on the page: which columns hold figures (set right-aligned
and never broken across lines), how a date in the figures is written ("15 November 2026"), and
the stored charts of a section. Pure: no ORM."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from hubops.charts import Chart, Reference, Series
from hubops.formats import format_date

_FIGURE = re.compile(r"^[+\-−]?£?[+\-−]?\d[\d,]*(\.\d+)?\s?%?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_figure(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_FIGURE.match(value.strip()))


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return format_date(day)
    if isinstance(value, float) and value == int(value):
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """Header cells and rows of ``{"text", "figure"}`` cells; a column is a figure column when
    every cell in it that is not empty is a figure."""
    figure_columns = []
    for i in range(len(columns)):
        cells = [row[i] for row in rows if i < len(row) and row[i] not in (None, "")]
        figure_columns.append(bool(cells) and all(is_figure(c) for c in cells))
    return {
        "columns": [{"text": c, "figure": figure_columns[i]} for i, c in enumerate(columns)],
        "rows": [
            [
                {"text": as_text(cell), "figure": i < len(figure_columns) and figure_columns[i]}
                for i, cell in enumerate(row)
            ]
            for row in rows
        ],
    }


def facts(pairs: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        {"label": label, "text": as_text(value), "figure": is_figure(value)}
        for label, value in pairs
    ]


def section(data: dict[str, Any], draw: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
    """One stored section of a report's figures, ready for the PDF: its facts and table as
    cells, its target chart drawn by ``draw``, and its figure charts (``charts``: stored
    :mod:`hubops.charts` charts, each drawn with the same figures as a table)."""
    chart = data.get("chart")
    return {
        **data,
        "svg": draw(chart) if chart else "",
        "fact_cells": facts(data.get("facts") or []),
        "table": table(data.get("columns") or [], data.get("rows") or []),
        "figure_charts": [
            {
                "chart": stored_chart(c),
                "category_label": c.get("category_label") or "Item",
                # One series: its two-column table fits beside the picture.
                "beside": len(c.get("series") or []) == 1,
            }
            for c in data.get("charts") or []
        ],
    }


def chart_json(chart: Chart) -> dict[str, Any]:
    """A :class:`hubops.charts.Chart` as JSON, to store with a report's figures (so the chart a
    report shows is the one taken with its figures, not today's)."""
    return {
        "title": chart.title,
        "description": chart.description,
        "categories": list(chart.categories),
        "series": [
            {"name": s.name, "values": list(s.values), "colour": s.colour} for s in chart.series
        ],
        "unit": chart.unit,
        "axis_label": chart.axis_label,
        "references": [{"value": r.value, "label": r.label} for r in chart.references],
        "slug": chart.slug,
    }


def stored_chart(data: dict[str, Any]) -> Chart:
    """The chart :func:`chart_json` stored."""
    return Chart(
        title=data["title"],
        description=data.get("description", ""),
        categories=list(data.get("categories") or []),
        series=[
            Series(s["name"], list(s.get("values") or []), s.get("colour", ""))
            for s in data.get("series") or []
        ],
        unit=data.get("unit", ""),
        axis_label=data.get("axis_label", ""),
        references=[Reference(r["value"], r["label"]) for r in data.get("references") or []],
        slug=data.get("slug", "chart"),
    )
