"""Import schools from a GIAS "edubasealldata" extract.

One importer serves the ``import_gias`` command and the admin. It reads the whole file first
(decoding, header and row checks: pure, no database), then upserts by URN in one transaction
with set-based queries: new schools are bulk-created, changed ones bulk-updated, unchanged ones
left alone. A bad file raises :class:`GiasFileError` before anything is written.

The real download is Windows-1252 with DD-MM-YYYY dates; older extracts quote every field and
zero-pad codes ("02"); phase names drift in spelling across years. Closed schools are marked
closed, never deleted. Establishments that are not schools (children's centres, offshore and
overseas establishments, universities, Welsh establishments) are skipped with a count.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Phase, School, SchoolImport, SchoolImportStatus, SchoolStatus
from .tasks import import_schools_task

ProgressCallback = Callable[[int, int], None]

# Columns a row cannot do without; the rest are read when present.
REQUIRED_COLUMNS = (
    "URN",
    "EstablishmentName",
    "LA (code)",
    "LA (name)",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
)

# GIAS establishment type codes that are not schools a Maths Hub works with.
NON_SCHOOL_TYPES = {
    25: "offshore schools",
    29: "higher education institutions",
    30: "Welsh establishments",
    37: "British schools overseas",
    47: "children's centres",
    48: "children's centre linked sites",
}

STATUSES = {
    "open": SchoolStatus.OPEN,
    "closed": SchoolStatus.CLOSED,
    "open, but proposed to close": SchoolStatus.PROPOSED_TO_CLOSE,
    "proposed to open": SchoolStatus.PROPOSED_TO_OPEN,
}

PHASES = {
    "notapplicable": Phase.NOT_APPLICABLE,
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middledeemedprimary": Phase.MIDDLE_PRIMARY,
    "secondary": Phase.SECONDARY,
    "middledeemedsecondary": Phase.MIDDLE_SECONDARY,
    "16plus": Phase.SIXTEEN_PLUS,
    "allthrough": Phase.ALL_THROUGH,
}

# The School fields an import sets, in the order they are compared.
FIELDS = (
    "name",
    "la_code",
    "la_name",
    "type_code",
    "type_name",
    "type_group_code",
    "type_group_name",
    "phase",
    "status",
    "town",
    "postcode",
    "opened_on",
    "closed_on",
    "last_changed_on",
)

MAX_REASONS_SHOWN = 200
_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


class GiasFileError(ValueError):
    """The file as a whole cannot be imported; nothing was changed."""


class RowError(ValueError):
    """One row cannot be imported; it is reported with its line number and skipped."""


@dataclass
class ImportResult:
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skipped: Counter = field(default_factory=Counter)
    other_la: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary_lines(self) -> list[str]:
        lines = []
        if not (self.changed or self.unchanged):
            lines.append("No schools to import in this file.")
        elif not self.changed:
            lines.append(
                f"No changes: {self.unchanged:,} school{'s' if self.unchanged != 1 else ''} "
                "already up to date."
            )
        else:
            lines.append(
                f"{self.created:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged."
            )
        if self.closed:
            lines.append(f"{self.closed:,} of the new or updated schools are closed.")
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"Skipped {count:,} {reason} (not schools).")
        if self.other_la:
            lines.append(f"Skipped {self.other_la:,} in other local authorities.")
        if self.rejected:
            lines.append(f"Rejected {len(self.rejected):,} rows:")
            for line, reason in self.rejected[:MAX_REASONS_SHOWN]:
                lines.append(f"  line {line}: {reason}")
            if len(self.rejected) > MAX_REASONS_SHOWN:
                lines.append(f"  … and {len(self.rejected) - MAX_REASONS_SHOWN:,} more.")
        return lines

    def as_dict(self) -> dict:
        return {
            "total_rows": self.total_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "closed": self.closed,
            "skipped": dict(self.skipped),
            "other_la": self.other_la,
            "rejected": self.rejected[:MAX_REASONS_SHOWN],
            "rejected_count": len(self.rejected),
            "summary": self.summary_lines(),
        }


# -- decoding and parsing (pure) ---------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM) or Windows-1252, as GIAS publishes it."""
    if not data.strip():
        raise GiasFileError("The file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GiasFileError(
            "The file is saved as UTF-16. Download the CSV from GIAS again, or save it as "
            "CSV (UTF-8 or Windows-1252)."
        )
    if b"\x00" in data[:65536]:
        raise GiasFileError("This is not a CSV text file (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass  # not UTF-8: GIAS publishes Windows-1252, tried next
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise GiasFileError(
            "The file's characters are neither UTF-8 nor Windows-1252: is it a GIAS CSV?"
        ) from error


def parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    match = _DATE.match(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass  # 31-02-2025 and the like: reported below
    raise RowError(f"'{value}' is not a date (GIAS dates are DD-MM-YYYY)")


def normalise_phase(value: str) -> str:
    key = _NON_ALNUM.sub("", value.strip().lower())
    try:
        return PHASES[key]
    except KeyError:
        raise RowError(f"unknown phase of education '{value.strip()}'") from None


def normalise_status(value: str) -> str:
    try:
        return STATUSES[" ".join(value.strip().lower().split())]
    except KeyError:
        raise RowError(f"unknown establishment status '{value.strip()}'") from None


def _code(value: str, max_length: int) -> str:
    """GIAS codes, with the older extracts' zero padding removed ("02" -> "2")."""
    value = value.strip()
    if value.isdigit():
        value = str(int(value))
    if len(value) > max_length:
        raise RowError(f"code '{value}' is too long")
    return value


def _text(value: str, max_length: int) -> str:
    return " ".join(value.split())[:max_length]


@dataclass(frozen=True)
class SchoolRow:
    line: int
    urn: int
    values: tuple


def parse_row(row: dict[str, str], line: int) -> SchoolRow | str:
    """A row as a :class:`SchoolRow`, or the reason it is skipped ("skip:<reason>")."""
    get = lambda column: row.get(column) or ""  # noqa: E731
    urn_text = get("URN").strip()
    if not urn_text.isdigit() or int(urn_text) == 0 or len(urn_text) > 9:
        raise RowError(f"URN '{urn_text}' is not a number" if urn_text else "URN is missing")
    type_code = _code(get("TypeOfEstablishment (code)"), 4)
    if type_code.isdigit() and int(type_code) in NON_SCHOOL_TYPES:
        return "skip:" + NON_SCHOOL_TYPES[int(type_code)]
    name = _text(get("EstablishmentName"), 255)
    if not name:
        raise RowError("EstablishmentName is empty")
    values = {
        "name": name,
        "la_code": _code(get("LA (code)"), 3),
        "la_name": _text(get("LA (name)"), 100),
        "type_code": type_code,
        "type_name": _text(get("TypeOfEstablishment (name)"), 100),
        "type_group_code": _code(get("EstablishmentTypeGroup (code)"), 4),
        "type_group_name": _text(get("EstablishmentTypeGroup (name)"), 100),
        "phase": normalise_phase(get("PhaseOfEducation (name)")),
        "status": normalise_status(get("EstablishmentStatus (name)")),
        "town": _text(get("Town"), 100),
        "postcode": _text(get("Postcode"), 10).upper(),
        "opened_on": parse_date(get("OpenDate")),
        "closed_on": parse_date(get("CloseDate")),
        "last_changed_on": parse_date(get("LastChangedDate")),
    }
    return SchoolRow(line=line, urn=int(urn_text), values=tuple(values[f] for f in FIELDS))


def _reader_with_header(text: str) -> csv.DictReader:
    """A reader over ``text`` whose header has every column the import needs, or
    :class:`GiasFileError` saying what is wrong with the file."""
    if text[:4096].lstrip().startswith(("{", "[", "<")):
        raise GiasFileError("This is not a CSV file: it looks like JSON, XML or HTML.")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    except csv.Error as error:
        raise GiasFileError(f"This is not a readable CSV file ({error}).") from error
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise GiasFileError(_missing_message(missing))
    return reader


def read_rows(
    text: str,
    *,
    la_codes: Iterable[str] = (),
    result: ImportResult,
    progress: ProgressCallback | None = None,
) -> list[SchoolRow]:
    """Check the header and every row. Rows that fail are recorded in ``result.rejected``."""
    reader = _reader_with_header(text)
    wanted = {_code(code, 3) for code in la_codes}
    rows: list[SchoolRow] = []
    seen: dict[int, int] = {}
    total = text.count("\n") or 1
    try:
        for row in reader:
            line = reader.line_num
            result.total_rows += 1
            if progress and result.total_rows % 5000 == 0:
                progress(min(line, total), total)
            if None in row:  # more fields than the header
                result.rejected.append((line, "more fields than the header has columns"))
                continue
            try:
                parsed = parse_row(row, line)
            except RowError as error:
                result.rejected.append((line, str(error)))
                continue
            if isinstance(parsed, str):
                result.skipped[parsed.removeprefix("skip:")] += 1
                continue
            if wanted and parsed.values[FIELDS.index("la_code")] not in wanted:
                result.other_la += 1
                continue
            if parsed.urn in seen:
                result.rejected.append(
                    (line, f"URN {parsed.urn} appears again (first on line {seen[parsed.urn]})")
                )
                continue
            seen[parsed.urn] = line
            rows.append(parsed)
    except csv.Error as error:
        raise GiasFileError(
            f"The CSV is malformed at line {reader.line_num}: {error}. Nothing was imported."
        ) from error
    if result.total_rows == 0:
        raise GiasFileError("The file has a header but no rows.")
    return rows


# -- writing ------------------------------------------------------------------------------------

_CHUNK = 2000


@transaction.atomic
def upsert(
    rows: list[SchoolRow], *, result: ImportResult, progress: ProgressCallback | None = None
) -> None:
    existing: dict[int, tuple] = {}
    urns = [row.urn for row in rows]
    for start in range(0, len(urns), 10000):
        chunk = urns[start : start + 10000]
        for values in School.objects.filter(urn__in=chunk).values_list("urn", "pk", *FIELDS):
            existing[values[0]] = values[1:]
    to_create: list[School] = []
    to_update: list[School] = []
    now = timezone.now()
    closed_value = SchoolStatus.CLOSED.value
    status_index = FIELDS.index("status")
    for row in rows:
        current = existing.get(row.urn)
        if current is None:
            to_create.append(School(urn=row.urn, **dict(zip(FIELDS, row.values, strict=True))))
        elif tuple(current[1:]) != row.values:
            school = School(
                pk=current[0], urn=row.urn, **dict(zip(FIELDS, row.values, strict=True))
            )
            school.updated_at = now
            to_update.append(school)
        else:
            result.unchanged += 1
            continue
        if row.values[status_index] == closed_value:
            result.closed += 1
    done = 0
    total = len(to_create) + len(to_update)
    for start in range(0, len(to_create), _CHUNK):
        School.objects.bulk_create(to_create[start : start + _CHUNK])
        done += len(to_create[start : start + _CHUNK])
        if progress:
            progress(done, total)
    for start in range(0, len(to_update), 500):
        School.objects.bulk_update(to_update[start : start + 500], [*FIELDS, "updated_at"])
        done += len(to_update[start : start + 500])
        if progress:
            progress(done, total)
    result.created, result.updated = len(to_create), len(to_update)


def import_bytes(
    data: bytes,
    *,
    la_codes: Iterable[str] = (),
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import a GIAS extract's bytes. Raises :class:`GiasFileError` (nothing changed) for a
    file that cannot be imported at all."""
    result = ImportResult()
    rows = read_rows(decode(data), la_codes=la_codes, result=result, progress=progress)
    upsert(rows, result=result, progress=progress)
    return result


def check_header(data: bytes) -> None:
    """Quick checks before a long import is queued (encoding, CSV, the required columns):
    raises :class:`GiasFileError`."""
    head = data[: 256 * 1024]
    if len(data) > len(head):
        # Whole lines only, so a multi-byte character is never cut in two.
        head = head[: head.rfind(b"\n") + 1] or head
    text = decode(head)
    if text.lstrip().startswith(("{", "[", "<")):
        raise GiasFileError("This is not a CSV file: it looks like JSON, XML or HTML.")
    header = [h.strip().lstrip("\ufeff") for h in next(csv.reader([text.split("\n", 1)[0]]), [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise GiasFileError(_missing_message(missing))


def _missing_message(missing: list[str]) -> str:
    columns = ", ".join(f"'{c}'" for c in missing)
    plural = "s" if len(missing) > 1 else ""
    return f"This is not a GIAS establishments file: it has no {columns} column{plural}."


# -- the admin's import: queued, run by the worker, progress stored on the row -----------------


def school_import_start(*, data: bytes, filename: str, la_codes: list[str], actor):
    """Check the file, store it and queue the import. Raises :class:`GiasFileError` at once
    for a file that cannot be imported, so the person sees the reason on the form."""
    check_header(data)
    codes = sorted({_code(code, 3) for code in la_codes if code.strip()})
    with transaction.atomic():
        school_import = SchoolImport.objects.create(
            uploaded_by=actor, filename=filename[:255], la_codes=",".join(codes)
        )
        school_import.file.save(f"{uuid.uuid4().hex}.csv", ContentFile(data), save=False)
        school_import.save(update_fields=["file"])
        audit.record(actor, school_import, "hubops.school_import.queued")
        import_schools_task.delay_on_commit(import_id=school_import.pk)
    return school_import


def school_import_run(*, import_id: int) -> None:
    """Run a queued import (the worker calls this). Safe to call twice: only a queued import
    runs."""
    claimed = SchoolImport.objects.filter(pk=import_id, status=SchoolImportStatus.QUEUED).update(
        status=SchoolImportStatus.RUNNING
    )
    if not claimed:
        return
    school_import = SchoolImport.objects.get(pk=import_id)

    def progress(done: int, total: int) -> None:
        SchoolImport.objects.filter(pk=import_id).update(rows_done=done, rows_total=total)

    try:
        with school_import.file.open("rb") as handle:
            data = handle.read()
        result = import_bytes(
            data, la_codes=[c for c in school_import.la_codes.split(",") if c], progress=progress
        )
    except GiasFileError as error:
        school_import.status, school_import.error = SchoolImportStatus.FAILED, str(error)
    else:
        school_import.status, school_import.result = SchoolImportStatus.DONE, result.as_dict()
        school_import.rows_done = school_import.rows_total = result.total_rows
    school_import.finished_at = timezone.now()
    school_import.file.delete(save=False)
    school_import.save(
        update_fields=[
            "status",
            "error",
            "result",
            "rows_done",
            "rows_total",
            "finished_at",
            "file",
        ]
    )
    audit.record(
        school_import.uploaded_by,
        school_import,
        f"hubops.school_import.{'finished' if school_import.status == 'done' else 'failed'}",
        data={"summary": school_import.result.get("summary", [school_import.error])[:5]},
    )
