"""How a report's figures are set out on the page: which columns hold figures (set right-aligned
and never broken across lines) and how a date in the figures is written ("15 November 2026")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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
        return f"{day.day} {day:%B %Y}"
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
