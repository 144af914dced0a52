"""The MHL composes a CPD mailing, checks the count and sends it; the teacher opens the
unsubscribe link from the mail and stops CPD mailings. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mhl_sends_a_cpd_mailing_and_a_teacher_unsubscribes(
    live_server, browser, browser_context_args, axe, settings
):
    from allauth.account.models import EmailAddress

    from hubops.models import AcademicYear
    from hubops.roles import Role
    from privacy.models import MailingObjection
    from tests.factories import PASSWORD, HubFactory, SchoolFactory, StaffFactory
    from workgroups.models import Project, Registration, WorkGroup

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.SITE_URL = live_server.url
    HubFactory()
    year = AcademicYear.objects.create(name="2025/26", starts_on="2025-09-01", ends_on="2026-08-31")
    project = Project.objects.create(code="P", title="P", kind="ncp", academic_year=year)
    group = WorkGroup.objects.create(
        code="WG-M",
        title="Fictional",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=5,
        recruitment="open",
        status="running",
    )
    for name in ("ann", "bob"):
        Registration.objects.create(
            work_group=group,
            school=SchoolFactory(),
            full_name=f"{name.title()} Fictional",
            email=f"{name}@example.org",
            role_at_school="Teacher",
            status="confirmed",
        )
    mhl = StaffFactory(email="mhl@example.org", roles=[Role.MHL])
    EmailAddress.objects.create(user=mhl, email=mhl.email, verified=True, primary=True)

    page = browser.new_context(**browser_context_args).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    page.get_by_label("Email").fill(mhl.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Send a CPD mailing").click()
    page.get_by_role("heading", name="Send a CPD mailing").wait_for()
    axe(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe(page)
    page.get_by_label("Subject").fill("Primary Work Groups open")
    page.get_by_label("Message").fill("Two fictional Work Groups are open.\nJoin one.")
    page.get_by_label("Who to send it to").select_option(label="Teachers in primary Work Groups")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check the CPD mailing before sending it").wait_for()
    axe(page)
    page.get_by_role("button", name="Send to 2 people").click()
    page.get_by_text("CPD mailing queued for 2 people.").wait_for()
    axe(page)

    message = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    link = re.search(r"<([^>]+)>", message.extra_headers["List-Unsubscribe"])[1]
    teacher = browser.new_context(**browser_context_args).new_page()
    teacher.goto(link)
    teacher.get_by_role("heading", name="Stop CPD mailings").wait_for()
    axe(teacher)
    teacher.get_by_role("button", name="Stop CPD mailings").click()
    teacher.get_by_role("heading", name="You will get no more CPD mailings").wait_for()
    axe(teacher)
    assert list(MailingObjection.objects.values_list("email", flat=True)) == ["ann@example.org"]
