"""Staff pages for the records governance keeps besides meetings: board members and their
terms, the MHLM team, LLME SLAs, the annual plan, budget lines and monthly spend. Each change
goes through a service in ``records.py`` (with its audit event); dates are asked with the
GOV.UK date input; ending a term, an appointment or an SLA asks to confirm first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from hubops.formats import format_date
from hubops.roles import has_role
from hubops.staff import get_for_user_or_404, post_action

from . import records, selectors
from .access import EDIT_ROLES
from .forms import (
    AppointmentForm,
    BudgetLineForm,
    MemberForm,
    PlanVersionForm,
    SLAForm,
    SLARenewForm,
    SpendForm,
    TermEndForm,
)
from .staff_views import governance_editor, governance_staff, year_from

FORM_TEMPLATE = "governance/record_form.html"


def _url(name: str, *args: Any) -> str:
    return reverse(f"governance_staff:{name}", args=args)


def form_page(
    request,
    *,
    title: str,
    form_class: type,
    run: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    back: str,
    button: str,
    initial: dict | None = None,
    form_kwargs: dict | None = None,
    lead: str = "",
    warning: str = "",
    summary: list[tuple[str, str]] | None = None,
):
    """One form on a page: show it, or post it to ``run`` and go back with a message; refused,
    it comes back with what was typed (status 400). A ``warning`` makes it a confirmation."""
    kwargs = form_kwargs or {}

    def page(form, error=""):
        return render(
            request,
            FORM_TEMPLATE,
            {
                "page_title": title,
                "form": form,
                "error": error,
                "back": back,
                "button": button,
                "lead": lead,
                "warning": warning,
                "summary": summary or [],
            },
        )

    if request.method != "POST":
        return page(form_class(initial=initial, **kwargs))
    return post_action(
        request,
        form=form_class(request.POST, **kwargs),
        run=run,
        success=success,
        redirect_to=back,
        rerender=page,
    )


def _today():
    return timezone.localdate()


# -- the Strategic Board's members ---------------------------------------------------------------


@governance_staff
def members(request):
    today = _today()
    rows = list(selectors.board_member_list())
    return render(
        request,
        "governance/members.html",
        {
            "page_title": "Strategic Board members and terms",
            "current": [m for m in rows if m.serving_on(today)],
            "other": [m for m in rows if not m.serving_on(today)],
            "can_edit": has_role(request.user, *EDIT_ROLES),
        },
    )


@governance_editor
def member_new(request):
    return form_page(
        request,
        title="Appoint a board member",
        form_class=MemberForm,
        run=lambda d: records.board_member_appoint(actor=request.user, today=_today(), **d),
        success=lambda m: f"{m.name} appointed to the board.",
        back=_url("members"),
        button="Appoint",
    )


def _member(request, pk):
    return get_for_user_or_404(
        selectors.board_member_get_for_user, request.user, pk, "No board member has this number."
    )


def _term_summary(starts_on, ends_on) -> list[tuple[str, str]]:
    return [
        ("Term started", format_date(starts_on)),
        ("Term ends", format_date(ends_on) if ends_on else "No fixed end"),
    ]


@governance_editor
def member_extend(request, pk: int):
    member = _member(request, pk)
    return form_page(
        request,
        title=f"Extend {member.name}'s term",
        form_class=TermEndForm,
        run=lambda d: records.board_member_extend(
            member_id=member.pk, actor=request.user, today=_today(), term_ends_on=d["ends_on"]
        ),
        success=lambda m: f"{m.name}'s term now ends on {format_date(m.term_ends_on)}.",
        back=_url("members"),
        button="Extend the term",
        summary=_term_summary(member.term_starts_on, member.term_ends_on),
    )


@governance_editor
def member_end(request, pk: int):
    member = _member(request, pk)
    return form_page(
        request,
        title=f"Are you sure you want to end {member.name}'s term?",
        form_class=TermEndForm,
        run=lambda d: records.board_member_end(
            member_id=member.pk, actor=request.user, today=_today(), ends_on=d["ends_on"]
        ),
        success=lambda m: f"{m.name}'s term ends on {format_date(m.term_ends_on)}.",
        back=_url("members"),
        button="Yes, end the term",
        warning="They stop counting towards the board's make-up and quorum after this date.",
        summary=_term_summary(member.term_starts_on, member.term_ends_on),
    )


# -- the MHLM team ---------------------------------------------------------------------------------


@governance_staff
def team(request):
    today = _today()
    rows = list(selectors.appointment_list())
    return render(
        request,
        "governance/team.html",
        {
            "page_title": "MHLM team appointments",
            "current": [a for a in rows if a.fact().active_on(today)],
            "other": [a for a in rows if not a.fact().active_on(today)],
            "can_edit": has_role(request.user, *EDIT_ROLES),
        },
    )


@governance_editor
def appointment_new(request):
    return form_page(
        request,
        title="Appoint someone to the MHLM team",
        form_class=AppointmentForm,
        run=lambda d: records.appointment_create(actor=request.user, today=_today(), **d),
        success=lambda a: f"{a.person_name} appointed as {a.role_label}.",
        back=_url("team"),
        button="Appoint",
    )


@governance_editor
def appointment_end(request, pk: int):
    appointment = get_for_user_or_404(
        selectors.appointment_get_for_user, request.user, pk, "No appointment has this number."
    )
    return form_page(
        request,
        title=f"Are you sure {appointment.person_name} is leaving the role?",
        form_class=TermEndForm,
        run=lambda d: records.appointment_end(
            appointment_id=appointment.pk,
            actor=request.user,
            today=_today(),
            ends_on=d["ends_on"],
        ),
        success=lambda a: f"{a.person_name} leaves on {format_date(a.ends_on)}.",
        back=_url("team"),
        button="Yes, end the appointment",
        warning="Their days a week stop counting towards the team's capacity after this date.",
        lead=f"{appointment.role_label}, {appointment.days_per_week:g} days a week.",
        summary=_term_summary(appointment.starts_on, appointment.ends_on),
    )


# -- LLME SLAs -------------------------------------------------------------------------------------


@governance_editor
def sla_new(request, pk: int):
    leader = get_for_user_or_404(
        selectors.leader_get_for_user, request.user, pk, "No local leader has this number."
    )
    return form_page(
        request,
        title=f"New service level agreement with {leader.name}",
        form_class=SLAForm,
        run=lambda d: records.sla_create(
            leader_id=leader.pk, actor=request.user, today=_today(), **d
        ),
        success="Service level agreement recorded.",
        back=_url("llme"),
        button="Save the SLA",
    )


def _sla(request, pk):
    return get_for_user_or_404(
        selectors.sla_get_for_user, request.user, pk, "No service level agreement has this number."
    )


@governance_editor
def sla_renew(request, pk: int):
    sla = _sla(request, pk)
    return form_page(
        request,
        title=f"Renew the SLA with {sla.leader.name}",
        form_class=SLARenewForm,
        initial={
            "deliverables": sla.deliverables,
            "release_days": sla.release_days,
            "payment": sla.payment,
        },
        run=lambda d: records.sla_renew(sla_id=sla.pk, actor=request.user, today=_today(), **d),
        success=lambda new: f"SLA renewed from {format_date(new.starts_on)}.",
        back=_url("llme"),
        button="Renew the SLA",
        lead="The new agreement starts the day after this one ends. Both sides sign it again.",
        summary=_term_summary(sla.starts_on, sla.ends_on),
    )


@governance_editor
def sla_end(request, pk: int):
    sla = _sla(request, pk)
    return form_page(
        request,
        title=f"Are you sure you want to end the SLA with {sla.leader.name} early?",
        form_class=TermEndForm,
        run=lambda d: records.sla_end(
            sla_id=sla.pk, actor=request.user, today=_today(), ends_on=d["ends_on"]
        ),
        success=lambda s: f"The SLA ends on {format_date(s.terminated_on)}.",
        back=_url("llme"),
        button="Yes, end the SLA",
        warning="From this date the agreement is no longer in force.",
        summary=_term_summary(sla.starts_on, sla.ends_on),
    )


# -- the annual plan -------------------------------------------------------------------------------


@governance_staff
def plan(request):
    year = year_from(request, _today())
    if year is None:
        raise Http404("No academic year is recorded.")
    can_edit = has_role(request.user, *EDIT_ROLES)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only hub staff, the MHL and the SLL can record the plan.")
    versions = selectors.plan_versions(year)

    def page(form, error=""):
        return render(
            request,
            "governance/plan.html",
            {
                "page_title": f"Annual plan {year}",
                "year": year,
                "versions": versions,
                "form": form,
                "error": error,
                "can_edit": can_edit,
            },
        )

    if request.method != "POST":
        return page(PlanVersionForm())
    return post_action(
        request,
        form=PlanVersionForm(request.POST),
        run=lambda d: records.plan_version_record(
            academic_year_id=year.pk, actor=request.user, today=_today(), **d
        ),
        success=lambda v: f"{v.get_review_point_display()} recorded.",
        redirect_to=f"{_url('plan')}?year={year.pk}",
        rerender=page,
    )


# -- budget lines and spend ------------------------------------------------------------------------


def _grant(request):
    year = year_from(request, _today())
    grant = selectors.grant_for(year) if year else None
    if grant is None:
        raise Http404("No grant is recorded for this year: add it in the admin first.")
    return grant


@governance_editor
def budget_line_new(request):
    grant = _grant(request)
    back = f"{_url('finance')}?year={grant.academic_year_id}"
    return form_page(
        request,
        title=f"Add a budget line for {grant.academic_year}",
        form_class=BudgetLineForm,
        run=lambda d: records.budget_line_create(
            grant_id=grant.pk,
            actor=request.user,
            today=_today(),
            kind=d["kind"],
            title=d["title"],
            budget=d["budget"],
            forecasts=[d["q1"], d["q2"], d["q3"], d["q4"]],
        ),
        success=lambda line: f"Budget line '{line.title}' added.",
        back=back,
        button="Add the budget line",
    )


@governance_editor
def spend_new(request):
    grant = _grant(request)
    today = _today()
    year = grant.academic_year
    back = f"{_url('finance')}?year={year.pk}"
    return form_page(
        request,
        title=f"Record actual spend for a month of {year}",
        form_class=SpendForm,
        form_kwargs={"lines": grant.lines.all(), "months": selectors.months_ended(year, today)},
        run=lambda d: records.spend_record(
            line_id=d["line"], actor=request.user, today=today, month=d["month"], actual=d["actual"]
        ),
        success=lambda row: f"Actual spend for {row.month:%B %Y} recorded.",
        back=back,
        button="Record the spend",
        lead="The quarter's actual is the sum of its months.",
    )
