"""The narrative sections each kind of report asks its author to write, and which of them are
still empty. Pure (no ORM): the transition table's "every section written" guard reads it.

Keys are the report kinds' values (``governance.models.ReportKind``); a test checks that every
kind has its sections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NARRATIVE: dict[str, list[tuple[str, str]]] = {
    "progress": [
        ("delivery", "Delivery against the plan"),
        ("issues", "Issues and mitigating actions"),
    ],
    "annual": [
        ("summary", "Summary of the year"),
        ("engagement", "Teaching for Mastery engagement"),
        ("next_year", "Priorities for next year"),
    ],
    "financial": [("commentary", "Commentary on spending and contingency")],
    "evaluation": [("summary", "The hub's review")],
    "complaints": [("learning", "Learning from complaints")],
}


def sections(kind: str) -> list[tuple[str, str]]:
    """The (key, title) of each section a report of ``kind`` has, in order."""
    return NARRATIVE.get(str(kind), [])


def unwritten_sections(kind: str, narrative: Mapping[str, Any] | None) -> list[str]:
    """The titles of the sections of a report of ``kind`` that ``narrative`` leaves empty."""
    written = narrative or {}
    return [title for key, title in sections(kind) if not str(written.get(key) or "").strip()]
