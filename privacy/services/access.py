"""The right of access: everything the hub holds about one person, as a readable PDF summary
and the same data as JSON, in one ZIP."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from hubops import audit
from hubops.pdf import render_pdf
from hubops.personal_data import Person, personal_models


def collect(person: Person) -> list[dict[str, Any]]:
    """Everything held about ``person``, per registered model."""
    sections = []
    for declaration in personal_models():
        rows = [declaration.export_row(obj, person) for obj in declaration.rows(person)]
        if rows:
            model = declaration.model
            sections.append(
                {
                    "model": declaration.label,
                    "title": str(model._meta.verbose_name_plural).capitalize(),
                    "description": declaration.description,
                    "categories": sorted({str(c) for c in declaration.personal.values()}),
                    "retention": declaration.retention.rule,
                    "rows": rows,
                }
            )
    return sections


def access_export(person: Person, *, actor: Any = None, reference: str = "") -> bytes:
    """A ZIP with a readable PDF summary and the same data as JSON."""

    sections = collect(person)
    generated = timezone.now()
    payload = {
        "reference": reference,
        "generated_at": generated.isoformat(),
        "person": {"email": person.email, "names": list(person.names)},
        "sections": sections,
    }
    pdf = render_pdf(
        "privacy/pdf/access_summary.html",
        {"payload": payload, "sections": sections, "generated": generated, "reference": reference},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", pdf)
        archive.writestr("data.json", json.dumps(payload, indent=2, default=str))
        archive.writestr(
            "README.txt",
            "summary.pdf is a readable summary of the personal data the hub holds about you.\n"
            "data.json holds the same data in a machine-readable form.\n",
        )
    audit.record(
        actor,
        None,
        "privacy.access_export.generated",
        object_label=reference or "access export",
        data={"reference": reference, "sections": len(sections)},
    )
    return buffer.getvalue()
