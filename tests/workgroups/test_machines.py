"""The Work Group, session and registration machines: what the rules refuse, and the buttons
the pages offer (the same tables answer both); the staff pages that create and edit a group."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hubops.audit import AuditEvent
from hubops.roles import Role
from hubops.workflow import DomainError
from tests.factories import PASSWORD, SchoolFactory, UserFactory
from workgroups import services, workflow
from workgroups.models import GroupStatus, Registration, WorkGroup

from .factories import make_group

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=LONDON)


def facts(**kw) -> workflow.GroupFacts:
    base = {"sessions": 3, "has_lead": True, "last_ends_at": NOW - timedelta(days=1), "now": NOW}
    return workflow.GroupFacts(**{**base, **kw})


def names(moves) -> list[str]:
    return [m.name for m in moves]


def test_a_draft_is_published_only_with_3_to_7_sessions_and_a_lead():
    m = workflow.WORK_GROUP
    staff = {workflow.STAFF}
    assert names(m.available("draft", roles=staff, subject=facts())) == ["publish", "cancel"]
    for n in (2, 8):
        with pytest.raises(workflow.IllegalMove, match=f"3 to 7 sessions.*has {n}"):
            m.check("publish", "draft", roles=staff, subject=facts(sessions=n))
    with pytest.raises(workflow.WorkGroupError, match="needs a Work Group Lead"):
        m.check("publish", "draft", roles=staff, subject=facts(has_lead=False))
    assert "publish" not in names(m.available("draft", roles=staff, subject=facts(sessions=2)))


def test_a_group_completes_only_after_its_last_session_and_a_lead_cannot_cancel_it():
    m = workflow.WORK_GROUP
    later = facts(last_ends_at=NOW + timedelta(hours=1))
    assert "complete" not in names(m.available("running", roles={"staff"}, subject=later))
    with pytest.raises(DomainError, match="completed after its last session"):
        m.check("complete", "running", subject=later)
    lead = names(m.available("running", roles={workflow.LEAD}, subject=facts()))
    assert lead == ["complete"]
    with pytest.raises(DomainError, match="Only hub staff"):
        m.check("cancel", "running", roles={workflow.LEAD})
    assert m.final("completed") and m.final("cancelled")


def test_a_register_opens_when_the_session_starts_and_never_for_a_cancelled_one():
    m = workflow.SESSION
    soon = workflow.SessionFacts(starts_at=NOW + timedelta(minutes=5), now=NOW)
    begun = workflow.SessionFacts(starts_at=NOW, now=NOW)
    assert names(m.available("scheduled", subject=soon)) == ["change", "cancel"]
    assert "take_register" in names(m.available("scheduled", subject=begun))
    assert m.available("cancelled", subject=begun) == []
    assert m.get("cancel").needs_comment and m.get("cancel").confirm


def test_registration_table_is_read_from_the_machine():
    assert workflow.TRANSITIONS["completed"] == set()
    assert workflow.TRANSITIONS["offered"] == {"confirmed", "pending", "declined", "withdrawn"}
    with pytest.raises(workflow.IllegalMove, match="withdrawn cannot become confirmed"):
        workflow.check_move("withdrawn", "confirmed")


# -- services through the machine ---------------------------------------------------------------


@pytest.fixture
def staff(db):
    return UserFactory(roles=[Role.HUB_STAFF])


def test_group_moves_are_audited_and_refused_with_reasons(project, lead, staff):
    group = make_group(project, lead, code="WG-M", sessions=2, status=GroupStatus.DRAFT)
    with pytest.raises(workflow.WorkGroupError, match="has 2"):
        services.work_group_move(group_id=group.pk, actor=staff, move="publish")
    group.refresh_from_db()
    assert group.status == GroupStatus.DRAFT
    services.session_save(
        group_id=group.pk, actor=staff, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
    )
    services.work_group_move(group_id=group.pk, actor=staff, move="publish")
    group.refresh_from_db()
    assert group.status == GroupStatus.PUBLISHED
    event = AuditEvent.objects.filter(action="workgroups.workgroup.status_changed").get()
    assert event.data["from"] == "draft" and event.data["to"] == "published"
    with pytest.raises(workflow.WorkGroupError, match="published cannot become published"):
        services.work_group_set_status(group_id=group.pk, actor=staff, status="published")


def test_the_import_refuses_attendance_at_sessions_not_yet_held(client, staff, project, lead):
    future = datetime.now(tz=LONDON) + timedelta(days=30)
    group = make_group(project, lead, code="WG-FUT", sessions=0)
    services.session_save(
        group_id=group.pk, actor=staff, starts_at=future, ends_at=future + timedelta(hours=1)
    )
    school = SchoolFactory()
    header = (
        "work_group_code,school_urn,participant_name,email,role_at_school,trn,sessions_attended\n"
    )
    result = services.participation_import(
        actor=staff, content=(header + f"WG-FUT,{school.urn},Sam Fictional,,Teacher,,1\n").encode()
    )
    assert result.errors == ["Row 2: more sessions attended than the group has held."]
    assert not Registration.objects.exists()
    result = services.participation_import(
        actor=staff, content=(header + f"WG-FUT,{school.urn},Sam Fictional,,Teacher,,0\n").encode()
    )
    assert result.created == 1 and not result.errors
    assert AuditEvent.objects.filter(action="workgroups.registration.created").count() == 1


# -- the staff pages ----------------------------------------------------------------------------


def form_data(project, **kw) -> dict:
    return {
        "code": "WG-NEW",
        "title": "Fictional Ratio Work Group",
        "project": project.pk,
        "phases": ["primary", "secondary"],
        "audience": ["teachers"],
        "format": "in_person",
        "capacity_schools": "5",
        "places_per_school": "2",
        "recruitment": "open",
        "completion_min_sessions": "2",
        "registration_opens_on_day": "1",
        "registration_opens_on_month": "9",
        "registration_opens_on_year": "2026",
        **kw,
    }


def test_hub_staff_create_and_change_a_group_on_the_staff_page(client, staff, project, hub):
    client.login(email=staff.email, password=PASSWORD)
    bad = client.post(reverse("workgroups_staff:group_new"), form_data(project, code=""))
    assert bad.status_code == 400 and "<title>Error: " in bad.text
    assert "Enter the group&#x27;s code" in bad.text and "Fictional Ratio" in bad.text
    response = client.post(reverse("workgroups_staff:group_new"), form_data(project))
    group = WorkGroup.objects.get(code="WG-NEW")
    assert response.status_code == 302 and response["Location"].endswith(f"/{group.pk}/")
    assert group.status == GroupStatus.DRAFT and group.phases == ",primary,secondary,"
    assert str(group.registration_opens_on) == "2026-09-01"
    edit = reverse("workgroups_staff:group_edit", args=[group.pk])
    page = client.get(edit).text
    assert 'value="WG-NEW"' in page and "Places and who can join" in page
    client.post(edit, form_data(project, title="Fictional Ratio and Proportion"))
    group.refresh_from_db()
    assert group.title == "Fictional Ratio and Proportion"
    closes_first = form_data(
        project,
        registration_closes_on_day="1",
        registration_closes_on_month="8",
        registration_closes_on_year="2026",
    )
    assert "Registration must close after it opens" in client.post(edit, closes_first).text


def test_a_lead_is_a_work_group_lead_and_a_lead_cannot_open_the_group_form(
    client, staff, project, lead
):
    group = make_group(project, code="WG-L", status=GroupStatus.DRAFT)
    teacher = UserFactory()
    client.login(email=staff.email, password=PASSWORD)
    url = reverse("workgroups_staff:group_leads", args=[group.pk])
    page = client.get(url).text
    assert lead.full_name in page and teacher.full_name not in page
    client.post(url, {"leads": [lead.pk]})
    assert list(group.leads.all()) == [lead]
    with pytest.raises(workflow.WorkGroupError, match="Work Group Lead role"):
        services.work_group_assign_leads(group_id=group.pk, actor=staff, lead_ids=[teacher.pk])
    client.logout()
    client.login(email=lead.email, password=PASSWORD)
    assert client.get(reverse("workgroups_staff:group_edit", args=[group.pk])).status_code == 403
    assert client.get(url).status_code == 403


def test_the_group_page_offers_only_the_moves_the_machine_allows(client, staff, project, lead):
    group = make_group(project, lead, code="WG-B", sessions=2, status=GroupStatus.DRAFT)
    client.login(email=staff.email, password=PASSWORD)
    detail = reverse("workgroups_staff:group_detail", args=[group.pk])
    page = client.get(detail).text
    assert 'value="publish"' not in page and "Cancel the group" in page
    services.session_save(
        group_id=group.pk, actor=staff, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
    )
    assert 'value="publish"' in client.get(detail).text
    # Cancelling asks first: a POST of the move only leads to the "Are you sure?" page.
    status = reverse("workgroups_staff:group_status", args=[group.pk])
    assert client.post(status, {"move": "cancel"})["Location"].endswith("/cancel/")
    group.refresh_from_db()
    assert group.status == GroupStatus.DRAFT
    client.post(reverse("workgroups_staff:group_cancel", args=[group.pk]))
    group.refresh_from_db()
    assert group.status == GroupStatus.CANCELLED
    assert "Cancel the group" not in client.get(detail).text
