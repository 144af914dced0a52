"""What a person would see, as plain data: row counts per table, the SHA-256 of every media
file and a sample of records read through the apps' selectors, keyed by references and codes
(never by primary keys, so a handover that renumbers rows compares equal).

Run in-process, or in a separate hubops process (``python -m tests.continuity.snapshot``, which
prints JSON) against a restored database."""

from __future__ import annotations

import json
import sys
from datetime import date

TODAY = date(2026, 11, 23)


def _s(value) -> str:
    return "" if value is None else str(value)


def table_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes() -> dict[str, str]:
    from django.core.files.storage import default_storage

    from continuity.archive import media_hashes

    return media_hashes(default_storage)


def selector_sample(today: date = TODAY) -> dict:
    from complaints import selectors as complaints
    from governance import selectors as governance
    from hubops.models import User
    from privacy import selectors as privacy
    from workgroups import selectors as workgroups

    # A superuser who is nobody: sees every complaint (and is the subject of none).
    everyone = User(pk=-1, is_superuser=True, is_staff=True, is_active=True, email="x@x.example")
    catalogue = workgroups.catalogue_list(workgroups.CatalogueFilters(), today)
    teachers = User.objects.filter(is_staff=False).order_by("email")
    return {
        "catalogue": [
            [g.code, g.title, g.status, _s(workgroups.places_left(g)), workgroups.who_can_join(g)]
            for g in catalogue.order_by("code")
        ],
        "registrations": {
            t.email: sorted(
                [r.work_group.code, r.status, _s(r.school and r.school.urn)]
                for r in workgroups.registrations_for_user(t)
            )
            for t in teachers
        },
        "participation": [[_s(c) for c in row] for row in workgroups.participation_rows()],
        "complaints": sorted(
            [
                c.reference,
                c.status,
                c.route,
                *[f"{label} {day}" for label, day in complaints.clocks(c)],
            ]
            for c in complaints.complaint_list(everyone)
        ),
        "data_requests": sorted(
            [r.reference, r.kind, r.status, _s(r.due_on), _s(r.extended_to)]
            for r in privacy.requests_for_staff()
        ),
        "breaches": sorted([b.reference, _s(b.ico_deadline)] for b in privacy.breaches()),
        "disclosures": sorted(
            [_s(d.disclosed_on), d.recipient, d.data_categories] for d in privacy.disclosures()
        ),
        "leaders": sorted(
            [
                r.leader.full_name if hasattr(r.leader, "full_name") else str(r.leader),
                ",".join(r.roles),
                r.sla_status,
                _s(r.sla_ends_on),
                ";".join(r.groups),
            ]
            for r in governance.local_leader_list(today)
        ),
        "meetings": sorted([str(m), m.status] for m in governance.meeting_list()),
        "appointments": sorted(str(a) for a in governance.appointment_list()),
    }


def snapshot(*, selectors: bool = True) -> dict:
    data = {"tables": table_counts(), "files": file_hashes()}
    if selectors:
        data["selectors"] = selector_sample()
    return data


if __name__ == "__main__":
    import django

    django.setup()
    json.dump(snapshot(selectors="--no-selectors" not in sys.argv), sys.stdout)
