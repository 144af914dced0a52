"""Writes for the records governance keeps besides meetings: board members and their terms,
MHLM appointments, LLME SLAs, the annual plan's review points, budget lines and actual spend by
month. Each is atomic, locks the row it changes, checks the date rules in
``governance.workflow`` and writes an audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from hubops import audit
from hubops.formats import format_date

from . import rules, workflow
from .access import can_edit
from .models import (
    AnnualPlan,
    AnnualPlanVersion,
    Appointment,
    BoardMember,
    BudgetLine,
    GrantYear,
    LocalLeader,
    MonthlySpend,
    QuarterFigure,
    ServiceLevelAgreement,
)
from .workflow import GovernanceError


def _editor(actor) -> None:
    if not can_edit(actor):
        raise GovernanceError("Only hub staff, the MHL and the SLL can change governance records.")


def _refuse(reason: str | None) -> None:
    if reason:
        raise GovernanceError(reason)


# -- board members and their terms -------------------------------------------------------------


@transaction.atomic
def board_member_appoint(
    *,
    actor,
    today: date,
    name: str,
    organisation: str,
    category: str,
    independent: bool,
    term_starts_on: date,
    term_ends_on: date | None,
    is_chair: bool = False,
    email: str = "",
) -> BoardMember:
    _editor(actor)
    _refuse(workflow.term_refusal(term_starts_on, term_ends_on))
    member = BoardMember(
        name=name.strip(),
        organisation=organisation.strip(),
        category=category,
        independent=independent,
        is_chair=is_chair,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        email=email,
    )
    member.full_clean()
    member.save()
    audit.record(
        actor,
        member,
        "governance.boardmember.appointed",
        data={"from": str(term_starts_on), "to": str(term_ends_on or "")},
    )
    return member


@transaction.atomic
def board_member_extend(*, member_id: int, actor, today: date, term_ends_on: date) -> BoardMember:
    """Extend a member's term to a later end date (a reappointment)."""
    _editor(actor)
    member = BoardMember.objects.select_for_update().get(pk=member_id)
    _refuse(workflow.extension_refusal(member.term_ends_on, term_ends_on))
    before = member.term_ends_on
    member.term_ends_on = term_ends_on
    member.save(update_fields=["term_ends_on", "updated_at"])
    audit.record(
        actor,
        member,
        "governance.boardmember.term_extended",
        data={"from": str(before), "to": str(term_ends_on)},
    )
    return member


@transaction.atomic
def board_member_end(*, member_id: int, actor, today: date, ends_on: date) -> BoardMember:
    """End a member's term early, on ``ends_on`` (their last day on the board)."""
    _editor(actor)
    member = BoardMember.objects.select_for_update().get(pk=member_id)
    _refuse(workflow.ending_refusal(member.term_starts_on, member.term_ends_on, ends_on))
    before = member.term_ends_on
    member.term_ends_on = ends_on
    member.save(update_fields=["term_ends_on", "updated_at"])
    audit.record(
        actor,
        member,
        "governance.boardmember.term_ended",
        data={"from": str(before), "to": str(ends_on)},
    )
    return member


# -- the MHLM team -------------------------------------------------------------------------------


@transaction.atomic
def appointment_create(
    *,
    actor,
    today: date,
    person_name: str,
    role: str,
    group: str,
    days_per_week: Decimal,
    starts_on: date,
    ends_on: date | None = None,
    email: str = "",
    role_title: str = "",
    job_description: str = "",
    contingency_cover: str = "",
    induction_status: str = "not_needed",
) -> Appointment:
    _editor(actor)
    _refuse(workflow.term_refusal(starts_on, ends_on))
    if not Decimal(0) < days_per_week <= Decimal(5):
        raise GovernanceError("Days a week must be more than 0 and at most 5.")
    appointment = Appointment(
        person_name=person_name.strip(),
        role=role,
        group=group,
        days_per_week=days_per_week,
        starts_on=starts_on,
        ends_on=ends_on,
        email=email,
        role_title=role_title,
        job_description=job_description,
        contingency_cover=contingency_cover,
        induction_status=induction_status,
    )
    appointment.full_clean()
    appointment.save()
    audit.record(
        actor,
        appointment,
        "governance.appointment.created",
        data={"role": role, "days_per_week": str(days_per_week), "from": str(starts_on)},
    )
    return appointment


@transaction.atomic
def appointment_end(*, appointment_id: int, actor, today: date, ends_on: date) -> Appointment:
    """Someone leaves an MHLM role: ``ends_on`` is their last day in it."""
    _editor(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
    _refuse(workflow.ending_refusal(appointment.starts_on, appointment.ends_on, ends_on))
    appointment.ends_on = ends_on
    appointment.save(update_fields=["ends_on", "updated_at"])
    audit.record(actor, appointment, "governance.appointment.ended", data={"on": str(ends_on)})
    return appointment


# -- LLME and their SLAs --------------------------------------------------------------------------


def _overlap(leader_id: int, starts_on: date, ends_on: date) -> ServiceLevelAgreement | None:
    return (
        ServiceLevelAgreement.objects.filter(
            leader_id=leader_id, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=starts_on))
        .first()
    )


@transaction.atomic
def sla_create(
    *,
    leader_id: int,
    actor,
    today: date,
    starts_on: date,
    ends_on: date,
    deliverables: str,
    release_days: Decimal = Decimal(0),
    payment: Decimal = Decimal(0),
    hub_signed_on: date | None = None,
    leader_signed_on: date | None = None,
) -> ServiceLevelAgreement:
    _editor(actor)
    leader = LocalLeader.objects.select_for_update().get(pk=leader_id)
    _refuse(workflow.term_refusal(starts_on, ends_on))
    if not deliverables.strip():
        raise GovernanceError("Enter what the local leader will deliver.")
    for signed in (hub_signed_on, leader_signed_on):
        if signed is not None and signed > today:
            raise GovernanceError("A signature date must be today or in the past.")
    clash = _overlap(leader.pk, starts_on, ends_on)
    if clash is not None:
        raise GovernanceError(
            f"{leader.name} already has an SLA from {format_date(clash.starts_on)} to "
            f"{format_date(clash.ends_on)}: end it or renew it instead."
        )
    sla = ServiceLevelAgreement(
        leader=leader,
        starts_on=starts_on,
        ends_on=ends_on,
        deliverables=deliverables.strip(),
        release_days=release_days,
        payment=payment,
        hub_signed_on=hub_signed_on,
        leader_signed_on=leader_signed_on,
    )
    sla.full_clean()
    sla.save()
    audit.record(
        actor,
        sla,
        "governance.sla.created",
        data={"from": str(starts_on), "to": str(ends_on), "payment": str(payment)},
    )
    return sla


@transaction.atomic
def sla_renew(
    *,
    sla_id: int,
    actor,
    today: date,
    ends_on: date,
    deliverables: str,
    release_days: Decimal,
    payment: Decimal,
) -> ServiceLevelAgreement:
    """The next SLA with the same local leader, from the day after this one ends."""
    _editor(actor)
    current = ServiceLevelAgreement.objects.select_for_update().get(pk=sla_id)
    if current.terminated_on is not None:
        raise GovernanceError("This SLA was ended early: agree a new one instead.")
    sla = sla_create(
        leader_id=current.leader_id,
        actor=actor,
        today=today,
        starts_on=current.ends_on + timedelta(days=1),
        ends_on=ends_on,
        deliverables=deliverables,
        release_days=release_days,
        payment=payment,
    )
    audit.record(actor, current, "governance.sla.renewed", data={"next": sla.pk})
    return sla


@transaction.atomic
def sla_end(*, sla_id: int, actor, today: date, ends_on: date) -> ServiceLevelAgreement:
    """End an SLA early: from ``ends_on`` it is no longer in force."""
    _editor(actor)
    sla = ServiceLevelAgreement.objects.select_for_update().get(pk=sla_id)
    if sla.terminated_on is not None:
        raise GovernanceError(f"This SLA was already ended on {format_date(sla.terminated_on)}.")
    _refuse(workflow.ending_refusal(sla.starts_on, sla.ends_on, ends_on))
    sla.terminated_on = ends_on
    sla.save(update_fields=["terminated_on", "updated_at"])
    audit.record(actor, sla, "governance.sla.ended", data={"on": str(ends_on)})
    return sla


# -- the annual plan -----------------------------------------------------------------------------


@transaction.atomic
def plan_version_record(
    *,
    academic_year_id: int,
    actor,
    today: date,
    review_point: str,
    agreed_on: date,
    summary: str,
) -> AnnualPlanVersion:
    """The annual plan (its priorities and objectives, in ``summary``) as agreed at a review
    point, on the day it was agreed."""
    _editor(actor)
    if agreed_on > today:
        raise GovernanceError("The date the plan was agreed must be today or in the past.")
    if not summary.strip():
        raise GovernanceError("Enter the plan's priorities and objectives.")
    plan, _ = AnnualPlan.objects.get_or_create(academic_year_id=academic_year_id)
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.versions.filter(review_point=review_point).exists():
        raise GovernanceError("This review point is already recorded for the year.")
    version = AnnualPlanVersion(
        plan=plan, review_point=review_point, agreed_on=agreed_on, summary=summary.strip()
    )
    version.full_clean()
    version.save()
    audit.record(
        actor,
        version,
        "governance.annualplanversion.recorded",
        data={"review_point": review_point, "agreed_on": str(agreed_on)},
    )
    return version


# -- budget lines and spend ----------------------------------------------------------------------


@transaction.atomic
def budget_line_create(
    *,
    grant_id: int,
    actor,
    today: date,
    kind: str,
    title: str,
    budget: Decimal,
    forecasts: Sequence[Decimal],
) -> BudgetLine:
    """A budget line with its forecast for each of the four quarters."""
    _editor(actor)
    grant = GrantYear.objects.select_for_update().get(pk=grant_id)
    if len(forecasts) != 4:
        raise GovernanceError("Enter a forecast for each of the four quarters.")
    line = BudgetLine(grant=grant, kind=kind, title=title.strip(), budget=budget)
    line.full_clean()
    line.save()
    QuarterFigure.objects.bulk_create(
        QuarterFigure(line=line, quarter=q, forecast=forecast)
        for q, forecast in enumerate(forecasts, start=1)
    )
    audit.record(actor, line, "governance.budgetline.created", data={"budget": str(budget)})
    return line


@transaction.atomic
def spend_record(*, line_id: int, actor, today: date, month: date, actual: Decimal) -> MonthlySpend:
    """The actual spend on a line in a month that has ended (recording it again corrects it);
    the quarter's actual becomes the sum of its months."""
    _editor(actor)
    line = (
        BudgetLine.objects.select_for_update()
        .select_related("grant__academic_year")
        .get(pk=line_id)
    )
    year = line.grant.academic_year
    month = month.replace(day=1)
    _refuse(
        workflow.month_refusal(
            month, year_starts_on=year.starts_on, year_ends_on=year.ends_on, today=today
        )
    )
    if actual < 0:
        raise GovernanceError("Actual spend cannot be less than £0.")
    row, created = MonthlySpend.objects.select_for_update().get_or_create(
        line=line, month=month, defaults={"actual": actual}
    )
    before = None if created else row.actual
    if not created:
        row.actual = actual
        row.save(update_fields=["actual", "updated_at"])
    quarter = rules.quarter_of(month, year.starts_on)
    months = rules.months_of(year.starts_on, year.ends_on)
    in_quarter = [m for m in months if rules.quarter_of(m, year.starts_on) == quarter]
    total = MonthlySpend.objects.filter(line=line, month__in=in_quarter).aggregate(t=Sum("actual"))
    figure, _ = QuarterFigure.objects.select_for_update().get_or_create(
        line=line, quarter=quarter, defaults={"forecast": Decimal(0)}
    )
    figure.actual = total["t"]
    figure.save(update_fields=["actual"])
    audit.record(
        actor,
        row,
        "governance.monthlyspend.recorded",
        data={"month": month.isoformat(), "actual": str(actual), "before": str(before or "")},
    )
    return row
