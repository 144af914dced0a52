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


HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
ITEM = re.compile(r"^\s*(?:([-*])|(\d+)\.)\s+(.*)$")
HEADING_SIZE = {1: "xl", 2: "l", 3: "m", 4: "s"}


class _Renderer:
    """One pass over the lines: a paragraph, a list or a code block is open at a time."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.para: list[str] = []
        self.list_tag: str | None = None
        self.code: list[str] | None = None

    def flush_para(self) -> None:
        if self.para:
            self.out.append(f'<p class="hub-body">{_inline(" ".join(self.para))}</p>')
            self.para.clear()

    def close_list(self) -> None:
        if self.list_tag:
            self.out.append(f"</{self.list_tag}>")
            self.list_tag = None

    def close_blocks(self) -> None:
        self.flush_para()
        self.close_list()

    def code_line(self, line: str) -> None:
        if line.startswith("```"):
            self.out.append(f"<pre><code>{escape(chr(10).join(self.code or []))}</code></pre>")
            self.code = None
        else:
            assert self.code is not None
            self.code.append(line)

    def heading(self, match: re.Match[str]) -> None:
        self.close_blocks()
        level = len(match.group(1))
        css = f"hub-heading-{HEADING_SIZE[level]}"
        self.out.append(f'<h{level} class="{css}">{_inline(match.group(2))}</h{level}>')

    def item(self, match: re.Match[str]) -> None:
        self.flush_para()
        tag = "ul" if match.group(1) else "ol"
        if self.list_tag != tag:
            self.close_list()
            css = "hub-list hub-list--bullet" if tag == "ul" else "hub-list hub-list--number"
            self.out.append(f'<{tag} class="{css}">')
            self.list_tag = tag
        self.out.append(f"<li>{_inline(match.group(3))}</li>")

    def line(self, line: str) -> None:
        if self.code is not None:
            self.code_line(line)
        elif line.startswith("```"):
            self.close_blocks()
            self.code = []
        elif heading := HEADING.match(line):
            self.heading(heading)
        elif item := ITEM.match(line):
            self.item(item)
        elif not line.strip():
            self.close_blocks()
        elif self.list_tag and line.startswith("  "):
            self.out[-1] = self.out[-1][: -len("</li>")] + " " + _inline(line.strip()) + "</li>"
        else:
            self.close_list()
            self.para.append(line.strip())


def render(markdown: str) -> str:
    renderer = _Renderer()
    for line in markdown.splitlines():
        renderer.line(line)
    renderer.close_blocks()
    return "\n".join(renderer.out)


def as_html() -> SafeString:
    return mark_safe(render(path().read_text(encoding="utf-8")))  # noqa: S308 (escaped above)
