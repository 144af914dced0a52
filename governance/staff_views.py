"""Staff governance pages: compliance on a date, meetings and their workflow, the Grant Offer
Letter checklist. Thin: services write, selectors read."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hubops.models import AcademicYear
from hubops.roles import Role, has_role
from hubops.selectors import academic_year_for
from workgroups.models import GroupPhase

from . import mailings, selectors, services
from .forms import (
    AgendaForm,
    AttendanceForm,
    ChecklistEntryForm,
    DateForm,
    MailingForm,
    NotesForm,
    ScheduleForm,
)
from .models import BoardMeeting, BoardMember, MeetingStatus
from .objectives import BY_CODE

GOVERNANCE_ROLES = (Role.HUB_STAFF, Role.MHL, Role.SLL, Role.BOARD_CHAIR)
EDIT_ROLES = (Role.HUB_STAFF, Role.MHL, Role.SLL)


def governance_role_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied("You do not have a governance role.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _year_from(request, today):
    year_id = request.GET.get("year")
    if year_id and year_id.isdigit():
        year = AcademicYear.objects.filter(pk=int(year_id)).first()
        if year:
            return year
    return academic_year_for(today) or AcademicYear.objects.order_by("-starts_on").first()


@governance_role_required(*GOVERNANCE_ROLES)
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


@governance_role_required(*GOVERNANCE_ROLES)
def checklist(request):
    today = timezone.localdate()
    year = _year_from(request, today)
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


@governance_role_required(*EDIT_ROLES)
def checklist_edit(request, year_id: int, code: str):
    year = get_object_or_404(AcademicYear, pk=year_id)
    objective = BY_CODE.get(code)
    if objective is None or objective.computed:
        raise Http404("No such staff-assessed objective.")
    from .models import ChecklistEntry

    entry = ChecklistEntry.objects.filter(academic_year=year, objective=code).first()
    initial = {"status": entry.status, "evidence": entry.evidence} if entry else {}
    form = ChecklistEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_entry_save(
                academic_year=year, objective=code, actor=request.user, **form.cleaned_data
            )
        except services.GovernanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Checklist updated.")
            return redirect(f"{_checklist_url()}?year={year.pk}#{code}")
    return render(
        request,
        "governance/checklist_edit.html",
        {"page_title": "Update objective", "form": form, "objective": objective, "year": year},
    )


def _checklist_url():
    from django.urls import reverse

    return reverse("governance_staff:checklist")


@governance_role_required(*GOVERNANCE_ROLES)
def meeting_list(request):
    today = timezone.localdate()
    year = _year_from(request, today)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, *EDIT_ROLES):
            raise PermissionDenied
        if year is None:
            form.add_error(None, "Add the academic year in the admin first.")
        elif form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    academic_year=year, actor=request.user, **form.cleaned_data
                )
            except services.GovernanceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Meeting scheduled.")
                return redirect("governance_staff:meeting_detail", pk=meeting.pk)
    meetings = selectors.meeting_list(year) if year else []
    return render(
        request,
        "governance/meeting_list.html",
        {
            "page_title": "Strategic Board meetings",
            "meetings": meetings,
            "year": year,
            "form": form,
            "can_edit": has_role(request.user, *EDIT_ROLES),
        },
        status=400 if form.errors else 200,
    )


def _meeting_context(request, meeting, **forms):
    members = [m for m in BoardMember.objects.all() if m.serving_on(meeting.held_on)]
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    user = request.user
    return {
        "page_title": str(meeting),
        "meeting": meeting,
        "members": members,
        "attendance_rows": [
            (
                m,
                "not recorded"
                if m.pk not in attendance
                else "present"
                if attendance[m.pk].present
                else "apologies"
                if attendance[m.pk].apologies
                else "absent",
            )
            for m in members
        ],
        "actions": meeting.actions.all(),
        "papers": meeting.papers.all(),
        "agenda_form": forms.get("agenda_form") or AgendaForm(initial={"agenda": meeting.agenda}),
        "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": meeting.notes}),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(
            members=members,
            initial={
                "present": [str(k) for k, a in attendance.items() if a.present],
                "apologies": [str(k) for k, a in attendance.items() if a.apologies],
            },
        ),
        "is_sll": has_role(user, Role.SLL),
        "is_chair": has_role(user, Role.BOARD_CHAIR),
        "can_edit": has_role(user, *EDIT_ROLES),
        "error": forms.get("error"),
        "S": MeetingStatus,
    }


@governance_role_required(*GOVERNANCE_ROLES)
def meeting_detail(request, pk: int):
    try:
        meeting = selectors.meeting_get(pk)
    except BoardMeeting.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "governance/meeting_detail.html", _meeting_context(request, meeting))


@require_POST
@governance_role_required(*GOVERNANCE_ROLES)
def meeting_action(request, pk: int, action: str):
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    now = timezone.now()
    forms: dict = {}
    try:
        if action == "draft-agenda":
            form = forms["agenda_form"] = AgendaForm(request.POST)
            if form.is_valid():
                services.meeting_draft_agenda(
                    meeting_id=pk, actor=request.user, agenda=form.cleaned_data["agenda"], now=now
                )
                done = "Agenda drafted. The Chair can now agree it."
        elif action == "papers-circulated":
            services.meeting_mark_papers_circulated(
                meeting_id=pk, actor=request.user, today=timezone.localdate()
            )
            done = "Papers recorded as circulated."
        elif action == "agree-agenda":
            services.meeting_agree_agenda(meeting_id=pk, actor=request.user, now=now)
            done = "Agenda agreed."
        elif action == "attendance":
            members = [m for m in BoardMember.objects.all() if m.serving_on(meeting.held_on)]
            form = forms["attendance_form"] = AttendanceForm(request.POST, members=members)
            if form.is_valid():
                services.meeting_record_attendance(
                    meeting_id=pk,
                    actor=request.user,
                    present_ids={int(x) for x in form.cleaned_data["present"]},
                    apologies_ids={int(x) for x in form.cleaned_data["apologies"]},
                )
                done = "Attendance recorded."
        elif action == "draft-notes":
            form = forms["notes_form"] = NotesForm(request.POST)
            if form.is_valid():
                services.meeting_draft_notes(
                    meeting_id=pk, actor=request.user, notes=form.cleaned_data["notes"], now=now
                )
                done = "Notes drafted. The Chair and the SLL can now agree them."
        elif action == "agree-notes":
            services.meeting_agree_notes(meeting_id=pk, actor=request.user, now=now)
            done = "You agreed the notes."
        else:
            raise Http404("No such action.")
    except services.GovernanceError as error:
        forms["error"] = str(error)
    if forms.get("error") or any(f.errors for k, f in forms.items() if k.endswith("_form")):
        meeting = selectors.meeting_get(pk)
        return render(
            request,
            "governance/meeting_detail.html",
            _meeting_context(request, meeting, **forms),
            status=400,
        )
    messages.success(request, done)
    return redirect("governance_staff:meeting_detail", pk=pk)


@governance_role_required(*GOVERNANCE_ROLES)
def meeting_notes_pdf(request, pk: int):
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    if not meeting.notes_pdf:
        raise Http404("The notes are not locked yet.")
    return FileResponse(
        meeting.notes_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"board-notes-{meeting.held_on}.pdf",
    )


@governance_role_required(*GOVERNANCE_ROLES)
def llme(request):
    today = timezone.localdate()
    return render(
        request,
        "governance/llme_list.html",
        {"page_title": "Local leaders (LLME)", "rows": selectors.local_leader_list(today)},
    )


@governance_role_required(*EDIT_ROLES)
def finance(request):
    today = timezone.localdate()
    year = _year_from(request, today)
    return render(
        request,
        "governance/finance.html",
        {
            "page_title": "Grant and spending",
            "year": year,
            "years": AcademicYear.objects.order_by("-starts_on"),
            "summary": (summary := selectors.finance_summary(year) if year else None),
            "charts": selectors.finance_charts(summary),
        },
    )


@governance_role_required(*EDIT_ROLES)
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
