"""Registering school pairs: eligibility, capacity in schools, waiting list, offers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hubops.models import SchoolStatus
from tests.factories import SchoolFactory, UserFactory
from workgroups import services, workflow
from workgroups.models import Recruitment, Registration, RegStatus

from .conftest import make_group

pytestmark = pytest.mark.django_db


def register(group, user, school, today):
    return services.registration_create(
        group_id=group.pk, user=user, school_id=school.pk, role_at_school="Teacher", today=today
    )


def test_pair_from_one_school_takes_one_place(group, schools, today):
    a = register(group, UserFactory(), schools[0], today)
    b = register(group, UserFactory(), schools[0], today)
    assert a.status == b.status == RegStatus.CONFIRMED
    with pytest.raises(workflow.NotEligible, match="already has its 2 places"):
        register(group, UserFactory(), schools[0], today)
    # A second school still fits: capacity is counted in schools, not people.
    assert register(group, UserFactory(), schools[1], today).status == RegStatus.CONFIRMED
    assert register(group, UserFactory(), schools[2], today).status == RegStatus.WAITING


def test_confirmation_email_sent(group, schools, teacher, today, mailoutbox):
    reg = register(group, teacher, schools[0], today)
    assert len(mailoutbox) == 1
    assert reg.reference in mailoutbox[0].subject
    assert mailoutbox[0].to == ["alex@example.org"]


def test_same_person_cannot_register_twice(group, schools, teacher, today):
    register(group, teacher, schools[0], today)
    with pytest.raises(workflow.NotEligible, match="already registered"):
        register(group, teacher, schools[1], today)


def test_waiting_school_offered_when_place_frees_and_offer_lapses(
    hub, project, schools, today, mailoutbox
):
    group = make_group(project, code="WG-FULL", capacity=1)
    first = register(group, UserFactory(), schools[0], today)
    second = register(group, UserFactory(email="second@example.org"), schools[1], today)
    third = register(group, UserFactory(email="third@example.org"), schools[2], today)
    assert (second.status, third.status) == (RegStatus.WAITING, RegStatus.WAITING)
    mailoutbox.clear()
    services.registration_withdraw(registration_id=first.pk, actor=first.user, today=today)
    second.refresh_from_db()
    assert second.status == RegStatus.OFFERED
    # 5 working days from Monday 12 January 2026.
    assert second.offer_expires_on == date(2026, 1, 19)
    assert any(m.to == ["second@example.org"] and "place is free" in m.subject for m in mailoutbox)
    # Nothing lapses on the expiry day itself; the day after, it moves on by itself.
    assert services.offer_lapse_sweep(today=date(2026, 1, 19)) == 0
    assert services.offer_lapse_sweep(today=date(2026, 1, 20)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegStatus.DECLINED
    assert third.status == RegStatus.OFFERED
    services.offer_accept(registration_id=third.pk, actor=third.user, today=date(2026, 1, 20))
    third.refresh_from_db()
    assert third.status == RegStatus.CONFIRMED


def test_expired_offer_cannot_be_accepted(hub, project, schools, today):
    group = make_group(project, code="WG-X", capacity=1)
    first = register(group, UserFactory(), schools[0], today)
    second = register(group, UserFactory(), schools[1], today)
    services.registration_withdraw(registration_id=first.pk, actor=first.user, today=today)
    with pytest.raises(workflow.WorkGroupError, match="no longer open"):
        services.offer_accept(
            registration_id=second.pk, actor=second.user, today=today + timedelta(days=30)
        )


def test_area_recruitment_explains_out_of_area(hub, project, today):
    group = make_group(project, code="WG-AREA", recruitment=Recruitment.AREA)
    outside = SchoolFactory(la_code="999", la_name="Fictionshire")
    with pytest.raises(workflow.NotEligible) as exc:
        register(group, UserFactory(), outside, today)
    assert "Fictionshire is outside it" in str(exc.value)


def test_named_las(hub, project, schools, today):
    group = make_group(
        project, code="WG-LA", recruitment=Recruitment.NAMED_LAS, allowed_la_codes="304"
    )
    with pytest.raises(workflow.NotEligible, match="Ealing is not one of them"):
        register(group, UserFactory(), schools[0], today)
    brent = SchoolFactory(la_code="304", la_name="Brent")
    assert register(group, UserFactory(), brent, today).status == RegStatus.CONFIRMED


def test_prerequisite(hub, project, schools, today):
    group = make_group(
        project, code="WG-PRE", recruitment=Recruitment.PREREQUISITE, prerequisite_project=project
    )
    with pytest.raises(workflow.NotEligible, match="completed NCP 25-07"):
        register(group, UserFactory(), schools[0], today)
    earlier = make_group(project, code="WG-EARLIER")
    Registration.objects.create(
        work_group=earlier,
        school=schools[0],
        full_name="Sam Fictional",
        role_at_school="Teacher",
        status=RegStatus.COMPLETED,
    )
    assert register(group, UserFactory(), schools[0], today).status == RegStatus.CONFIRMED


def test_window_and_closed_school(hub, project, today):
    group = make_group(project, code="WG-WIN", registration_closes_on=today - timedelta(days=1))
    closed = SchoolFactory(status=SchoolStatus.CLOSED)
    with pytest.raises(workflow.NotEligible) as exc:
        register(group, UserFactory(), closed, today)
    assert "Registration closed on 11 January 2026." in exc.value.reasons
    assert any("not open" in r for r in exc.value.reasons)


def test_invitation_only(hub, project, schools, lead, today, mailoutbox):
    group = make_group(project, code="WG-INV", recruitment=Recruitment.INVITATION)
    invited = UserFactory(email="invited@example.org")
    with pytest.raises(workflow.NotEligible, match="by invitation only"):
        register(group, invited, schools[0], today)
    services.staff_invite(group_id=group.pk, actor=lead, email="invited@example.org")
    assert mailoutbox[-1].to == ["invited@example.org"]
    assert register(group, invited, schools[0], today).status == RegStatus.CONFIRMED
    with pytest.raises(workflow.NotEligible, match="by invitation only"):
        register(group, UserFactory(), schools[1], today)


def test_needs_approval_then_decline_with_reason(hub, project, schools, lead, today, mailoutbox):
    group = make_group(project, code="WG-APP", needs_approval=True, capacity=1)
    reg = register(group, UserFactory(), schools[0], today)
    waiting = register(group, UserFactory(), schools[1], today)
    assert reg.status == RegStatus.PENDING
    with pytest.raises(workflow.WorkGroupError, match="reason"):
        services.registration_decline(registration_id=reg.pk, actor=lead, reason=" ", today=today)
    services.registration_decline(
        registration_id=reg.pk, actor=lead, reason="Wrong phase", today=today
    )
    assert "Wrong phase" in mailoutbox[-2].body or "Wrong phase" in mailoutbox[-1].body
    waiting.refresh_from_db()
    assert waiting.status == RegStatus.OFFERED


def test_colleague_invitation(group, schools, teacher, today, mailoutbox):
    reg = register(group, teacher, schools[0], today)
    inv = services.colleague_invite(
        registration_id=reg.pk, actor=teacher, email="colleague@example.org"
    )
    assert inv.school == schools[0]
    assert mailoutbox[-1].to == ["colleague@example.org"]
    assert inv.token in mailoutbox[-1].body


def test_publish_needs_3_to_7_sessions(hub, project, lead):
    from workgroups.models import GroupStatus

    group = make_group(project, lead, code="WG-2S", sessions=2, status=GroupStatus.DRAFT)
    with pytest.raises(workflow.WorkGroupError, match="3 to 7 sessions"):
        services.work_group_set_status(group_id=group.pk, actor=lead, status="published")
