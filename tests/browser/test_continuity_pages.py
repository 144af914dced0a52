"""The data protection lead reads a failed restore test on their staff home, follows it to the
backups page and the runbook, and marks an SLA renewed; every page passes axe-core."""

from __future__ import annotations

import re
from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_data_protection_lead_sees_a_failed_restore_test(live_server, page, axe, settings):
    from django.test import Client

    from continuity.models import BackupRun, RunKind, RunStatus, SlaRenewal
    from governance.models import LocalLeader, ServiceLevelAgreement
    from hubops.roles import Role
    from tests.factories import PASSWORD, StaffFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    dpl = StaffFactory(email="dpl@example.org", roles=[Role.DATA_PROTECTION_LEAD])
    BackupRun.objects.create(
        kind=RunKind.BACKUP,
        status=RunStatus.SUCCEEDED,
        trigger="nightly",
        archive_name="hubops-backup-20261123T013000Z.tar.gz.enc",
        archive_bytes=5_900_000,
        rows=98_555,
        files=60,
    )
    BackupRun.objects.create(
        kind=RunKind.VERIFY,
        status=RunStatus.FAILED,
        trigger="nightly",
        archive_name="hubops-backup-20261123T013000Z.tar.gz.enc",
        detail="rows differ in hubops_school: 51990 restored, 52000 backed up",
    )
    leader = LocalLeader.objects.create(name="Quinn Fictional")
    sla = ServiceLevelAgreement.objects.create(
        leader=leader, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31), deliverables="x"
    )
    SlaRenewal.objects.create(sla=sla, flagged_on=date(2026, 11, 23), reason="Renew it")
    client = Client()
    client.login(email=dpl.email, password=PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/staff/")
    page.get_by_text("The last restore test failed").wait_for()
    axe(page)
    page.get_by_role("link", name="Backups and restore tests").click()
    page.get_by_role("heading", name="Backups and continuity", level=1).wait_for()
    assert "51990 restored, 52000 backed up" in page.content()
    axe(page)
    # The hidden part of the name is absolutely positioned: Chromium reads it with a space.
    page.get_by_role("button", name=re.compile(r"^Mark renewed\s*: Quinn Fictional$")).click()
    page.get_by_text("Marked as renewed: Quinn Fictional").wait_for()
    axe(page)
    page.get_by_role("link", name="the runbook").click()
    page.get_by_role("heading", name="Runbook: data lost or the server compromised").wait_for()
    axe(page)
