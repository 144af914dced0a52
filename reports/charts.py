"""Bar charts drawn as SVG on the server (no JavaScript), for the PDFs: each bar is a value
with a target marker, labelled in text so the figures are readable without the picture."""

from __future__ import annotations

from html import escape


def bar_chart(chart: dict) -> str:
    bars = chart.get("bars") or []
    if not bars:
        return ""
    unit = chart.get("unit", "")
    width, row, left = 440, 22, 110
    height = row * len(bars) + 10
    top = max([float(v or 0) for _, v, t in bars] + [float(t or 0) for _, v, t in bars] + [1])
    scale = (width - left - 60) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart["title"])}">',
        f"<title>{escape(chart['title'])}</title>",
    ]
    for i, (label, value, target) in enumerate(bars):
        y = 5 + i * row
        v, t = float(value or 0), float(target or 0)
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="9" font-family="DejaVu Sans">'
            f"{escape(str(label))[:18]}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{v * scale:.1f}" height="14" fill="#0e4d5b"/>'
            f'<line x1="{left + t * scale:.1f}" x2="{left + t * scale:.1f}" y1="{y}" '
            f'y2="{y + 20}" stroke="#d4351c" stroke-width="2"/>'
            f'<text x="{left + max(v, t) * scale + 4:.1f}" y="{y + 14}" font-size="9" '
            f'font-family="DejaVu Sans">{v:g} / {t:g} {escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
