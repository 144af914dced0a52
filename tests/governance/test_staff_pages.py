"""Staff pages: access by role, bad dates, the meeting workflow through the browser forms."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from governance.models import BoardMeeting, MeetingStatus, MeetingTerm
from hubops.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
COMPLIANCE = "/staff/governance/"


def test_anonymous_redirected_and_wrong_role_forbidden(client):
    assert client.get(COMPLIANCE).status_code == 302
    teacher = UserFactory(roles=[Role.WORK_GROUP_LEAD])
    client.force_login(teacher)
    assert client.get(COMPLIANCE).status_code == 403
    assert client.get(reverse("governance_staff:checklist")).status_code == 403


def test_compliance_for_a_date_shows_the_gap(client, staff, team, board):
    from governance.models import Appointment

    Appointment.objects.filter(person_name="Robin Fictional").update(ends_on=date(2026, 2, 27))
    client.force_login(staff)
    ok = client.get(COMPLIANCE, {"on": "2026-02-27"}).content.decode()
    assert "Every required role is named" in ok
    gap = client.get(COMPLIANCE, {"on": "2026-02-28"}).content.decode()
    assert "neither a Maths Hub Co-ordinator nor a Maths Hub Project Manager" in gap
    assert "Operational capacity is 5 days a week" in gap


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("30", "2", "2026", "Check on date must be a real date"),
        ("yesterday", "", "", "Check on date must include a month and year"),
        ("", "", "", "Enter check on date"),
        ("1", "1", "9999999", "Year must include 4 numbers"),
    ],
)
def test_bad_date_gives_a_clear_message(client, staff, day, month, year, message):
    client.force_login(staff)
    response = client.get(COMPLIANCE, {"on_day": day, "on_month": month, "on_year": year})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert 'href="#id_on_0"' in body  # the summary links to the day box
    assert "<title>Error: " in body
    # The date is asked as day, month and year boxes (the GOV.UK date input).
    assert 'name="on_day"' in body and 'name="on_month"' in body and 'name="on_year"' in body


def test_board_makeup_failure_shown(client, staff, board):
    board[0].independent = False
    board[0].save()
    client.force_login(staff)
    body = client.get(COMPLIANCE, {"on": "2026-01-15"}).content.decode()
    assert "The Chair is not independent of the Lead School." in body


def test_checklist_page_and_staff_edit(client, staff, year, team, board):
    client.force_login(staff)
    body = client.get(reverse("governance_staff:checklist"), {"year": year.pk}).content.decode()
    assert "The hub appoints an independent Chair" in body
    url = reverse("governance_staff:checklist_edit", args=[year.pk, "comms-external"])
    bad = client.post(url, {"evidence": "x"})
    # Refused with what was typed kept, status 400 (post_action).
    assert bad.status_code == 400 and "Select a status" in bad.content.decode()
    response = client.post(url, {"status": "at_risk", "evidence": "Website out of date."})
    assert response.status_code == 302
    body = client.get(reverse("governance_staff:checklist"), {"year": year.pk}).content.decode()
    assert "Website out of date." in body
    assert (
        client.get(
            reverse("governance_staff:checklist_edit", args=[year.pk, "team-roles"])
        ).status_code
        == 404
    )


def test_chair_only_may_view_checklist_not_edit(client, chair, year):
    client.force_login(chair)
    assert client.get(reverse("governance_staff:checklist")).status_code == 200
    url = reverse("governance_staff:checklist_edit", args=[year.pk, "comms-external"])
    assert client.get(url).status_code == 403


def test_meeting_workflow_through_pages(client, staff, sll, chair, year, board):
    client.force_login(staff)
    r = client.post(
        reverse("governance_staff:meeting_list") + f"?year={year.pk}",
        {"term": "summer", "held_on": "2026-06-18"},
    )
    assert r.status_code == 302
    meeting = BoardMeeting.objects.get()
    act = lambda a: reverse("governance_staff:meeting_action", args=[meeting.pk, a])  # noqa: E731
    # The Chair tries to agree before the SLL drafts: a clear message, nothing changes.
    client.force_login(chair)
    r = client.post(act("agree-agenda"))
    assert r.status_code == 400
    assert "The SLL must draft the agenda before the Chair agrees it." in r.content.decode()
    client.force_login(sll)
    assert client.post(act("draft-agenda"), {"agenda": ""}).status_code == 400
    assert client.post(act("draft-agenda"), {"agenda": "1. Draft annual plan"}).status_code == 302
    client.force_login(chair)
    assert client.post(act("agree-agenda")).status_code == 302
    client.force_login(staff)
    assert (
        client.post(act("attendance"), {"present": [str(m.pk) for m in board[:6]]}).status_code
        == 302
    )
    assert client.post(act("draft-notes"), {"notes": "Plan reviewed."}).status_code == 302
    client.force_login(chair)
    detail = client.get(reverse("governance_staff:meeting_detail", args=[meeting.pk]))
    assert "Date you agreed the notes" in detail.content.decode()
    # No date given: refused with the date input's message, nothing agreed.
    refused = client.post(act("agree-notes"))
    assert refused.status_code == 400
    assert "Enter the date you agreed the notes" in refused.content.decode()
    agreed = client.post(
        act("agree-notes"),
        {"agreed_on_day": "19", "agreed_on_month": "6", "agreed_on_year": "2026"},
    )
    assert agreed.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTES_DRAFTED
    assert meeting.notes_chair_agreed_on == date(2026, 6, 19)
    # Agreed once, the Chair is not offered it again.
    detail = client.get(reverse("governance_staff:meeting_detail", args=[meeting.pk]))
    assert "Date you agreed the notes" not in detail.content.decode()
    assert client.post(act("nonsense")).status_code == 404
    assert client.get(reverse("governance_staff:meeting_detail", args=[999])).status_code == 404


def test_meeting_list_query_count_does_not_grow(client, staff, year, django_assert_max_num_queries):

    client.force_login(staff)
    url = reverse("governance_staff:meeting_list") + f"?year={year.pk}"
    BoardMeeting.objects.create(
        academic_year=year, term=MeetingTerm.EXTRA, held_on=date(2025, 9, 2)
    )
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    BoardMeeting.objects.bulk_create(
        BoardMeeting(
            academic_year=year, term=MeetingTerm.EXTRA, held_on=date(2025, 9, 3) + timedelta(days=i)
        )
        for i in range(49)
    )
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_llme_and_finance_pages(client, staff, year, django_assert_max_num_queries):
    from governance import demo
    from tests.factories import HubFactory

    demo.load(hub=HubFactory(), today=date(2026, 1, 15))
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("governance_staff:llme")).content.decode()
    assert "Quinn Demo" in body and "PD Lead programme" in body
    assert "Expired (ends 31 August 2026)" in body  # the fixture year is in the past
    body = client.get(reverse("governance_staff:finance"), {"year": year.pk}).content.decode()
    assert "Leadership and management (fixed)" in body
    assert "£62,375.00 / not yet" in body
    assert "agreement SLA-DEMO-1 signed" in body


def test_every_staff_page_renders_with_demo_data(client, chair, year):
    from governance import demo
    from tests.factories import HubFactory

    demo.load(hub=HubFactory(), today=date(2026, 1, 15))
    client.force_login(chair)
    meeting = BoardMeeting.objects.get(term="autumn")
    detail = client.get(reverse("governance_staff:meeting_detail", args=[meeting.pk]))
    assert "Agree the notes" in detail.content.decode()
    assert "Notes agreed by the Chair" in detail.content.decode()
    for name in ("compliance", "checklist", "meeting_list", "llme"):
        assert client.get(reverse(f"governance_staff:{name}")).status_code == 200, name
    # Finance is for hub staff, MHL and SLL; the Chair may not see it.
    assert client.get(reverse("governance_staff:finance")).status_code == 403


def test_attendance_is_not_offered_before_the_meeting_day(client, staff, sll, chair, year, board):
    from django.utils import timezone

    from governance import services

    today = timezone.localdate()
    meeting = services.meeting_schedule(
        academic_year_id=year.pk,
        today=date(2025, 9, 1),
        term="summer",
        held_on=date(2026, 6, 18),
        actor=staff,
    )
    before = date(2026, 6, 1)
    services.meeting_draft_agenda(meeting_id=meeting.pk, actor=sll, today=before, agenda="1.")
    services.meeting_agree_agenda(meeting_id=meeting.pk, actor=chair, today=before)
    client.force_login(staff)
    body = client.get(reverse("governance_staff:meeting_detail", args=[meeting.pk])).content
    # The meeting's day has passed (today is after June 2026), so the form is offered.
    assert today > meeting.held_on and b"Record attendance" in body
    BoardMeeting.objects.filter(pk=meeting.pk).update(held_on=today + timedelta(days=3))
    body = client.get(reverse("governance_staff:meeting_detail", args=[meeting.pk])).content
    assert b"Record attendance" not in body
    assert b"Attendance can be recorded on or after the day of the meeting" in body
    refused = client.post(
        reverse("governance_staff:meeting_action", args=[meeting.pk, "attendance"]),
        {"present": [str(board[0].pk)]},
    )
    assert refused.status_code == 400
    assert "record attendance on or after that day" in refused.content.decode()
