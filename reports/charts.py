"""Bar charts drawn as SVG on the server (no JavaScript), for the PDFs.

Each bar is a value with a target marker. The chart fills the text width of an A4 page (640 SVG
units = 170 mm, so 12 units print at 9 pt), has a labelled value axis with gridlines, a legend,
and the figures written beside each bar, so it reads without colour and without the picture
(the table beside it in the report has the same figures).
"""

from __future__ import annotations

import math
from html import escape

WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 150
ROW = 30
BAR = 16
TOP = 34  # room for the legend
AXIS = 44  # room for tick labels and the axis title
FONT = 'font-family="DejaVu Sans"'
VALUE_COLOUR, TARGET_COLOUR, GRID_COLOUR = "#0e4d5b", "#d4351c", "#b1b4b6"


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` intervals."""
    raw = max(top, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def format_value(value: float, unit: str) -> str:
    number = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.1f}"
    if unit == "£":
        return f"£{number}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}".strip()


def value_text(value: float, target: float, unit: str) -> str:
    """ "2 of 3 schools", "£1,200 of £4,000", "20% of 75%"."""
    if unit in ("£", "%"):
        return f"{format_value(value, unit)} of {format_value(target, unit)}"
    return f"{format_value(value, '')} of {format_value(target, unit)}"


def _label(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(chart: dict) -> str:
    bars = chart.get("bars") or []
    if not bars:
        return ""
    unit = chart.get("unit", "")
    value_label = chart.get("value_label", "Actual")
    target_label = chart.get("target_label", "Target")
    axis_title = chart.get("axis_title") or {
        "£": "Pounds (£)",
        "%": "Per cent",
    }.get(unit, unit.capitalize() or "Value")
    values = [(str(label), float(v or 0), float(t or 0)) for label, v, t in bars]
    highest = max([max(v, t) for _, v, t in values] + [0])
    step = nice_step(highest or 1)
    top = step * max(1, math.ceil(highest / step)) if highest else step * 5
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = plot / top
    height = TOP + ROW * len(values) + AXIS
    bottom = TOP + ROW * len(values)
    title = escape(chart["title"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        # Legend
        f'<rect x="{LABEL_WIDTH}" y="6" width="14" height="14" fill="{VALUE_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 20}" y="18" font-size="12" {FONT}>{escape(value_label)}</text>'
        f'<line x1="{LABEL_WIDTH + 120}" x2="{LABEL_WIDTH + 120}" y1="4" y2="22" '
        f'stroke="{TARGET_COLOUR}" stroke-width="3"/>'
        f'<text x="{LABEL_WIDTH + 128}" y="18" font-size="12" {FONT}>{escape(target_label)}</text>',
    ]
    # Gridlines and tick labels along the value axis.
    tick = 0.0
    while tick <= top + 1e-9:
        x = LABEL_WIDTH + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" y2="{bottom}" '
            f'stroke="{GRID_COLOUR}" stroke-width="0.75"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" {FONT}>'
            f"{escape(format_value(tick, unit if unit in ('£', '%') else ''))}</text>"
        )
        tick += step
    parts.append(
        f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH + plot}" y1="{bottom}" y2="{bottom}" '
        f'stroke="#0b0c0c" stroke-width="1"/>'
        f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH}" y1="{TOP - 4}" y2="{bottom}" '
        f'stroke="#0b0c0c" stroke-width="1"/>'
        f'<text x="{LABEL_WIDTH + plot / 2:.1f}" y="{bottom + 36}" font-size="12" '
        f'text-anchor="middle" {FONT}>{escape(axis_title)}</text>'
    )
    for i, (label, v, t) in enumerate(values):
        y = TOP + i * ROW
        middle = y + ROW / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4:.1f}" font-size="12" text-anchor="end" '
            f"{FONT}>{escape(_label(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR / 2:.1f}" width="{max(v, 0) * scale:.1f}" '
            f'height="{BAR}" fill="{VALUE_COLOUR}"/>'
            f'<line x1="{LABEL_WIDTH + t * scale:.1f}" x2="{LABEL_WIDTH + t * scale:.1f}" '
            f'y1="{y + 3}" y2="{y + ROW - 3}" stroke="{TARGET_COLOUR}" stroke-width="3"/>'
            f'<text x="{LABEL_WIDTH + plot + 8}" y="{middle + 4:.1f}" font-size="12" {FONT}>'
            f"{escape(value_text(v, t, unit))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
