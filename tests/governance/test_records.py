"""The records staff keep on their own pages: board members' terms, the MHLM team, LLME SLAs,
the annual plan, budget lines and actual spend by month. Each through a service with an audit
event; dates that would lie are refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import records
from governance.models import (
    AnnualPlanVersion,
    Appointment,
    BoardMember,
    MonthlySpend,
    QuarterFigure,
    ServiceLevelAgreement,
)
from governance.workflow import GovernanceError
from hubops.audit import events_for

from .factories import (
    BoardMemberFactory,
    BudgetLineFactory,
    GrantYearFactory,
    LocalLeaderFactory,
    SLAFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


def url(name, *args):
    return reverse(f"governance_staff:{name}", args=args)


def day(prefix, d):
    """A date as the GOV.UK date input posts it."""
    return {
        f"{prefix}_day": str(d.day),
        f"{prefix}_month": str(d.month),
        f"{prefix}_year": str(d.year),
    }


# -- board members ---------------------------------------------------------------------------------


def test_appoint_extend_and_end_a_term_through_the_pages(client, staff):
    client.force_login(staff)
    r = client.post(
        url("member_new"),
        {
            "name": "Nell Fictional",
            "organisation": "Fictional Primary",
            "category": "school_primary",
            "independent": "yes",
            **day("term_starts_on", date(2025, 9, 1)),
            **day("term_ends_on", date(2026, 8, 31)),
        },
    )
    assert r.status_code == 302
    member = BoardMember.objects.get(name="Nell Fictional")
    assert member.independent is True
    # Extending to an earlier date is refused, with what was typed kept.
    r = client.post(url("member_extend", member.pk), day("ends_on", date(2026, 7, 1)))
    assert r.status_code == 400
    body = r.content.decode()
    assert "The new end date must be after the current one, 31 August 2026." in body
    assert "<title>Error: " in body and 'value="2026"' in body
    r = client.post(url("member_extend", member.pk), day("ends_on", date(2029, 8, 31)))
    assert r.status_code == 302
    # Ending is a confirmation page first.
    page = client.get(url("member_end", member.pk)).content.decode()
    assert "Are you sure you want to end Nell Fictional" in page and "Yes, end the term" in page
    r = client.post(url("member_end", member.pk), day("ends_on", date(2025, 8, 1)))
    assert "cannot end before it started, on 1 September 2025" in r.content.decode()
    assert (
        client.post(url("member_end", member.pk), day("ends_on", date(2026, 3, 31))).status_code
        == 302
    )
    member.refresh_from_db()
    assert member.term_ends_on == date(2026, 3, 31)
    assert {e.action for e in events_for(member)} >= {
        "governance.boardmember.appointed",
        "governance.boardmember.term_extended",
        "governance.boardmember.term_ended",
    }
    listing = client.get(url("members")).content.decode()
    assert "Nell Fictional" in listing and "31 March 2026" in listing


def test_the_chair_reads_the_records_but_cannot_change_them(client, chair):
    member = BoardMemberFactory()
    client.force_login(chair)
    assert client.get(url("members")).status_code == 200
    assert client.get(url("team")).status_code == 200
    assert client.get(url("member_new")).status_code == 403
    assert client.get(url("member_end", member.pk)).status_code == 403
    assert "Appoint a board member" not in client.get(url("members")).content.decode()


# -- the MHLM team ---------------------------------------------------------------------------------


def test_appointment_with_days_a_week_and_ending_it(client, staff):
    client.force_login(staff)
    form = {
        "person_name": "Ola Fictional",
        "role": "coordinator",
        "group": "operational",
        "days_per_week": "6",
        "induction_status": "not_started",
        **day("starts_on", date(2025, 9, 1)),
    }
    r = client.post(url("appointment_new"), form)
    assert r.status_code == 400 and "Days a week must be 5 or fewer" in r.content.decode()
    assert client.post(url("appointment_new"), {**form, "days_per_week": "2.5"}).status_code == 302
    appointment = Appointment.objects.get(person_name="Ola Fictional")
    assert appointment.days_per_week == Decimal("2.5")
    team_page = client.get(url("team")).content.decode()
    assert "Ola Fictional" in team_page and "2.5" in team_page
    r = client.post(url("appointment_end", appointment.pk), day("ends_on", date(2026, 2, 27)))
    assert r.status_code == 302
    appointment.refresh_from_db()
    assert appointment.ends_on == date(2026, 2, 27)
    assert "governance.appointment.ended" in [e.action for e in events_for(appointment)]


# -- SLAs ------------------------------------------------------------------------------------------


def test_sla_create_refuses_an_overlap_and_renew_starts_the_day_after(staff):
    sla = SLAFactory(starts_on=date(2025, 9, 1), ends_on=date(2026, 2, 28))
    with pytest.raises(GovernanceError, match="already has an SLA from 1 September 2025"):
        records.sla_create(
            leader_id=sla.leader_id,
            actor=staff,
            today=TODAY,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 8, 31),
            deliverables="More.",
        )
    new = records.sla_renew(
        sla_id=sla.pk,
        actor=staff,
        today=TODAY,
        ends_on=date(2026, 8, 31),
        deliverables="Lead two groups.",
        release_days=Decimal("8"),
        payment=Decimal("2400"),
    )
    assert new.starts_on == date(2026, 3, 1) and new.status_on(TODAY) == "Awaiting signature"
    assert "governance.sla.renewed" in [e.action for e in events_for(sla)]


def test_sla_ended_early_through_its_confirmation_page(client, staff):
    today = timezone.localdate()
    sla = SLAFactory(starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=300))
    client.force_login(staff)
    llme = client.get(url("llme")).content.decode()
    assert url("sla_end", sla.pk) in llme and url("sla_renew", sla.pk) in llme
    page = client.get(url("sla_end", sla.pk)).content.decode()
    assert f"Are you sure you want to end the SLA with {sla.leader.name} early?" in page
    assert client.post(url("sla_end", sla.pk), day("ends_on", today)).status_code == 302
    sla.refresh_from_db()
    assert sla.terminated_on == today and sla.status_on(today) == "Terminated"
    again = client.post(url("sla_end", sla.pk), day("ends_on", today))
    assert again.status_code == 400 and "already ended" in again.content.decode()


def test_new_sla_page_for_a_leader(client, staff):
    leader = LocalLeaderFactory()
    client.force_login(staff)
    today = timezone.localdate()
    r = client.post(
        url("sla_new", leader.pk),
        {
            **day("starts_on", today),
            **day("ends_on", today - timedelta(days=1)),
            "deliverables": "Lead one group.",
            "release_days": "4",
            "payment": "1200",
        },
    )
    assert r.status_code == 400 and "The end date must be on or after the start date" in (
        r.content.decode()
    )
    r = client.post(
        url("sla_new", leader.pk),
        {
            **day("starts_on", today),
            **day("ends_on", today + timedelta(days=200)),
            "deliverables": "Lead one group.",
            "release_days": "4",
            "payment": "1200",
        },
    )
    assert r.status_code == 302
    assert ServiceLevelAgreement.objects.get(leader=leader).payment == Decimal("1200")


# -- the annual plan -------------------------------------------------------------------------------


def test_plan_versions_with_their_priorities_on_the_day_agreed(client, staff, chair, year):
    client.force_login(staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = {"review_point": "initial", "summary": "Reach 60% of primary schools."}
    r = client.post(url("plan") + f"?year={year.pk}", {**form, **day("agreed_on", tomorrow)})
    assert r.status_code == 400 and "today or in the past" in r.content.decode()
    r = client.post(
        url("plan") + f"?year={year.pk}", {**form, **day("agreed_on", date(2025, 9, 15))}
    )
    assert r.status_code == 302
    version = AnnualPlanVersion.objects.get()
    assert version.agreed_on == date(2025, 9, 15)
    client.force_login(chair)
    page = client.get(url("plan") + f"?year={year.pk}").content.decode()
    assert "Initial plan, agreed 15 September 2025" in page
    assert "Reach 60% of primary schools." in page
    assert "Record this version" not in page
    assert client.post(url("plan") + f"?year={year.pk}", form).status_code == 403


# -- budget lines and spend by month ---------------------------------------------------------------


def test_spend_by_month_sums_into_its_quarter_and_only_for_months_that_ended(staff, year):
    line = BudgetLineFactory(grant=GrantYearFactory(academic_year=year), budget=Decimal("12000"))
    with pytest.raises(GovernanceError, match="a month that has ended"):
        records.spend_record(
            line_id=line.pk, actor=staff, today=TODAY, month=date(2026, 1, 1), actual=Decimal(1)
        )
    with pytest.raises(GovernanceError, match="not in the grant's year"):
        records.spend_record(
            line_id=line.pk, actor=staff, today=TODAY, month=date(2025, 8, 1), actual=Decimal(1)
        )
    for month, amount in ((date(2025, 9, 1), "900"), (date(2025, 10, 1), "1000")):
        records.spend_record(
            line_id=line.pk, actor=staff, today=TODAY, month=month, actual=Decimal(amount)
        )
    # Recording a month again corrects it.
    records.spend_record(
        line_id=line.pk, actor=staff, today=TODAY, month=date(2025, 10, 1), actual=Decimal(1100)
    )
    assert MonthlySpend.objects.filter(line=line).count() == 2
    q1 = QuarterFigure.objects.get(line=line, quarter=1)
    assert q1.actual == Decimal("2000") and q1.forecast == Decimal("3000")
    assert QuarterFigure.objects.get(line=line, quarter=2).actual is None


def test_finance_page_records_spend_and_shows_actuals_by_month(client, staff):
    today = timezone.localdate()
    year = GrantYearFactory(
        academic_year__name="current",
        academic_year__starts_on=date(today.year - (today.month < 9), 9, 1),
        academic_year__ends_on=date(today.year + (today.month >= 9), 8, 31),
    ).academic_year
    line = BudgetLineFactory(grant=year.grant, title="Work Group delivery")
    client.force_login(staff)
    spend = client.get(url("spend_new") + f"?year={year.pk}").content.decode()
    first = year.starts_on
    assert f'value="{first.isoformat()}"' in spend  # September has ended
    assert f'value="{today.replace(day=1).isoformat()}"' not in spend  # this month has not
    r = client.post(
        url("spend_new") + f"?year={year.pk}",
        {"line": str(line.pk), "month": first.isoformat(), "actual": "812.50"},
    )
    assert r.status_code == 302
    body = client.get(url("finance") + f"?year={year.pk}").content.decode()
    assert "Forecast against actual spend by month" in body
    assert "£812.50" in body
    r = client.post(
        url("budget_line_new") + f"?year={year.pk}",
        {
            "title": "Evaluation",
            "kind": "project",
            "budget": "400",
            "q1": "100",
            "q2": "100",
            "q3": "100",
            "q4": "x",
        },
    )
    assert r.status_code == 400 and "Forecast for quarter 4 must be a number of pounds" in (
        r.content.decode()
    )


def test_demo_records_monthly_actuals_for_the_months_ended(year):
    from governance import demo
    from tests.factories import HubFactory

    demo.load(hub=HubFactory(), today=TODAY)
    # September to December 2025 have ended on 15 January 2026: four months for each line.
    assert MonthlySpend.objects.count() == 8
    assert not MonthlySpend.objects.filter(month__gte=date(2026, 1, 1)).exists()
    q1 = QuarterFigure.objects.filter(quarter=1, actual__isnull=False).count()
    assert q1 == 2
    assert Appointment.objects.count() == 8
