"""The access export's readable summary: the same sections as ``data.json``, set out for a
person rather than a machine.

Each record becomes label and value pairs: labels are the fields' verbose names ("Full name",
not ``full_name``), dates and times are written as people write them ("8 December 2026",
"8 December 2026, 14:05"), yes/no for flags. Sections are grouped by why the hub holds the data
(the purpose, one per app), each with the retention rule that applies.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from hubops.formats import format_date

# Why the hub holds each app's records, in the words of the privacy notice. An app not listed
# is shown under its own name.
PURPOSES: dict[str, tuple[str, str]] = {
    "hubops": (
        "Your account",
        "To give you an account on the hub's website, keep it secure and contact you.",
    ),
    "account": (
        "Your account",
        "To give you an account on the hub's website, keep it secure and contact you.",
    ),
    "mfa": (
        "Your account",
        "To give you an account on the hub's website, keep it secure and contact you.",
    ),
    "workgroups": (
        "The Work Groups you take part in",
        "To run the Maths Hubs programme, correspond with you about the projects you registered "
        "for, evaluate them and produce anonymised statistics.",
    ),
    "complaints": (
        "Concerns and complaints",
        "To handle a concern or complaint you raised, or that is about you, and keep the "
        "written record the complaints policy requires.",
    ),
    "privacy": (
        "Your data protection requests",
        "To answer your requests about your personal data and keep the record the law requires.",
    ),
    "governance": (
        "The hub's leadership and Strategic Board",
        "To run the hub's leadership team, Strategic Board and local leaders, as the DfE's "
        "specification requires.",
    ),
    "reports": (
        "Reports to the DfE and the NCETM",
        "To prepare, quality-assure and sign off the hub's reports.",
    ),
}

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LABELS = {"id": "Record number"}


def written_date(day: dt.date) -> str:
    """The hub's one way to write a date (``hubops.formats.format_date``)."""
    return format_date(day)


def written_datetime(moment: dt.datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{written_date(moment.date())}, {moment:%H:%M}"


def value_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return written_datetime(value)
    if isinstance(value, dt.date):
        return written_date(value)
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            try:
                return written_datetime(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        if _ISO_DATE.match(value):
            try:
                return written_date(dt.date.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "None"
    if isinstance(value, dict):
        return "; ".join(f"{label_for(None, k)}: {value_text(v)}" for k, v in value.items())
    return str(value)


def label_for(model: Any, key: str) -> str:
    """The field's verbose name, following ``a__b`` paths; else the key in words."""
    if key in _LABELS:
        return _LABELS[key]
    current, label = model, None
    for part in key.split("__"):
        if current is None:
            label = None
            break
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            label = None
            break
        label = str(getattr(field, "verbose_name", part))
        current = field.related_model if field.is_relation else None
    text = label or key.replace("__", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def grouped(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``collect()``'s sections, grouped by purpose, each record as (label, text) pairs."""
    groups: dict[str, dict[str, Any]] = {}
    for section in sections:
        app_label = section["model"].split(".")[0]
        title, why = PURPOSES.get(app_label) or (
            str(apps.get_app_config(app_label).verbose_name)
            if app_label in apps.app_configs
            else app_label,
            "",
        )
        group = groups.setdefault(title, {"title": title, "purpose": why, "sections": []})
        model = _model(section["model"])
        group["sections"].append(
            {
                "title": section["title"],
                "description": section.get("description", ""),
                "categories": section.get("categories", []),
                "retention": _sentence(section.get("retention", "")),
                "records": [
                    [(label_for(model, key), value_text(value)) for key, value in row.items()]
                    for row in section["rows"]
                ],
            }
        )
    return list(groups.values())
