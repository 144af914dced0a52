"""Staff governance pages: compliance on a date, meetings and their workflow, the Grant Offer
Letter checklist, LLME and finance. Thin: services write, selectors read; the buttons come from
``governance.workflow.available``. Board members, the team, SLAs, the plan and spend:
``record_views.py``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hubops.models import AcademicYear
from hubops.roles import has_role
from hubops.selectors import academic_year_for
from hubops.staff import get_for_user_or_404, post_action, role_required
from workgroups.models import GroupPhase

from . import mailings, selectors, services, workflow
from .access import EDIT_ROLES, GOVERNANCE_ROLES, actor_roles, moves_for
from .forms import (
    AgendaForm,
    AgreeNotesForm,
    AttendanceForm,
    CancelForm,
    ChecklistEntryForm,
    DateForm,
    MailingForm,
    NotesForm,
    ScheduleForm,
)
from .models import ChecklistEntry
from .objectives import BY_CODE

governance_staff = role_required(
    *GOVERNANCE_ROLES, message="These pages are for hub staff, the MHL, the SLL and the Chair."
)
governance_editor = role_required(
    *EDIT_ROLES, message="Only hub staff, the MHL and the SLL can change governance records."
)
NO_MEETING = "No board meeting has this number."


def year_from(request, today):
    year_id = request.GET.get("year")
    if year_id and year_id.isdigit():
        year = AcademicYear.objects.filter(pk=int(year_id)).first()
        if year:
            return year
    return academic_year_for(today) or AcademicYear.objects.order_by("-starts_on").first()


@governance_staff
def compliance(request):
    today = timezone.localdate()
    asked = any(key == "on" or key.startswith("on_") for key in request.GET)
    form = DateForm(request.GET if asked else None, initial={"on": today})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else today
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {
        "page_title": "Governance compliance",
        "form": form,
        "on": on,
        "team": selectors.team_compliance_on(on),
        "board": selectors.board_makeup_on(on),
    }
    context["capacity_chart"] = selectors.capacity_chart(context["team"])
    return render(request, "governance/compliance.html", context, status=status)


@governance_staff
def checklist(request):
    today = timezone.localdate()
    year = year_from(request, today)
    rows = selectors.checklist(year, today) if year else []
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("met", "at_risk", "missing")}
    return render(
        request,
        "governance/checklist.html",
        {
            "page_title": "Grant Offer Letter checklist",
            "year": year,
            "years": AcademicYear.objects.order_by("-starts_on"),
            "rows": rows,
            "counts": counts,
            "can_edit": has_role(request.user, *EDIT_ROLES),
        },
    )


@governance_editor
def checklist_edit(request, year_id: int, code: str):
    year = get_object_or_404(AcademicYear, pk=year_id)
    objective = BY_CODE.get(code)
    if objective is None or objective.computed:
        raise Http404("No such staff-assessed objective.")

    def page(form, error=""):
        return render(
            request,
            "governance/checklist_edit.html",
            {
                "page_title": "Update objective",
                "form": form,
                "objective": objective,
                "year": year,
                "error": error,
            },
        )

    if request.method != "POST":
        entry = ChecklistEntry.objects.filter(academic_year=year, objective=code).first()
        initial = {"status": entry.status, "evidence": entry.evidence} if entry else {}
        return page(ChecklistEntryForm(initial=initial))
    return post_action(
        request,
        form=ChecklistEntryForm(request.POST),
        run=lambda d: services.checklist_entry_save(
            academic_year_id=year.pk,
            objective=code,
            actor=request.user,
            today=timezone.localdate(),
            **d,
        ),
        success="Checklist updated.",
        redirect_to=f"{reverse('governance_staff:checklist')}?year={year.pk}#{code}",
        rerender=page,
    )


@governance_staff
def meeting_list(request):
    today = timezone.localdate()
    year = year_from(request, today)
    can_edit = has_role(request.user, *EDIT_ROLES)

    def page(form, error=""):
        return render(
            request,
            "governance/meeting_list.html",
            {
                "page_title": "Strategic Board meetings",
                "meetings": selectors.meeting_list(year) if year else [],
                "year": year,
                "form": form,
                "error": error,
                "can_edit": can_edit,
            },
        )

    if request.method != "POST":
        return page(ScheduleForm())
    if not can_edit:
        raise PermissionDenied("Only hub staff, the MHL and the SLL can schedule meetings.")
    if year is None:
        response = page(ScheduleForm(request.POST), "Add the academic year in the admin first.")
        response.status_code = 400
        return response
    return post_action(
        request,
        form=ScheduleForm(request.POST),
        run=lambda d: services.meeting_schedule(
            academic_year_id=year.pk, actor=request.user, today=today, **d
        ),
        success="Meeting scheduled.",
        redirect_to=lambda meeting: reverse("governance_staff:meeting_detail", args=[meeting.pk]),
        rerender=page,
    )


def _attendance_state(attendance, member) -> str:
    record = attendance.get(member.pk)
    if record is None:
        return "not recorded"
    return "present" if record.present else "apologies" if record.apologies else "absent"


def _meeting_context(request, meeting, **forms):
    today = timezone.localdate()
    members = services.serving_members(meeting)
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    roles = actor_roles(request.user)
    moves = {m.name: m for m in moves_for(request.user, meeting, today)}
    error = forms.get("error", "")
    return {
        "page_title": str(meeting),
        "meeting": meeting,
        "members": members,
        "moves": moves,
        "attendance_from": meeting.held_on
        if meeting.status in workflow.MEETING.get("record_attendance").sources
        and meeting.held_on > today
        and workflow.OFFICE in (roles or {workflow.OFFICE})
        else None,
        "attendance_rows": [(m, _attendance_state(attendance, m)) for m in members],
        "actions": meeting.actions.all(),
        "papers": meeting.papers.all(),
        "agenda_form": forms.get("agenda_form") or AgendaForm(initial={"agenda": meeting.agenda}),
        "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": meeting.notes}),
        "agree_form": forms.get("agree_form") or AgreeNotesForm(),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(
            members=members,
            initial={
                "present": [str(k) for k, a in attendance.items() if a.present],
                "apologies": [str(k) for k, a in attendance.items() if a.apologies],
            },
        ),
        "can_edit": has_role(request.user, *EDIT_ROLES),
        "papers_open": workflow.papers_open(meeting.status),
        "error": error,
    }


def _meeting_for(request, pk):
    return get_for_user_or_404(selectors.meeting_get_for_user, request.user, pk, NO_MEETING)


@governance_staff
def meeting_detail(request, pk: int):
    meeting = _meeting_for(request, pk)
    return render(request, "governance/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_service(request, pk: int, action: str):
    """(form key, form, service call, message) for one of the meeting page's forms."""
    user, today, post = request.user, timezone.localdate(), request.POST
    if action == "draft-agenda":
        return (
            "agenda_form",
            AgendaForm(post),
            lambda d: services.meeting_draft_agenda(
                meeting_id=pk, actor=user, today=today, agenda=d["agenda"]
            ),
            "Agenda drafted. The Chair can now agree it.",
        )
    if action == "papers-circulated":
        return (
            "papers_form",
            None,
            lambda d: services.meeting_mark_papers_circulated(
                meeting_id=pk, actor=user, today=today
            ),
            "Papers recorded as circulated.",
        )
    if action == "agree-agenda":
        return (
            "agree_agenda_form",
            None,
            lambda d: services.meeting_agree_agenda(meeting_id=pk, actor=user, today=today),
            "Agenda agreed.",
        )
    if action == "attendance":
        members = services.serving_members(_meeting_for(request, pk))
        return (
            "attendance_form",
            AttendanceForm(post, members=members),
            lambda d: services.meeting_record_attendance(
                meeting_id=pk,
                actor=user,
                today=today,
                present_ids={int(x) for x in d["present"]},
                apologies_ids={int(x) for x in d["apologies"]},
            ),
            "Attendance recorded.",
        )
    if action == "draft-notes":
        return (
            "notes_form",
            NotesForm(post),
            lambda d: services.meeting_draft_notes(
                meeting_id=pk, actor=user, today=today, notes=d["notes"]
            ),
            "Notes drafted. The Chair and the SLL can now agree them.",
        )
    if action == "agree-notes":
        return (
            "agree_form",
            AgreeNotesForm(post),
            lambda d: services.meeting_agree_notes(
                meeting_id=pk, actor=user, today=today, agreed_on=d["agreed_on"]
            ),
            "You agreed the notes.",
        )
    raise Http404("No such action.")


@require_POST
@governance_staff
def meeting_action(request, pk: int, action: str):
    meeting = _meeting_for(request, pk)
    key, form, run, done = _meeting_service(request, meeting.pk, action)
    return post_action(
        request,
        form=form,
        run=run,
        success=done,
        redirect_to=reverse("governance_staff:meeting_detail", args=[meeting.pk]),
        form_key=key,
        rerender=lambda **forms: render(
            request,
            "governance/meeting_detail.html",
            _meeting_context(request, selectors.meeting_get(meeting.pk), **forms),
        ),
    )


@governance_editor
def meeting_cancel(request, pk: int):
    """Cancelling is destructive: a page asks for the reason and to confirm."""
    meeting = _meeting_for(request, pk)

    def page(form, error=""):
        return render(
            request,
            "governance/meeting_cancel.html",
            {
                "page_title": "Cancel this meeting",
                "meeting": meeting,
                "form": form,
                "error": error,
            },
        )

    if request.method != "POST":
        return page(CancelForm())
    return post_action(
        request,
        form=CancelForm(request.POST),
        run=lambda d: services.meeting_cancel(
            meeting_id=meeting.pk,
            actor=request.user,
            today=timezone.localdate(),
            reason=d["reason"],
        ),
        success="Meeting cancelled.",
        redirect_to=reverse("governance_staff:meeting_detail", args=[meeting.pk]),
        rerender=page,
    )


@governance_staff
def meeting_notes_pdf(request, pk: int):
    meeting = _meeting_for(request, pk)
    if not meeting.notes_pdf:
        raise Http404("The notes are not locked yet.")
    return FileResponse(
        meeting.notes_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"board-notes-{meeting.held_on}.pdf",
    )


@governance_staff
def llme(request):
    today = timezone.localdate()
    return render(
        request,
        "governance/llme_list.html",
        {
            "page_title": "Local leaders (LLME)",
            "rows": selectors.local_leader_list(today),
            "can_edit": has_role(request.user, *EDIT_ROLES),
        },
    )


@governance_editor
def finance(request):
    today = timezone.localdate()
    year = year_from(request, today)
    summary = selectors.finance_summary(year) if year else None
    return render(
        request,
        "governance/finance.html",
        {
            "page_title": "Grant and spending",
            "year": year,
            "years": AcademicYear.objects.order_by("-starts_on"),
            "summary": summary,
            "charts": selectors.finance_charts(summary),
        },
    )


@governance_editor
def mailing_new(request):
    """Compose a CPD mailing, check it with the count of recipients, then send it."""
    form = MailingForm(
        request.POST if request.method == "POST" else None, phases=GroupPhase.choices
    )
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        data = form.cleaned_data
        if "send" in request.POST:
            sent = mailings.mailing_send(
                subject=data["subject"],
                message=data["message"],
                phase=data["phase"],
                actor=request.user,
            )
            messages.success(request, f"CPD mailing queued for {sent} people.")
            return redirect("governance_staff:mailing_new")
        recipients = mailings.mailing_recipients(phase=data["phase"])
        return render(
            request,
            "governance/mailing_check.html",
            {
                "page_title": "Check the CPD mailing before sending it",
                "form": form,
                "data": data,
                "phase_label": dict(form.fields["phase"].choices)[data["phase"]],
                "count": len(recipients),
            },
        )
    return render(
        request,
        "governance/mailing_form.html",
        {"page_title": "Send a CPD mailing", "form": form},
        status=400 if form.errors else 200,
    )
