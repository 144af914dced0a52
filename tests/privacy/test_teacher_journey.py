"""The issue's check: a teacher with registrations and attendance asks for their data, then
for erasure; the figures still add up and no trace of them is left."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db.models import Count

from hubops.personal_data import Person
from privacy import services

from .conftest import TODAY
from .test_access_erasure import _traces, _zip

pytestmark = pytest.mark.django_db


def test_access_then_erasure_with_work_group_data(teacher, dpo, django_capture_on_commit_callbacks):
    from tests.workgroups.conftest import make_group
    from workgroups.models import Attendance, Project, Registration

    year = apps.get_model("hubops", "AcademicYear").objects.create(
        name="2025/26", starts_on="2025-09-01", ends_on="2026-08-31"
    )
    project = Project.objects.create(
        code="NCP 25-99", title="Fictional project", academic_year=year, phase="primary"
    )
    group = make_group(project, code="WG-PRIV")
    registration = Registration.objects.create(
        work_group=group,
        user=teacher,
        full_name=teacher.full_name,
        email=teacher.email,
        trn=teacher.trn,
        school=teacher.school,
        role_at_school="Class teacher",
        status=Registration._meta.get_field("status").choices[0][0],
    )
    for session in group.sessions.all():
        Attendance.objects.create(session=session, registration=registration, status="present")
    present = Attendance.objects.filter(status="present").count()

    r = services.data_request_create(
        kind="access",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    payload = json.loads(
        _zip(services.access_export(Person.for_user(teacher), reference=r.reference)).read(
            "data.json"
        )
    )
    sections = {s["model"]: s for s in payload["sections"]}
    reg = sections["workgroups.registration"]["rows"][0]
    assert reg["trn"] == "7654321" and reg["role_at_school"] == "Class teacher"
    assert len(sections["workgroups.attendance"]["rows"]) == present

    e = services.data_request_create(
        kind="erasure",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.erasure_carry_out(data_request_id=e.pk, actor=dpo, today=TODAY)
    assert report.done["workgroups.registration"] == 1
    assert report.kept["workgroups.attendance"][0] == present
    assert report.refused == []
    # Anonymous figures still add up.
    assert Attendance.objects.filter(status="present").count() == present
    assert Registration.objects.filter(work_group=group).aggregate(n=Count("pk"))["n"] == 1
    assert _traces(["Alexandra Fictionalperson", "alex.fictional@example.org", "7654321"]) == []
    e.refresh_from_db()
    assert "kept without anything that identifies you" in e.outcome
