"""The appeal panel is a role: only Lead School senior leaders can be chosen, never the person
the complaint is about nor anyone who handled it before the appeal; choosing grants access to
that one complaint, is audited, and ends when the appeal ends."""

from __future__ import annotations

from datetime import date

import pytest

from complaints import services
from complaints.models import ComplaintRecord, RecordKind, Status
from hubops.models import AuditEvent
from hubops.roles import Role
from tests.factories import StaffFactory, UserFactory

from .conftest import complaint_data, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeal(calendar, hub, people):
    """A complaint at stage 3 whose stage 2 the MHL handled (and a second, unrelated one)."""
    c = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=True
    ).complaint
    services.add_record(c, kind=RecordKind.NOTE, body="Called Pat.", actor=people["mhl"])
    c.status = Status.APPEAL
    c.appeal_requested_on = date(2026, 3, 2)
    c.appeal_due_on = date(2026, 4, 13)
    c.save(update_fields=["status", "appeal_requested_on", "appeal_due_on"])
    return c


@pytest.fixture
def awkward(people):
    """Senior leaders who must never be offered: one the complaint is about, one who handled
    stage 2; and a member of staff who holds no senior leader role."""
    return {
        "named": UserFactory(
            email="named@example.org",
            full_name="Nico Fictional-Named",
            roles=[Role.LEAD_SCHOOL_SENIOR_LEADER],
        ),
        "handled": UserFactory(
            email="handled@example.org",
            full_name="Hana Fictional-Handled",
            roles=[Role.LEAD_SCHOOL_SENIOR_LEADER, Role.COMPLAINTS_HANDLER],
        ),
        "chair": StaffFactory(
            email="chair@example.org", full_name="Chris Fictional-Chair", roles=[Role.BOARD_CHAIR]
        ),
    }


def _involve(appeal, awkward):
    appeal.subjects.add(awkward["named"])
    ComplaintRecord.objects.create(
        complaint=appeal, kind=RecordKind.CALL, body="Rang Pat.", author=awkward["handled"], stage=2
    )


def _choose(client, c, *members):
    return client.post(
        f"/staff/complaints/{c.pk}/panel/",
        {"panel-members": [m.pk for m in members], "panel-confirm": "on"},
    )


def test_the_picker_offers_only_uninvolved_senior_leaders(client, appeal, people, awkward):
    _involve(appeal, awkward)
    login(client, people["sll"])
    page = client.get(f"/staff/complaints/{appeal.pk}/").content.decode()
    section = page.split("Convene the appeal panel")[1].split("</form>")[0]
    assert "Lee Fictional-One" in section and "Lou Fictional-Two" in section
    for name in (
        "Nico Fictional-Named",
        "Hana Fictional-Handled",
        "Chris Fictional-Chair",
        "Morgan Fictional-Lead",
        "Casey Coordinator",
        "Sam Fictional-Link",
    ):
        assert name not in section, name


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("named", "Nico Fictional-Named cannot sit on the panel: the complaint is about them."),
        (
            "handled",
            "Hana Fictional-Handled cannot sit on the panel: they handled the complaint before "
            "the appeal.",
        ),
        (
            "chair",
            "Chris Fictional-Chair cannot sit on the panel: they are not a senior leader of the "
            "Lead School.",
        ),
    ],
)
def test_the_form_and_the_service_refuse_with_a_clear_message(
    client, appeal, people, awkward, who, message
):
    _involve(appeal, awkward)
    login(client, people["sll"])
    response = _choose(client, appeal, people["leader1"], awkward[who])
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert appeal.panel.count() == 0
    with pytest.raises(services.ComplaintError, match=message.split(":")[1].strip()):
        services.complaint_set_panel(
            complaint_id=appeal.pk, actor=people["sll"], members=[people["leader1"], awkward[who]]
        )
    assert appeal.panel.count() == 0


def test_the_mhl_who_handled_stage_2_is_refused_even_by_the_service(appeal, people):
    people["mhl"].groups.add(*UserFactory(roles=[Role.LEAD_SCHOOL_SENIOR_LEADER]).groups.all())
    with pytest.raises(services.ComplaintError, match="handled the complaint before the appeal"):
        services.complaint_set_panel(
            complaint_id=appeal.pk, actor=people["sll"], members=[people["mhl"], people["leader1"]]
        )


def test_choosing_grants_that_one_complaint_audited_until_the_appeal_ends(
    client, calendar, appeal, people, django_capture_on_commit_callbacks
):
    other = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=True
    ).complaint
    leader = people["leader1"]
    login(client, leader)
    assert client.get(f"/staff/complaints/{appeal.pk}/").status_code == 403
    client.logout()

    login(client, people["sll"])
    assert _choose(client, appeal, leader, people["leader2"]).status_code == 302
    added = AuditEvent.objects.filter(
        action="complaints.complaint.panel_member_added", object_id=str(appeal.pk)
    )
    assert {e.data["member"] for e in added} == {leader.pk, people["leader2"].pk}
    assert {e.actor for e in added} == {people["sll"]}
    client.logout()

    login(client, leader)
    assert client.get(f"/staff/complaints/{appeal.pk}/").status_code == 200
    assert client.get(f"/staff/complaints/{other.pk}/").status_code == 404
    register = client.get("/staff/complaints/").content.decode()
    assert appeal.reference in register and other.reference not in register
    assert client.get("/staff/complaints/new/").status_code == 403
    assert client.get("/staff/complaints/figures/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/complaints/{appeal.pk}/decide/",
            {
                "appeal-outcome": "not_upheld",
                "appeal-summary": "The response was fair.",
                "appeal-delivery": "post",
            },
        )
    assert response.status_code == 302 and response.url == "/staff/"
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert appeal.panel.count() == 2  # the panel stays on record
    ended = AuditEvent.objects.get(
        action="complaints.complaint.panel_access_ended", object_id=str(appeal.pk)
    )
    assert set(ended.data["members"]) == {leader.pk, people["leader2"].pk}
    # The appeal is over: so is the panel's access.
    assert client.get(f"/staff/complaints/{appeal.pk}/").status_code == 403
    assert client.get("/staff/complaints/log.csv").status_code == 403


def test_a_member_taken_off_the_panel_loses_access_on_record(client, appeal, people):
    extra = UserFactory(email="leader3@example.org", roles=[Role.LEAD_SCHOOL_SENIOR_LEADER])
    services.complaint_set_panel(
        complaint_id=appeal.pk, actor=people["sll"], members=[people["leader1"], extra]
    )
    services.complaint_set_panel(
        complaint_id=appeal.pk, actor=people["sll"], members=[people["leader1"], people["leader2"]]
    )
    assert AuditEvent.objects.filter(
        action="complaints.complaint.panel_member_removed", data__member=extra.pk
    ).exists()
    login(client, extra)
    assert client.get(f"/staff/complaints/{appeal.pk}/").status_code == 403


def test_closing_an_appeal_by_withdrawal_ends_the_panels_access(client, appeal, people):
    services.complaint_set_panel(
        complaint_id=appeal.pk, actor=people["sll"], members=[people["leader1"], people["leader2"]]
    )
    services.complaint_close(
        complaint_id=appeal.pk, actor=people["mhl"], outcome="withdrawn", today=date(2026, 3, 9)
    )
    assert AuditEvent.objects.filter(action="complaints.complaint.panel_access_ended").exists()
    login(client, people["leader2"])
    assert client.get(f"/staff/complaints/{appeal.pk}/").status_code == 403
