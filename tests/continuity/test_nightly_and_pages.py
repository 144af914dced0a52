"""The nightly run backs up, prunes and proves the newest archive restores; a failure reaches
the data protection lead by mail and on their pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from continuity import engines, services, tasks
from continuity.models import BackupRun, RunKind, RunStatus
from hubops.roles import Role, users_with_role
from tests.factories import StaffFactory, UserFactory

from .conftest import build_hub

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "/staff/continuity/"


@pytest.fixture
def dpl(hubdir, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    return StaffFactory(
        email="dpl@example.org", full_name="Dana Fictional", roles=[Role.DATA_PROTECTION_LEAD]
    )


def test_nightly_backs_up_and_verifies_and_tells_nobody(dpl, tmp_path):
    build_hub(tmp_path)
    mail.outbox.clear()
    tasks.backup_nightly_task.delay()
    backup = BackupRun.objects.get(kind=RunKind.BACKUP)
    verify = BackupRun.objects.get(kind=RunKind.VERIFY)
    assert backup.status == verify.status == RunStatus.SUCCEEDED
    assert verify.archive_name == backup.archive_name
    assert (tmp_path / "backups" / backup.archive_name).exists()
    assert not [m for m in mail.outbox if "backup" in m.subject.lower()]


def test_a_failed_restore_test_is_mailed_and_shown(dpl, tmp_path, client, monkeypatch):
    build_hub(tmp_path)

    def broken_scratch(self, dump, workdir):
        raise engines.EngineError("The database in the archive does not open: disk I/O error")

    monkeypatch.setattr(engines.SQLiteEngine, "scratch", broken_scratch)
    monkeypatch.setattr(engines.PostgresEngine, "scratch", broken_scratch)
    mail.outbox.clear()
    services.backup_nightly()
    verify = BackupRun.objects.get(kind=RunKind.VERIFY)
    assert verify.status == RunStatus.FAILED
    sent = [m for m in mail.outbox if "restore test" in m.subject]
    assert len(sent) == 1
    dpls = {u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)}
    assert "dpl@example.org" in sent[0].to and set(sent[0].to) == dpls
    assert "disk I/O error" in sent[0].body and verify.archive_name in sent[0].body

    client.force_login(dpl)
    page = client.get(DASHBOARD).content.decode()
    assert "Needs attention" in page and "The last restore test failed" in page
    assert "disk I/O error" in page
    home = client.get(reverse("staff_dashboard")).content.decode()
    assert "The last restore test failed" in home
    assert reverse("continuity_staff:dashboard") in home


def test_a_failed_backup_is_mailed(dpl, settings):
    settings.HUBOPS_BACKUP_KEY = ""
    mail.outbox.clear()
    services.backup_nightly()
    assert [m.subject for m in mail.outbox] == ["Last night's backup failed"]
    assert "HUBOPS_BACKUP_KEY" in mail.outbox[0].body
    run = BackupRun.objects.get(kind=RunKind.BACKUP)
    assert run.status == RunStatus.FAILED and "HUBOPS_BACKUP_KEY" in run.detail


def test_the_page_is_for_the_data_protection_lead(dpl, client, settings):
    other = StaffFactory(email="wgl@example.org", roles=[Role.WORK_GROUP_LEAD])
    teacher = UserFactory(email="teacher@example.org")
    client.force_login(other)
    assert client.get(DASHBOARD).status_code == 403
    assert "Backups and continuity" not in client.get(reverse("staff_dashboard")).content.decode()
    client.force_login(teacher)
    assert client.get(DASHBOARD).status_code in {302, 403}
    client.logout()
    assert client.get(DASHBOARD).status_code == 302
    client.force_login(dpl)
    page = client.get(DASHBOARD).content.decode()
    assert "There is no backup yet." in page


def test_the_runbook_page_and_the_breach_log_link_to_it(dpl, client):
    client.force_login(dpl)
    runbook = client.get(reverse("continuity_staff:runbook"))
    assert runbook.status_code == 200
    body = runbook.content.decode()
    assert "72 hours" in body and "python manage.py restore" in body
    breaches = client.get(reverse("privacy_staff:breaches")).content.decode()
    assert reverse("continuity_staff:runbook") in breaches


def test_the_page_query_count_does_not_grow(dpl, client, django_assert_max_num_queries):
    client.force_login(dpl)
    for _ in range(3):
        BackupRun.objects.create(kind=RunKind.BACKUP, status=RunStatus.SUCCEEDED, trigger="t")
    with django_assert_max_num_queries(12):
        client.get(DASHBOARD)
    for i in range(50):
        BackupRun.objects.create(kind=RunKind.VERIFY, status=RunStatus.FAILED, trigger=f"{i}")
    with django_assert_max_num_queries(12):
        assert client.get(DASHBOARD).status_code == 200


def test_slas_to_renew_are_listed_and_marked_renewed_once(dpl, client):
    from datetime import date

    from continuity.models import SlaRenewal
    from governance.models import LocalLeader, ServiceLevelAgreement
    from hubops.models import AuditEvent

    leader = LocalLeader.objects.create(name="Quinn Fictional")
    sla = ServiceLevelAgreement.objects.create(
        leader=leader, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31), deliverables="x"
    )
    renewal = SlaRenewal.objects.create(sla=sla, flagged_on=date(2026, 11, 23), reason="Renew")
    client.force_login(dpl)
    page = client.get(DASHBOARD).content.decode()
    assert "SLAs to renew after the handover" in page and "Quinn Fictional" in page
    url = reverse("continuity_staff:sla_renewed", args=[renewal.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    renewal.refresh_from_db()
    assert renewal.renewed_on is not None
    assert AuditEvent.objects.filter(action="continuity.sla_renewal.renewed").count() == 1
    page = client.post(url, follow=True).content.decode()
    assert "already marked as renewed" in page
    assert "SLAs to renew after the handover" not in page
