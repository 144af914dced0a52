"""Participation returns: the export for the NCETM (logged as a disclosure) and the import of
registrations and attendance, through the registration and register services."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from hubops import audit, exports
from hubops.models import School
from hubops.personal_data import record_disclosure

from .. import selectors
from ..models import AttendanceStatus, ParticipationExport, Registration, Session, WorkGroup
from ..workflow import WorkGroupError
from .attendance import attendance_mark
from .registrations import registration_add


@transaction.atomic
def participation_export(*, actor, file_format: str) -> tuple[bytes, int]:
    """Build the export and log it: who, when, how many people. Returns (bytes, people)."""
    rows = selectors.participation_rows()
    people = len({(r[4], r[0]) for r in rows})
    if file_format == "xlsx":
        data = exports.xlsx_bytes(rows, selectors.EXPORT_COLUMNS, title="Participation")
    else:
        data = exports.csv_bytes(rows, selectors.EXPORT_COLUMNS)
    log = ParticipationExport.objects.create(
        actor=actor, file_format=file_format, people_count=people, row_count=len(rows)
    )
    audit.record(actor, log, "workgroups.participation.exported", data={"people": people})
    record_disclosure(
        recipient="NCETM",
        purpose="Work Group participation returns",
        lawful_basis="Public task",
        data_categories=["name", "school", "role", "TRN", "attendance"],
        people_count=people,
        actor=actor,
        source="workgroups.participation_export",
    )
    return data, people


@dataclass
class ImportResult:
    created: int = 0
    attendance: int = 0
    errors: list[str] = field(default_factory=list)


IMPORT_COLUMNS = [
    "work_group_code",
    "school_urn",
    "participant_name",
    "email",
    "role_at_school",
    "trn",
    "sessions_attended",
]


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return None


@dataclass
class ImportRow:
    """One line of the file, read and checked on its own (the rules come later, from the
    registration services)."""

    number: int
    group: WorkGroup | None
    school: School | None
    full_name: str
    email: str
    role_at_school: str
    trn: str
    attended: int
    problems: list[str]


def _read_row(number: int, row: dict, groups: dict[str, WorkGroup], held: dict[int, int]):
    problems: list[str] = []
    group = groups.get((row["work_group_code"] or "").strip())
    if group is None:
        problems.append(f"no Work Group with code {row['work_group_code']!r}")
    urn = (row["school_urn"] or "").strip()
    school = School.objects.filter(urn=int(urn)).first() if urn.isdigit() else None
    if school is None:
        problems.append(f"no school with URN {urn!r}")
    name = (row["participant_name"] or "").strip()
    if not name:
        problems.append("the participant's name is missing")
    trn = (row["trn"] or "").strip()
    if trn and not (trn.isdigit() and len(trn) == 7):
        problems.append("the TRN must be 7 digits")
    attended_raw = (row["sessions_attended"] or "0").strip() or "0"
    attended = int(attended_raw) if attended_raw.isdigit() else -1
    if attended < 0:
        problems.append("sessions attended must be a whole number")
    elif group is not None and attended > held[group.pk]:
        problems.append("more sessions attended than the group has held")
    email = (row["email"] or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"{email!r} is not an email address")
    return ImportRow(
        number,
        group,
        school,
        name,
        email,
        (row["role_at_school"] or "").strip(),
        trn,
        attended,
        problems,
    )


class _ImportRefused(Exception):
    """Rolls the whole import back when any row is refused."""


def _add_imported(line: ImportRow, actor) -> Registration:
    assert line.group is not None and line.school is not None  # noqa: S101 (checked)
    with transaction.atomic():
        return registration_add(
            group_id=line.group.pk,
            actor=actor,
            school_id=line.school.pk,
            full_name=line.full_name,
            email=line.email,
            role_at_school=line.role_at_school,
            trn=line.trn,
            source="import",
        )


def _mark_imported(attended: list[tuple[Registration, int]], actor, now: datetime) -> int:
    """Present at the first ``n`` sessions held, one register per session (``attendance_mark``)."""
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for reg, n in attended:
        held = reg.work_group.sessions.filter(cancelled=False, starts_at__lte=now)
        for session_id in held.values_list("pk", flat=True)[:n]:
            marks[session_id][reg.pk] = AttendanceStatus.PRESENT
    return sum(
        attendance_mark(session_id=pk, actor=actor, marks=m, now=now) for pk, m in marks.items()
    )


def participation_import(*, actor, content: bytes) -> ImportResult:
    """Import registrations and attendance from CSV through the registration services (the
    group's schools, the school's places, one registration per person, the audit) and
    ``attendance_mark`` (only sessions held). Every row is tried; if any row is refused
    nothing is saved, and each error names its row."""
    result = ImportResult()
    text = _decode(content)
    if text is None:
        result.errors.append("The file is not a CSV file we can read (use UTF-8).")
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append("The file is missing these columns: " + ", ".join(missing) + ".")
        return result
    now = timezone.now()
    groups = {g.code: g for g in WorkGroup.objects.all()}
    held = Counter(
        Session.objects.filter(cancelled=False, starts_at__lte=now).values_list(
            "work_group_id", flat=True
        )
    )
    try:
        with transaction.atomic():
            attended: list[tuple[Registration, int]] = []
            for number, row in enumerate(reader, start=2):
                line = _read_row(number, row, groups, held)
                if not line.problems:
                    try:
                        attended.append((_add_imported(line, actor), line.attended))
                    except WorkGroupError as error:
                        line.problems.append(str(error))
                if line.problems:
                    result.errors.append(f"Row {number}: " + "; ".join(line.problems) + ".")
            if result.errors:
                raise _ImportRefused
            result.created = len(attended)
            result.attendance = _mark_imported(attended, actor, now)
            audit.record(
                actor, None, "workgroups.participation.imported", data={"created": result.created}
            )
    except _ImportRefused:
        result.created = result.attendance = 0
    return result
