"""Handover to a successor Lead School: build a hub, export it, import it into an empty
install, and compare what the selectors return and what each person can do."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from continuity import handover
from hubops.models import AcademicYear, User
from privacy.models import Disclosure
from reports import workflow as report_workflow
from reports.models import Report, ReportKind
from workgroups.models import Attendance, Registration, RegStatus, Session, WorkGroup

from .conftest import build_hub, hubops
from .probe import PASSWORD, TEACHER
from .snapshot import snapshot

pytestmark = pytest.mark.django_db(transaction=True)

HANDOVER_KEY = "a-passphrase-the-two-schools-agreed-0123"
NOT_CARRIED = {
    "django_session",
    "mfa_authenticator",
    "account_emailconfirmation",
    "continuity_backuprun",
    "continuity_slarenewal",
}


@pytest.fixture
def outgoing(hubdir, tmp_path, settings):
    """The outgoing hub: the demo, a teacher who completed a group, a signed report, a staff
    member with MFA."""
    settings.HUBOPS_HANDOVER_KEY = HANDOVER_KEY
    build_hub(tmp_path)
    teacher = User.objects.get(email=TEACHER)
    # The tests hash with MD5 for speed; the successor runs with the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    teacher.set_password(PASSWORD)
    teacher.save(update_fields=["password"])
    group = WorkGroup.objects.order_by("code").first()
    start = timezone.now() - timedelta(days=30)
    sessions = [
        Session.objects.create(
            work_group=group,
            starts_at=start + timedelta(days=7 * i),
            ends_at=start + timedelta(days=7 * i, hours=1),
        )
        for i in range(group.completion_min_sessions)
    ]
    reg = Registration.objects.create(
        work_group=group,
        user=teacher,
        full_name=teacher.full_name,
        email=teacher.email,
        school=teacher.school or group.registrations.first().school,
        role_at_school="Class teacher",
        status=RegStatus.COMPLETED,
    )
    for session in sessions:
        Attendance.objects.create(session=session, registration=reg, status="present")
    pdf = b"%PDF-1.7 a fictional signed report"
    report = Report(
        kind=ReportKind.choices[0][0],
        academic_year=AcademicYear.objects.order_by("-starts_on").first(),
        title="Fictional annual report",
        status=report_workflow.ISSUED,
        signer_name="Chris Sample",
        signed_at=timezone.now(),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    report.pdf.save("annual.pdf", ContentFile(pdf), save=False)
    report.save()
    mhl = User.objects.get(email="maths-hub-lead@demo.hub.example")
    Authenticator.objects.create(user=mhl, type=Authenticator.Type.TOTP, data={"secret": "X"})
    return reg


def export(tmp_path: Path) -> tuple[Path, str]:
    out = StringIO()
    path = tmp_path / "handover.enc"
    call_command(
        "handover_export",
        str(path),
        to="Fictional Successor Academy",
        basis="UK GDPR Art. 6(1)(e) public task, on the DfE's instruction",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == str(path)
    fingerprint = lines[-2].split(":", 1)[1].strip()
    return path, fingerprint


def successor(tmp_path: Path) -> dict[str, str]:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'successor.sqlite3'}",
        "HUBOPS_DATA_DIR": str(tmp_path / "successor"),
        "HUBOPS_MEDIA_ROOT": str(tmp_path / "successor" / "media"),
        "HUBOPS_HANDOVER_KEY": HANDOVER_KEY,
    }
    hubops(["migrate", "--noinput", "-v0"], env=env)
    return env


def test_a_hub_handed_over_is_the_same_hub_to_schools(outgoing, tmp_path):
    path, fingerprint = export(tmp_path)
    disclosure = Disclosure.objects.get(source="continuity.handover_export")
    assert disclosure.recipient == "Successor Lead School: Fictional Successor Academy"
    assert "public task" in disclosure.lawful_basis
    categories = disclosure.data_categories.split(", ")
    for category in ("name", "email address", "participation and attendance", "TRN"):
        assert category in categories
    assert len(disclosure.data_categories) < 300  # the whole list, not cut short
    assert disclosure.people_count >= User.objects.count()
    before = snapshot()
    for kind in ("complaints", "data_requests", "breaches", "registrations", "leaders"):
        assert before["selectors"][kind], f"the hub should have {kind} to compare"
    raw = path.read_bytes()
    assert TEACHER.encode() not in raw and b"Fictional" not in raw

    env = successor(tmp_path)
    out = hubops(["handover_import", str(path), "--fingerprint", fingerprint], env=env).stdout
    assert "every count and hash as in the signed manifest" in out
    after = json.loads(hubops(["-m", "tests.continuity.snapshot"], env=env).stdout)

    # Schools see no change: every selector returns the same.
    assert after["selectors"] == before["selectors"]
    assert after["files"] == before["files"]
    carried = {t: n for t, n in before["tables"].items() if t not in NOT_CARRIED}
    assert {t: after["tables"][t] for t in carried} == carried
    assert before["tables"]["mfa_authenticator"] == 1

    seen = json.loads(hubops(["-m", "tests.continuity.probe"], env=env).stdout)
    # The teacher signs in as before and still gets their certificate.
    assert seen["teacher_signed_in"]
    assert seen["teacher_sees"] == [outgoing.reference]
    assert seen["certificates"] == {outgoing.reference: [200, "application/pdf"]}
    # Staff arrive disabled, without a password and without MFA.
    assert not seen["staff_signed_in"]
    assert seen["active_staff"] == [] and seen["staff_with_password"] == []
    assert seen["authenticators"] == 0
    # The successor renews the SLAs; the signed report still verifies.
    assert len(seen["sla_renewals"]) >= 1
    assert seen["report_pdfs_verify"] == {"Fictional annual report": True}


def test_a_package_from_another_signer_is_refused(outgoing, tmp_path):
    path, fingerprint = export(tmp_path)
    env = successor(tmp_path)
    wrong = "0000 " + fingerprint[5:]
    result = hubops(["handover_import", str(path), "--fingerprint", wrong], env=env, check=False)
    assert result.returncode != 0
    assert "do not load it" in result.stderr
    result = hubops(["-m", "tests.continuity.snapshot", "--no-selectors"], env=env)
    assert json.loads(result.stdout)["tables"]["hubops_user"] == 0


def test_an_altered_package_is_refused_and_nothing_is_loaded(outgoing, tmp_path):
    path, fingerprint = export(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x20
    path.write_bytes(bytes(data))
    env = successor(tmp_path)
    result = hubops(
        ["handover_import", str(path), "--fingerprint", fingerprint], env=env, check=False
    )
    assert result.returncode != 0 and "Nothing was loaded" in result.stderr
    assert "tampered" in result.stderr or "damaged" in result.stderr


def test_a_resigned_manifest_is_refused(outgoing, tmp_path, settings):
    """Someone with the passphrase but not the signing key rebuilds the package with other
    data: the fingerprint no longer matches."""
    path, fingerprint = export(tmp_path)
    with handover.temp_dir() as tmp:
        manifest = handover.read_package(
            path, key=HANDOVER_KEY, into=Path(tmp), expected_fingerprint=fingerprint
        )
        forged = tmp_path / "forged.enc"
        handover.write_package(
            forged,
            key=HANDOVER_KEY,
            data_json=Path(tmp) / handover.DATA,
            media=FileSystemStorage(location=Path(tmp) / "media"),
            manifest={k: v for k, v in manifest.items() if k not in {"files", "format"}},
        )
    with pytest.raises(handover.HandoverError, match="do not load it"), handover.temp_dir() as tmp:
        handover.read_package(
            forged, key=HANDOVER_KEY, into=Path(tmp), expected_fingerprint=fingerprint
        )


def test_import_refuses_a_hub_that_is_not_fresh(outgoing, tmp_path):
    path, fingerprint = export(tmp_path)
    with pytest.raises(CommandError, match="fresh install"):
        call_command("handover_import", str(path), fingerprint=fingerprint, stdout=StringIO())


def test_export_needs_the_passphrase(outgoing, tmp_path, settings):
    settings.HUBOPS_HANDOVER_KEY = ""
    with pytest.raises(CommandError, match="HUBOPS_HANDOVER_KEY"):
        export(tmp_path)
    assert not Disclosure.objects.filter(source="continuity.handover_export").exists()
