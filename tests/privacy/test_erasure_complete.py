"""Erasure that is complete and says so: a teacher named in someone else's complaint (its
internal notes, who it is about, a letter), in the audit log and in a breach record is erased;
afterwards no text column of any table holds her names, email, phone or TRN, and the report
lists what was kept and why. Her access export holds only her data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.files.base import ContentFile

from complaints import services as complaints
from complaints.models import Complaint, ComplaintRecord, Letter, Visibility
from hubops import audit
from hubops.models import AuditEvent
from hubops.personal_data import ANOTHER_PERSON, Person
from privacy import services
from privacy.models import Breach, RequestStatus
from tests.complaints.conftest import complaint_data

from .conftest import TODAY
from .test_access_erasure import _traces

pytestmark = pytest.mark.django_db

NEEDLES = [
    "Alexandra Fictionalperson",
    "Alexandra Maidenfiction",
    "alex.fictional@example.org",
    "7654321",
    "07700 900123",
    "07700900123",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def named_elsewhere(teacher, dpo, django_capture_on_commit_callbacks):
    """Another person's complaint about the teacher, with notes, a letter and audit entries
    that name her; and a breach record that does."""
    with django_capture_on_commit_callbacks(execute=True):
        other = complaints.complaint_file(
            data=complaint_data(
                full_name="Casey Otherperson",
                email="casey.other@example.org",
                subject_name="Alexandra Fictionalperson",
                what_happened="Ms ALEXANDRA FICTIONALPERSON cancelled the session.",
            ),
            received_on=date(2026, 3, 2),
            formal=True,
        ).complaint
    complaints.complaint_add_note(
        complaint_id=other.pk,
        actor=dpo,
        kind="call",
        body="Called Alexandra Fictionalperson (alex.fictional@example.org, 07700900123); "
        "she was Alexandra Maidenfiction at the time. TRN 7654321.",
        visibility=Visibility.INTERNAL,
    )
    Letter.objects.create(
        complaint=other,
        kind="acknowledgement",
        subject="Your complaint",
        body="We have spoken to Alexandra Fictionalperson about your complaint.",
        pdf=ContentFile(b"%PDF-1.4 letter naming her", name="letter.pdf"),
        sha256="0" * 64,
        delivery="email",
        sent_on=date(2026, 3, 3),
    )
    other.actions_taken = "Training arranged for alex.fictional@example.org."
    other.save(update_fields=["actions_taken"])
    audit.record(
        dpo,
        other,
        "complaints.complaint.recorded",
        data={"note": "Met Alexandra Fictionalperson", "phone": "07700 900123"},
    )
    Breach.objects.create(
        reference="BR-TEST01",
        found_at="2026-03-01T09:00:00Z",
        ico_deadline="2026-03-04T09:00:00Z",
        what_happened="A spreadsheet with alex.fictional@example.org was emailed wrongly.",
        data_categories="email",
        people_count=1,
        records_count=1,
    )
    return other


def test_erasure_redacts_the_person_in_other_peoples_records(
    teacher, dpo, named_elsewhere, django_capture_on_commit_callbacks
):
    assert _traces(NEEDLES)  # found before
    request = services.data_request_create(
        kind="erasure",
        full_name=teacher.full_name,
        email=teacher.email,
        received_on=TODAY,
        actor=dpo,
        identity_confirmed_by_staff=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.erasure_carry_out(data_request_id=request.pk, actor=dpo, today=TODAY)
    assert _traces(NEEDLES) == []

    # The other person's complaint is theirs: kept, with only the teacher taken out of it.
    other = Complaint.objects.get(pk=named_elsewhere.pk)
    assert other.full_name == "Casey Otherperson" and other.email == "casey.other@example.org"
    assert other.subject_name == "[redacted]"
    assert other.what_happened == "Ms [redacted] cancelled the session."
    note = ComplaintRecord.objects.filter(complaint=other, kind="call").get()
    assert note.body.startswith("Called [redacted] ([redacted], [redacted]); she was [redacted]")
    # ... and the report says what was kept, and why.
    assert report.redacted["complaints.complaint"] == 1
    assert report.redacted["complaints.complaintrecord"] >= 1
    assert report.redacted["complaints.letter"] == 1
    assert report.redacted["privacy.breach"] == 1
    letter = Letter.objects.get(complaint=other)
    assert letter.body == "We have spoken to [redacted] about your complaint."
    assert {"model": "complaints.letter", "id": str(letter.pk)} == {
        k: v for k, v in report.refused[0].items() if k != "reason"
    }
    assert "kept as it was sent" in report.refused[0]["reason"]
    event = AuditEvent.objects.get(action="privacy.person.erased")
    assert event.data["redacted"]["complaints.complaintrecord"] >= 1
    request.refresh_from_db()
    assert request.status == RequestStatus.PARTLY_REFUSED
    assert "another person's record" in request.outcome
    assert "complaints.complaintrecord" in request.outcome


def test_a_namesake_keeps_their_own_name(teacher, dpo):
    """Another teacher who happens to share her name is another person: erasing one does
    not rename the other."""
    from tests.factories import UserFactory

    namesake = UserFactory(email="alexandra.two@example.org", full_name=teacher.full_name)
    services.erase_person(Person.for_user(teacher), actor=dpo, today=TODAY)
    namesake.refresh_from_db()
    assert namesake.full_name == "Alexandra Fictionalperson"


def test_the_access_export_holds_only_the_subjects_data(
    teacher, dpo, named_elsewhere, django_capture_on_commit_callbacks
):
    from hubops.models import AcademicYear
    from tests.workgroups.conftest import make_group
    from workgroups import services as workgroups
    from workgroups.models import Project, ProjectKind

    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    project = Project.objects.create(
        code="NCP 25-07", title="TfM", kind=ProjectKind.NCP, academic_year=year, phase="primary"
    )
    group = make_group(project, code="WG-A")
    with django_capture_on_commit_callbacks(execute=True):
        reg = workgroups.registration_create(
            group_id=group.pk,
            user=teacher,
            school_id=teacher.school_id,
            role_at_school="Teacher",
            today=date(2026, 1, 12),
        )
        workgroups.colleague_invite(
            registration_id=reg.pk, actor=teacher, email="colleague.third@example.org"
        )
        # Her own complaint, handled by a member of staff, about someone else.
        own = complaints.complaint_file(
            data=complaint_data(
                full_name=teacher.full_name,
                email=teacher.email,
                subject_name="Jordan Thirdparty",
                what_happened="Jordan Thirdparty was rude to me; I told Dana Fictional.",
            ),
            received_on=date(2026, 3, 2),
            formal=True,
        ).complaint
    own.handler = dpo
    own.save(update_fields=["handler"])
    audit.record(dpo, teacher, "hubops.user.viewed")

    archive = zipfile.ZipFile(
        io.BytesIO(services.access_export(Person.for_user(teacher), reference="DSR-T"))
    )
    data = archive.read("data.json").decode()
    payload = json.loads(data)
    for stranger in ("colleague.third@example.org", "Jordan Thirdparty", dpo.email, "Dana"):
        assert stranger not in data, stranger
    sections = {s["model"]: s for s in payload["sections"]}
    invitation = sections["workgroups.invitation"]["rows"][0]
    assert invitation["email"] == ANOTHER_PERSON
    complaint = next(
        r for r in sections["complaints.complaint"]["rows"] if r["reference"] == own.reference
    )
    assert complaint["subject_name"] == ANOTHER_PERSON and complaint["handler"] == ANOTHER_PERSON
    assert complaint["what_happened"] == (
        "[another person] was rude to me; I told [another person]."
    )
    # Her own data is all there.
    assert complaint["email"] == teacher.email and complaint["full_name"] == teacher.full_name
    assert sections["hubops.user"]["rows"][0]["trn"] == "7654321"
    # The other complainant's complaint, which names her, is not hers to receive.
    assert "Casey Otherperson" not in data
