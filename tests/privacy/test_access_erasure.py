"""Access exports everything the registry lists; erasure leaves no trace of the person."""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
import zipfile

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models

from hubops import audit
from hubops.models import AuditEvent, User
from hubops.personal_data import Person, personal_models
from hubops.reminders import remind_once
from privacy import services
from privacy.models import DataRequest, LegalHold, NoticeAcceptance, RequestStatus
from tests.factories import PASSWORD

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_everywhere(teacher, notice, dpo, client, django_capture_on_commit_callbacks):
    """The teacher with data in every app whose declarations give an ``example``, plus the
    generic traces: audit events, reminders, a notice acceptance, a session."""
    examples = [d for d in personal_models() if d.example is not None]
    for declaration in examples:
        declaration.example(teacher)
    services.notice_accept(notice_id=notice.pk, actor=teacher)
    audit.record(dpo, teacher, "hubops.user.viewed", data={"note": f"Called {teacher.full_name}"})
    with django_capture_on_commit_callbacks(execute=True):
        remind_once(
            obj=teacher,
            kind="test.reminder",
            due_on=TODAY,
            to=[teacher.email],
            template_prefix="privacy/email/request_due",
            context={"reference": "X", "due_on": "2026-03-10"},
        )
    client.login(email=teacher.email, password=PASSWORD)
    return teacher


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_access_export_contains_every_registered_field(person_everywhere):
    person = Person.for_user(person_everywhere)
    archive = _zip(services.access_export(person, reference="DSR-TEST"))
    assert sorted(archive.namelist()) == ["README.txt", "data.json", "summary.pdf"]
    payload = json.loads(archive.read("data.json"))
    sections = {s["model"]: s for s in payload["sections"]}
    # Every model with an example (every app that declared one) is in the export, with every
    # declared personal field (default exports) ...
    for declaration in personal_models():
        if declaration.example is None and declaration.label not in (
            "hubops.user",
            "privacy.noticeacceptance",
            "account.emailaddress",
            "hubops.auditevent",
            "hubops.remindersent",
            "hubops.reminderlog",
            "sessions.session",
        ):
            continue
        assert declaration.label in sections, f"{declaration.label} missing from the export"
        if declaration.export is None:
            for row in sections[declaration.label]["rows"]:
                assert set(declaration.personal) <= set(row), declaration.label
    user_row = sections["hubops.user"]["rows"][0]
    for name in ("email", "full_name", "previous_names", "date_of_birth", "phone", "trn", "school"):
        assert user_row[name], name
    assert user_row["trn"] == "7654321"
    assert sections["privacy.noticeacceptance"]["rows"][0]["version"] == 1
    # ... and the PDF is a readable summary of the same.
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(archive.read("summary.pdf"))
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True).stdout
    assert "The personal data we hold about you" in text
    assert "7654321" in text
    assert "Alexandra Fictionalperson" in text


def test_staff_download_is_audited(dpo_client, dpo, teacher):
    r = services.data_request_create(
        kind="access",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    response = dpo_client.get(f"/staff/privacy/requests/{r.pk}/export.zip")
    assert response["Content-Type"] == "application/zip"
    assert "data.json" in _zip(response.content).namelist()
    assert AuditEvent.objects.filter(action="privacy.access_export.downloaded", actor=dpo).exists()
    page = dpo_client.get(f"/staff/privacy/requests/{r.pk}/").content.decode()
    assert "privacy.access_export.downloaded" in page  # who has seen / exported this record


def _text_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField | models.JSONField):
                yield model, f


def _traces(needles: list[str]) -> list[str]:
    found = []
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model, f in _text_columns():
            if model._meta.db_table not in tables:
                continue  # an app still being written, without its migration yet
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(f.column)
            cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (quoted names)
            for (value,) in cursor.fetchall():
                text = str(value or "").lower()
                for needle in needles:
                    if needle.lower() in text:
                        found.append(f"{model._meta.label}.{f.name}: {text[:80]}")
    return found


def test_erasure_leaves_nothing_but_redaction_marks(
    person_everywhere, dpo, django_capture_on_commit_callbacks
):
    teacher = person_everywhere
    needles = [
        "Alexandra Fictionalperson",
        "Maidenfiction",
        "alex.fictional@example.org",
        "7654321",
        "07700 900123",
    ]
    assert _traces(needles)  # the search can find them before erasure
    from django.contrib.sessions.models import Session

    assert services.collect(Person.for_user(teacher))  # found before
    assert any(
        s.get_decoded().get("_auth_user_id") == str(teacher.pk) for s in Session.objects.all()
    )
    r = services.data_request_create(
        kind="erasure",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    audit_count = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.erasure_carry_out(data_request_id=r.pk, actor=dpo, today=TODAY)
    assert _traces(needles) == []
    # The audit log was redacted, not deleted.
    assert AuditEvent.objects.count() >= audit_count
    assert AuditEvent.objects.filter(object_label="[redacted]").exists()
    # The account remains as an anonymous row that cannot sign in; the request log remains.
    user = User.objects.get(pk=teacher.pk)
    assert not user.is_active and user.full_name == "[erased]" and user.trn == ""
    r.refresh_from_db()
    assert r.status == RequestStatus.COMPLETED
    assert r.reference and r.kind == "erasure" and r.closed_on == TODAY
    assert "hubops.user: 1" in r.outcome
    assert mail.outbox[-1].to == ["alex.fictional@example.org"]
    assert report.refused == []
    assert not NoticeAcceptance.objects.exists()
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(teacher.pk) for s in Session.objects.all()
    )


def test_erasure_refuses_held_records_with_the_reason(
    teacher, dpo, django_capture_on_commit_callbacks
):
    old = services.data_request_create(
        kind="access",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    LegalHold.objects.create(
        object_type="privacy.datarequest",
        object_id=str(old.pk),
        reason="Tribunal claim",
        placed_on=TODAY,
    )
    r = services.data_request_create(
        kind="erasure",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.erasure_carry_out(data_request_id=r.pk, actor=dpo, today=TODAY)
    assert report.refused == [
        {
            "model": "privacy.datarequest",
            "id": str(old.pk),
            "reason": "a legal hold applies to this record",
        }
    ]
    r.refresh_from_db()
    assert r.status == RequestStatus.PARTLY_REFUSED
    assert "legal hold" in r.outcome
    old.refresh_from_db()
    assert old.email == teacher.email


def test_erasure_needs_a_verified_request(teacher):
    r = services.data_request_create(
        kind="erasure", full_name=teacher.full_name, email=teacher.email, received_on=TODAY
    )
    with pytest.raises(services.TransitionError):
        services.erasure_carry_out(data_request_id=r.pk, actor=None, today=TODAY)
    assert DataRequest.objects.get(pk=r.pk).full_name == teacher.full_name


def test_an_erasure_request_reaches_governance_rows(
    teacher, dpo, django_capture_on_commit_callbacks
):
    """A team appointment is exported and then anonymised by a staff-confirmed request, with
    no trace of the person left in any text column."""
    Appointment = apps.get_model("governance", "Appointment")
    role = Appointment._meta.get_field("role").choices[0][0]
    group = Appointment._meta.get_field("group").choices[0][0]
    appointment = Appointment.objects.create(
        person_name=teacher.full_name,
        email=teacher.email,
        user=teacher,
        role=role,
        group=group,
        days_per_week=1,
        starts_on=TODAY,
    )
    sections = {s["model"]: s for s in services.collect(Person.for_user(teacher))}
    row = sections["governance.appointment"]["rows"][0]
    assert row["person_name"] == teacher.full_name and row["email"] == teacher.email
    r = services.data_request_create(
        kind="erasure",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    # The confirmation waits in the outbox (with the address) until it is sent, then keeps none.
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(data_request_id=r.pk, actor=dpo, today=TODAY)
    appointment.refresh_from_db()
    assert appointment.person_name == "[erased]" and appointment.email == ""
    assert appointment.user_id is None
    assert _traces([teacher.full_name, "alex.fictional@example.org"]) == []
