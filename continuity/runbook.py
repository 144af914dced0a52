"""docs/RUNBOOK.md as HTML for the staff page: a small Markdown subset (headings, paragraphs,
lists, bold, inline code, code blocks), escaped first, so no Markdown library is needed."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "RUNBOOK.md"


def _inline(text: str) -> str:
    text = escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return text


def render(markdown: str) -> str:
    out: list[str] = []
    para: list[str] = []
    list_tag: str | None = None
    code: list[str] | None = None

    def flush_para():
        if para:
            out.append(f'<p class="hub-body">{_inline(" ".join(para))}</p>')
            para.clear()

    def close_list():
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for line in markdown.splitlines():
        if code is not None:
            if line.startswith("```"):
                out.append(f"<pre><code>{escape(chr(10).join(code))}</code></pre>")
                code = None
            else:
                code.append(line)
            continue
        if line.startswith("```"):
            flush_para()
            close_list()
            code = []
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        item = re.match(r"^\s*(?:([-*])|(\d+)\.)\s+(.*)$", line)
        if heading:
            flush_para()
            close_list()
            level = len(heading.group(1))
            size = {1: "xl", 2: "l", 3: "m", 4: "s"}[level]
            out.append(
                f'<h{level} class="hub-heading-{size}">{_inline(heading.group(2))}</h{level}>'
            )
        elif item:
            flush_para()
            tag = "ul" if item.group(1) else "ol"
            if list_tag != tag:
                close_list()
                css = "hub-list hub-list--bullet" if tag == "ul" else "hub-list hub-list--number"
                out.append(f'<{tag} class="{css}">')
                list_tag = tag
            out.append(f"<li>{_inline(item.group(3))}</li>")
        elif not line.strip():
            flush_para()
            close_list()
        elif list_tag and line.startswith("  "):
            out[-1] = out[-1][: -len("</li>")] + " " + _inline(line.strip()) + "</li>"
        else:
            close_list()
            para.append(line.strip())
    flush_para()
    close_list()
    return "\n".join(out)


def as_html() -> SafeString:
    return mark_safe(render(path().read_text(encoding="utf-8")))  # noqa: S308 (escaped above)
