"""The staff home (``/staff/``) lists only the pages the person may open.

Each app registers its section in its ``AppConfig.ready`` with ``register_section(title, order,
links)``: every ``StaffLink`` names a URL and the check its view makes (the app's own selector
or role list), so the home never links to a page that answers "Forbidden". The access matrix
test (tests/hubops/test_access_matrix.py) opens every link as every role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class StaffLink:
    label: str
    url_name: str
    may_open: Callable[[Any], bool]


_SECTIONS: dict[str, tuple[int, tuple[StaffLink, ...]]] = {}


def register_section(title: str, order: int, links: list[StaffLink]) -> None:
    _SECTIONS[title] = (order, tuple(links))


def all_links() -> list[StaffLink]:
    return [link for _, links in _SECTIONS.values() for link in links]


def sections_for(user) -> list[dict[str, Any]]:
    """[{"title", "links": [(label, url)]}] for the sections with at least one link ``user``
    may open, in order."""
    out = []
    for title, (_, links) in sorted(_SECTIONS.items(), key=lambda item: item[1][0]):
        shown = [(link.label, reverse(link.url_name)) for link in links if link.may_open(user)]
        if shown:
            out.append({"title": title, "links": shown})
    return out
