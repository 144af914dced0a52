"""Charts drawn on the server as SVG: no script, no CDN, nothing the Content-Security-Policy
has to allow. Each chart is horizontal bars (labels stay readable on a 375 px phone), carries
a ``<title>`` and a ``<desc>``, prints every value beside its bar, and gives the same figures
as a table (``Chart.table``) for people who would rather read than look.

    chart = grouped_bar_chart(
        title="Forecast against actual spend", description="...",
        categories=["Leadership", "Projects"],
        series=[Series("Forecast", [100, 50]), Series("Actual", [90, None])], unit="£",
    )
    {% include "hubops/_chart.html" with chart=chart %}

Pure: no ORM, no settings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast against white and against each other's neighbours.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840", "#505a5f")
# A narrow picture (it scales to its box): at a phone's 340 px the text is still ~12 px.
WIDTH = 420
LEFT = 4
VALUE_ROOM = 78
LABEL_ROW = 20
BAR = 16
GAP = 3
GROUP_GAP = 10
TEXT = 14
SMALL = 13
FONT = 'font-family="Arial, Helvetica, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = ""


@dataclass(frozen=True)
class Reference:
    """A line across the chart at ``value`` (a target, a minimum), labelled."""

    value: float
    label: str


@dataclass
class Chart:
    title: str
    description: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    axis_label: str = ""
    references: list[Reference] = field(default_factory=list)
    slug: str = "chart"

    def fmt(self, value: float | None) -> str:
        if value is None:
            return "none yet"
        number = (
            f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
        )
        if self.unit == "£":
            return f"£{number}"
        unit = self.unit[:-1] if value == 1 and self.unit.endswith("s") else self.unit
        return f"{number} {unit}".strip()

    def tick(self, value: float) -> str:
        """An axis label: short (the unit is in the axis title), pounds in thousands."""
        if self.unit == "£":
            return f"£{value / 1000:g}k" if value >= 1000 else f"£{value:g}"
        return f"{value:g}"

    @property
    def table(self) -> dict:
        """Headers and rows of the same figures, for ``hubops/_chart.html``."""
        return {
            "headers": ["", *[s.name for s in self.series]],
            "rows": [
                [category, *[self.fmt(s.values[i]) for s in self.series]]
                for i, category in enumerate(self.categories)
            ],
        }

    @property
    def svg(self) -> SafeString:
        return mark_safe(_render(self))  # noqa: S308 - every text in it is escaped below


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    name: str = "Value",
    unit: str = "",
    axis_label: str = "",
    references: Sequence[Reference] = (),
    slug: str = "chart",
) -> Chart:
    return Chart(
        title,
        description,
        list(categories),
        [Series(name, list(values))],
        unit,
        axis_label,
        list(references),
        slug,
    )


def grouped_bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    axis_label: str = "",
    references: Sequence[Reference] = (),
    slug: str = "chart",
) -> Chart:
    return Chart(
        title,
        description,
        list(categories),
        list(series),
        unit,
        axis_label,
        list(references),
        slug,
    )


def nice_max(value: float) -> float:
    """The axis end: 1, 2, 2.5 or 5 times a power of ten, at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def axis_end(values: Sequence[float]) -> float:
    """Where the axis stops: small counts end on a multiple of 4 so the five ticks are whole
    numbers; anything else at :func:`nice_max`."""
    top = max([*values, 0])
    if top <= 12 and all(float(v).is_integer() for v in values):
        return float(max(4, math.ceil(top / 4) * 4))
    return nice_max(top)


def _clip(label: str, width: int = 50) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _render(chart: Chart) -> str:
    """Each category's label sits above its bars, so the bars get the full width and the text
    stays large enough to read when the picture shrinks to a phone's width."""
    n_series = max(1, len(chart.series))
    values = [v for s in chart.series for v in s.values if v is not None]
    top = axis_end([*values, *[r.value for r in chart.references]])
    plot = WIDTH - LEFT - VALUE_ROOM
    group_h = LABEL_ROW + n_series * BAR + (n_series - 1) * GAP
    legend_h = 24 if n_series > 1 else 0
    top_pad = 8 + legend_h + (18 if chart.references else 0)
    axis_y = top_pad + len(chart.categories) * (group_h + GROUP_GAP)
    height = axis_y + (44 if chart.axis_label else 26)

    def x(v: float) -> float:
        return LEFT + plot * (max(v, 0) / top)

    uid = escape(chart.slug)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hub-chart__svg" viewBox="0 0 {WIDTH} '
        f'{height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(chart.title)}</title>',
        f'<desc id="{uid}-desc">{escape(chart.description)}</desc>',
    ]
    if n_series > 1:
        lx = LEFT
        for i, s in enumerate(chart.series):
            colour = s.colour or PALETTE[i % len(PALETTE)]
            out.append(
                f'<rect x="{lx}" y="8" width="14" height="14" fill="{colour}"/>'
                f'<text x="{lx + 19}" y="20" font-size="{TEXT}" {FONT} fill="#0b0c0c">'
                f"{escape(s.name)}</text>"
            )
            lx += 30 + int(7.5 * len(s.name))
    for k in range(5):
        v = top * k / 4
        gx = x(v)
        anchor = "start" if k == 0 else "end" if k == 4 else "middle"
        out.append(
            f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="{top_pad}" y2="{axis_y}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{gx:.1f}" y="{axis_y + 17}" font-size="{SMALL}" {FONT} fill="#0b0c0c" '
            f'text-anchor="{anchor}">{escape(chart.tick(v))}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{LEFT + plot}" y1="{axis_y}" y2="{axis_y}" '
        f'stroke="#0b0c0c" stroke-width="1"/>'
    )
    if chart.axis_label:
        out.append(
            f'<text x="{LEFT + plot / 2:.1f}" y="{axis_y + 37}" font-size="{SMALL}" {FONT} '
            f'fill="#0b0c0c" text-anchor="middle">{escape(chart.axis_label)}</text>'
        )
    for ci, category in enumerate(chart.categories):
        gy = top_pad + ci * (group_h + GROUP_GAP)
        out.append(
            f'<text x="{LEFT}" y="{gy + LABEL_ROW - 6}" font-size="{SMALL}" font-weight="bold" '
            f'{FONT} fill="#0b0c0c">{escape(_clip(category))}</text>'
        )
        for si, s in enumerate(chart.series):
            value = s.values[ci]
            y = gy + LABEL_ROW + si * (BAR + GAP)
            colour = s.colour or PALETTE[si % len(PALETTE)]
            w = x(value or 0) - LEFT
            label = f"{s.name}: {chart.fmt(value)}" if n_series > 1 else chart.fmt(value)
            if value is not None and w > 0:
                out.append(
                    f'<rect x="{LEFT}" y="{y}" width="{w:.1f}" height="{BAR}" fill="{colour}">'
                    f"<title>{escape(category)}, {escape(label)}</title></rect>"
                )
            out.append(
                f'<text x="{LEFT + max(w, 0) + 5:.1f}" y="{y + BAR - 4}" font-size="{SMALL}" '
                f'{FONT} fill="#0b0c0c">{escape(chart.fmt(value))}</text>'
            )
    for r in chart.references:
        rx = x(r.value)
        out.append(
            f'<line x1="{rx:.1f}" x2="{rx:.1f}" y1="{top_pad - 4}" y2="{axis_y}" '
            f'stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{rx:.1f}" y="{top_pad - 8}" font-size="{SMALL}" {FONT} fill="#0b0c0c" '
            f'text-anchor="middle">{escape(r.label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
