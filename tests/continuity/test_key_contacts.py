"""The key-contacts file: everything needed to reach people when hubops is down, encrypted,
openable without hubops."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from continuity import crypto, services
from continuity.models import BackupRun, RunKind
from hubops.roles import Role
from tests.factories import HubFactory, SchoolFactory, StaffFactory, UserFactory
from workgroups.models import (
    GroupStatus,
    Project,
    ProjectKind,
    Recruitment,
    Registration,
    RegStatus,
    Session,
    WorkGroup,
)

from .conftest import KEY

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)


@pytest.fixture
def running_group(db):
    from hubops.models import AcademicYear

    HubFactory(phone="020 7946 0999")
    year = AcademicYear.objects.create(
        name="2026/27", starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31)
    )
    project = Project.objects.create(
        code="NCP 26-01", title="Fictional project", kind=ProjectKind.NCP, academic_year=year
    )
    lead = UserFactory(full_name="Robin Fictional-Lead", phone="07700 900001")
    group = WorkGroup.objects.create(
        code="WG-RUN",
        title="Fictional Fractions",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=4,
        recruitment=Recruitment.OPEN,
        status=GroupStatus.RUNNING,
        venue="Fictional Hall",
    )
    group.leads.add(lead)
    for weeks in (-2, 1, 4):
        start = NOW + timedelta(weeks=weeks, hours=6)
        Session.objects.create(
            work_group=group, starts_at=start, ends_at=start + timedelta(hours=1), venue="Room 4"
        )
    school = SchoolFactory(name="Fictional Brook Primary", urn=991234)
    teacher = UserFactory(full_name="Alex Fictional", email="alex@example.org", phone="0100")
    Registration.objects.create(
        work_group=group,
        user=teacher,
        full_name="Alex Fictional",
        email="alex@example.org",
        school=school,
        role_at_school="Class teacher",
        status=RegStatus.CONFIRMED,
    )
    Registration.objects.create(
        work_group=group,
        full_name="Withdrawn Fictional",
        email="gone@example.org",
        school=school,
        role_at_school="Class teacher",
        status=RegStatus.WITHDRAWN,
    )
    StaffFactory(
        full_name="Dana Fictional",
        email="dpl@example.org",
        phone="07700 900002",
        roles=[Role.DATA_PROTECTION_LEAD],
    )
    return group


def test_the_file_has_who_to_call_and_the_next_sessions(running_group, hubdir):
    run = services.key_contacts_export(now=NOW)
    latest = Path(hubdir / "backups" / "contacts" / "key-contacts-latest.enc")
    raw = latest.read_bytes()
    assert b"alex@example.org" not in raw and b"Fictional" not in raw
    html = crypto.decrypt_bytes(raw, KEY).decode()
    assert "Dana Fictional" in html and "07700 900002" in html and "Data protection lead" in html
    assert "Robin Fictional-Lead" in html and "07700 900001" in html
    # The next session, not the one already past.
    next_session = (NOW + timedelta(weeks=1, hours=6)).strftime("%a %-d %b %Y %H:%M")
    assert next_session in html and "Room 4" in html
    assert "Alex Fictional" in html and "Fictional Brook Primary (991234)" in html
    assert "gone@example.org" not in html  # withdrawn: no place, not a contact
    assert "0303 123 1113" in html and "020 7946 0999" in html
    assert run.kind == RunKind.CONTACTS and run.rows >= 6
    assert BackupRun.objects.filter(kind=RunKind.CONTACTS).count() == 1


def test_the_command_prints_the_path_and_refuses_without_a_key(running_group, hubdir, settings):
    out = StringIO()
    call_command("key_contacts", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].endswith("contacts/key-contacts-latest.enc")
    settings.HUBOPS_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="HUBOPS_BACKUP_KEY"):
        call_command("key_contacts", stdout=StringIO())


def test_only_the_last_few_dated_copies_are_kept(running_group, hubdir):
    for hours in range(10):
        services.key_contacts_export(now=NOW + timedelta(hours=hours))
    folder = hubdir / "backups" / "contacts"
    dated = sorted(p.name for p in folder.glob("key-contacts-2*.enc"))
    assert len(dated) == services.CONTACTS_KEEP
    assert (folder / "key-contacts-latest.enc").exists()


def test_beat_refreshes_it(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "continuity.tasks.key_contacts_export_task" in tasks
    assert "continuity.tasks.backup_nightly_task" in tasks
