"""/staff/sweeps/: hub staff and the MHL run a reminder sweep early and are told what it sent;
running it again sends nothing twice; everyone else is refused (the access matrix checks every
role; here what the people who may use it see)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hubops.models import AuditEvent, ReminderLog
from hubops.roles import Role
from tests.factories import HubFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub_staff(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    HubFactory()
    person = StaffFactory(roles=[Role.HUB_STAFF])
    client.force_login(person)
    return person


def test_the_page_lists_every_sweep_in_words_with_a_run_button(client, hub_staff, settings):
    page = client.get(reverse("staff_sweeps")).content.decode()
    sweeps = [n for n in settings.CELERY_BEAT_SCHEDULE if n.endswith(("-sweeps", "-reminders"))]
    assert page.count("Run now") == len(sweeps) >= 5
    assert "Complaints: acknowledgement, response and appeal deadlines" in page
    assert "Not yet" in page  # beat has never run here


def test_running_a_sweep_early_says_what_it_sent_and_is_audited(client, hub_staff):
    response = client.post(reverse("staff_sweep_run", args=["complaints-sweeps"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_sweeps")
    assert "Complaints sweep run: 0 sent." in response.content.decode()
    event = AuditEvent.objects.get(action="hubops.sweep.run_early")
    assert event.actor == hub_staff
    assert event.data == {"sweep": "complaints-sweeps", "result": "0 sent"}


def test_an_unknown_sweep_is_named_not_a_server_error(client, hub_staff):
    response = client.post(reverse("staff_sweep_run", args=["nope"]), follow=True)
    assert response.status_code == 200
    assert "No sweep called nope" in response.content.decode()
    assert not AuditEvent.objects.filter(action="hubops.sweep.run_early").exists()


def test_running_the_page_by_get_changes_nothing(client, hub_staff):
    response = client.get(reverse("staff_sweep_run", args=["complaints-sweeps"]))
    assert response.status_code == 405
    assert not ReminderLog.objects.exists()
    assert not AuditEvent.objects.filter(action="hubops.sweep.run_early").exists()


def test_a_work_group_lead_is_refused(client, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    HubFactory()
    client.force_login(StaffFactory(roles=[Role.WORK_GROUP_LEAD]))
    response = client.get(reverse("staff_sweeps"))
    assert response.status_code == 403
    assert "Only hub staff and the Maths Hub Lead" in response.content.decode()
