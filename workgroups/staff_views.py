"""Staff pages for running Work Groups, under /staff/workgroups/. Hub staff and the MHL see
every group; a Work Group Lead sees and edits only their own (any other group is a 404).
Buttons come from the machines in ``workflow.py``; destructive moves ask first."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hubops import exports as safe_exports
from hubops.formats import format_date
from hubops.models import AcademicYear, School
from hubops.selectors import academic_year_for
from hubops.staff import gate, get_for_user_or_404, post_action
from hubops.workflow import DomainError

from . import caching, selectors, services, workflow
from .forms import (
    CancelSessionForm,
    DeclineForm,
    ImportForm,
    LeadReportForm,
    LeadsForm,
    SessionForm,
    StaffInviteForm,
    WorkGroupForm,
)
from .models import (
    OUTCOMES,
    AttendanceStatus,
    LeadReport,
    ParticipationExport,
    Session,
)

STAFF_LIST_TTL = 60

leads_and_staff = gate(
    selectors.can_see_staff_pages, "Only hub staff and Work Group Leads can see this page."
)
staff_only = gate(selectors.is_staff_manager, "Only hub staff can see this page.")


def _group(request, pk: int):
    return get_for_user_or_404(
        selectors.group_get_for_user, request.user, pk, "No Work Group of yours has that number."
    )


def _roles(user) -> set[str]:
    """The machines' actor names for this person: hub staff, or the Lead of the group."""
    return {workflow.STAFF} if selectors.is_staff_manager(user) else {workflow.LEAD}


def _back(group) -> str:
    return f"/staff/workgroups/{group.pk}/"


@leads_and_staff
def group_list(request):
    is_manager = selectors.is_staff_manager(request.user)
    number = request.GET.get("page", "1")

    def build() -> str:
        page = selectors.staff_group_page(request.user, number)
        table = render_to_string(
            "workgroups/staff/_group_table.html",
            {
                "page": page,
                "is_manager": is_manager,
                "places_chart": selectors.places_chart(page.object_list),
            },
        )
        return render_to_string(
            "workgroups/staff/workgroup_list.html",
            {
                "table": mark_safe(table),  # noqa: S308 - our own rendered template
                "is_manager": is_manager,
                "page_title": "Work Groups: staff",
            },
            request=request,
        )

    # Hub staff all see every group, so they share one copy of each page; a Work Group Lead's
    # list is their own groups, so their copy is theirs alone. Shared only with the same header,
    # and never while a message waits to be shown (workgroups.caching).
    who = caching.audience(request)
    if who is None or len(number) > 10:  # an absurd page number is not worth a cache entry
        return HttpResponse(build())
    whose = "all" if is_manager else f"lead-{request.user.pk}"
    key = f"page:{who}:staff-list:{whose}:{number}"
    return HttpResponse(caching.versioned(key, build, STAFF_LIST_TTL))


@leads_and_staff
def group_detail(request, pk: int):
    group = _group(request, pk)
    now = timezone.now()
    roles = _roles(request.user)
    moves = workflow.WORK_GROUP.available(
        group.status, roles=roles, subject=selectors.group_facts(group, now)
    )
    sessions = [
        (
            s,
            {
                m.name
                for m in workflow.SESSION.available(
                    workflow.session_status(s.cancelled), subject=services.session_facts(s, now)
                )
            },
        )
        for s in group.sessions.all()
    ]
    return render(
        request,
        "workgroups/staff/workgroup_detail.html",
        {
            "group": group,
            "registrations": selectors.registrations_of_group(group),
            "sessions": sessions,
            "places_left": selectors.places_left(group),
            "decline_form": DeclineForm(),
            "invite_form": StaffInviteForm(),
            "is_manager": selectors.is_staff_manager(request.user),
            "moves": [m for m in moves if not m.confirm],
            "confirm_moves": [m for m in moves if m.confirm],
            "withdrawable_from": workflow.REGISTRATION.get("withdraw").sources,
            "leads": list(group.leads.all()),
            "page_title": group.title,
        },
    )


@leads_and_staff
@require_POST
def group_status(request, pk: int):
    group = _group(request, pk)
    name = request.POST.get("move", "")
    roles = _roles(request.user)
    try:
        if workflow.WORK_GROUP.get(name).confirm:
            return redirect("workgroups_staff:group_cancel", pk=group.pk)
        if name == "complete":
            n = services.work_group_complete(group_id=group.pk, actor=request.user, roles=roles)
            messages.success(request, f"The group is completed: {n} participants completed.")
        else:
            group = services.work_group_move(
                group_id=group.pk, actor=request.user, move=name, roles=roles
            )
            messages.success(request, f"The group is now {group.get_status_display().lower()}.")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("workgroups_staff:group_detail", pk=group.pk)


@staff_only
def group_cancel(request, pk: int):
    """Are you sure? Cancelling a group is final."""
    group = _group(request, pk)

    def page(**extra):
        return render(
            request,
            "workgroups/staff/confirm.html",
            {
                "group": group,
                "heading": f"Are you sure you want to cancel {group.code}?",
                "body": "The group leaves the catalogue and cannot be published again. "
                "Its registrations and registers are kept.",
                "button": "Yes, cancel the group",
                "back": _back(group),
                "page_title": "Cancel the group",
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=None,
        run=lambda d: services.work_group_move(
            group_id=group.pk, actor=request.user, move="cancel", roles=_roles(request.user)
        ),
        success=f"{group.code} is cancelled.",
        redirect_to=_back(group),
        rerender=page,
    )


def _group_form_page(request, group=None):
    form = WorkGroupForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=group,
    )

    def page(**extra):
        title = f"Change {group.code}" if group else "Create a Work Group"
        return render(
            request,
            "workgroups/staff/group_form.html",
            {
                "group": group,
                "form": form,
                "sections": form.sections(),
                "page_title": title,
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=form,
        run=lambda d: services.work_group_save(
            group_id=group.pk if group else None, actor=request.user, data=form.model_data()
        ),
        success=lambda g: f"{g.code} is saved.",
        redirect_to=lambda g: _back(g),
        rerender=page,
    )


@staff_only
def group_new(request):
    return _group_form_page(request)


@staff_only
def group_edit(request, pk: int):
    return _group_form_page(request, _group(request, pk))


@staff_only
def group_leads(request, pk: int):
    """Who leads the group: holders of the Work Group Lead role."""
    group = _group(request, pk)
    form = LeadsForm(
        request.POST if request.method == "POST" else None,
        initial={"leads": [u.pk for u in group.leads.all()]},
    )

    def page(**extra):
        return render(
            request,
            "workgroups/staff/group_leads.html",
            {
                "group": group,
                "form": form,
                "page_title": "Work Group Lead",
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=form,
        run=lambda d: services.work_group_assign_leads(
            group_id=group.pk, actor=request.user, lead_ids=[u.pk for u in d["leads"]]
        ),
        success="The Work Group Lead is saved.",
        redirect_to=_back(group),
        rerender=page,
    )


@leads_and_staff
@require_POST
def registration_decide(request, pk: int, reg_pk: int):
    group = _group(request, pk)
    reg = get_object_or_404(group.registrations, pk=reg_pk)
    try:
        if request.POST.get("decision") == "approve":
            services.registration_approve(
                registration_id=reg.pk, actor=request.user, today=timezone.localdate()
            )
            messages.success(request, f"{reg.full_name}'s registration is approved.")
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Enter a reason for declining: the teacher will see it.")
                return redirect("workgroups_staff:group_detail", pk=group.pk)
            services.registration_decline(
                registration_id=reg.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
            messages.success(request, f"{reg.full_name}'s registration is declined.")
    except workflow.WorkGroupError as exc:
        messages.error(request, str(exc))
    return redirect("workgroups_staff:group_detail", pk=group.pk)


@staff_only
def registration_withdraw(request, pk: int, reg_pk: int):
    """Are you sure? Withdrawing frees the school's place for the waiting list."""
    group = _group(request, pk)
    reg = get_object_or_404(group.registrations, pk=reg_pk)

    def page(**extra):
        return render(
            request,
            "workgroups/staff/confirm.html",
            {
                "group": group,
                "heading": f"Are you sure you want to withdraw {reg.full_name}?",
                "body": f"{reg.full_name} ({reg.school.name}) will be emailed that their "
                "registration is withdrawn. If their school holds no other place, the place "
                "is offered to the next school on the waiting list.",
                "button": "Yes, withdraw",
                "back": _back(group),
                "page_title": "Withdraw a registration",
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=None,
        run=lambda d: services.registration_withdraw(
            registration_id=reg.pk, actor=request.user, today=timezone.localdate()
        ),
        success=f"{reg.full_name} is withdrawn.",
        redirect_to=_back(group),
        rerender=page,
    )


@leads_and_staff
def session_new(request, pk: int):
    return session_edit(request, pk)


@leads_and_staff
def session_edit(request, pk: int, session_pk: int | None = None):
    group = _group(request, pk)
    session = get_object_or_404(group.sessions, pk=session_pk) if session_pk else None
    initial = {}
    if session:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        initial = {
            "date": start.date(),
            "starts": start.strftime("%H:%M"),
            "ends": end.strftime("%H:%M"),
            "venue": session.venue,
            "online_link": session.online_link,
        }
    form = SessionForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            starts_at, ends_at = form.moments()
            if session and "confirmed" not in request.POST:
                check = _session_check(request, group, session, form, starts_at, ends_at)
                if check is not None:
                    return check
            try:
                services.session_save(
                    group_id=group.pk,
                    actor=request.user,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    venue=form.cleaned_data["venue"],
                    online_link=form.cleaned_data["online_link"],
                    session_id=session.pk if session else None,
                )
            except workflow.WorkGroupError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The session is saved.")
                return redirect("workgroups_staff:group_detail", pk=group.pk)
    title = "Change the session" if session else "Add a session"
    return render(
        request,
        "workgroups/staff/session_form.html",
        {
            "group": group,
            "session": session,
            "form": form,
            "page_title": title,
        },
        status=status,
    )


def _session_check(request, group, session, form, starts_at, ends_at):
    """Check your answers before a change that mails the participants; ``None`` when the
    change mails nobody (no participants, or nothing they would notice)."""
    venue, link = form.cleaned_data["venue"], form.cleaned_data["online_link"]
    before = (session.starts_at, session.ends_at, session.venue, session.online_link)
    people = services.participant_count(group)
    if not people or before == (starts_at, ends_at, venue, link):
        return None

    def when(a, b):
        a, b = timezone.localtime(a), timezone.localtime(b)
        return f"{a:%A} {format_date(a)}, {a:%H:%M} to {b:%H:%M}"

    rows = [
        ("When", when(session.starts_at, session.ends_at), when(starts_at, ends_at)),
        ("Venue", session.venue or "None", venue or "None"),
        ("Online link", session.online_link or "None", link or "None"),
    ]
    return render(
        request,
        "workgroups/staff/session_check.html",
        {
            "group": group,
            "session": session,
            "rows": rows,
            "people": people,
            "posted": [(k, v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"],
            "page_title": "Check the change before participants are emailed",
        },
    )


@leads_and_staff
def session_cancel(request, pk: int, session_pk: int):
    """Are you sure, and why? The reason is mailed to every participant."""
    group = _group(request, pk)
    session = get_object_or_404(group.sessions, pk=session_pk)
    form = CancelSessionForm(request.POST if request.method == "POST" else None)
    start = timezone.localtime(session.starts_at)
    when = f"{start:%A} {format_date(start)} at {start:%H:%M}"

    def page(**extra):
        return render(
            request,
            "workgroups/staff/session_cancel.html",
            {
                "group": group,
                "session": session,
                "when": when,
                "form": form,
                "participants": services.participant_count(group),
                "page_title": "Cancel the session",
                **extra,
            },
        )

    if request.method != "POST":
        return page()
    return post_action(
        request,
        form=form,
        run=lambda d: services.session_cancel(
            session_id=session.pk,
            actor=request.user,
            reason=d["reason"],
            today=timezone.localdate(),
        ),
        success="The session is cancelled and participants have been emailed.",
        redirect_to=_back(group),
        rerender=page,
    )


@leads_and_staff
def session_register(request, pk: int, session_pk: int):
    group = _group(request, pk)
    session = get_object_or_404(Session, pk=session_pk, work_group=group)
    rows = selectors.register_rows(session)
    errors = []
    refusal = ""
    status = 200
    if request.method == "POST":
        marks = {}
        for reg, _ in rows:
            value = request.POST.get(f"reg-{reg.pk}", "")
            if value in AttendanceStatus.values:
                marks[reg.pk] = value
            else:
                errors.append(reg)
        if not errors:
            try:
                services.attendance_mark(session_id=session.pk, actor=request.user, marks=marks)
            except workflow.WorkGroupError as error:
                refusal, status = str(error), 400
            else:
                messages.success(
                    request, f"The register for {format_date(session.starts_at)} is saved."
                )
                return redirect("workgroups_staff:group_detail", pk=group.pk)
        else:
            status = 400
        posted = {reg.pk: request.POST.get(f"reg-{reg.pk}", "") for reg, _ in rows}
        rows = [(reg, posted[reg.pk]) for reg, _ in rows]
    return render(
        request,
        "workgroups/staff/session_register.html",
        {
            "group": group,
            "session": session,
            "rows": rows,
            "errors": errors,
            "refusal": refusal,
            "started": session.starts_at <= timezone.now(),
            "choices": AttendanceStatus.choices,
            "page_title": "Error: Register" if (errors or refusal) else "Register",
        },
        status=status,
    )


@leads_and_staff
@require_POST
def invite(request, pk: int):
    group = _group(request, pk)
    form = StaffInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter an email address or a school's URN.")
        return redirect("workgroups_staff:group_detail", pk=group.pk)
    school_id = None
    if form.cleaned_data.get("urn"):
        school = School.objects.open().filter(urn=form.cleaned_data["urn"]).first()
        if school is None:
            messages.error(request, f"No open school has URN {form.cleaned_data['urn']}.")
            return redirect("workgroups_staff:group_detail", pk=group.pk)
        school_id = school.pk
    services.staff_invite(
        group_id=group.pk,
        actor=request.user,
        email=form.cleaned_data.get("email") or "",
        school_id=school_id,
    )
    messages.success(request, "The invitation is recorded and emailed.")
    return redirect("workgroups_staff:group_detail", pk=group.pk)


@leads_and_staff
def lead_report(request, pk: int):
    group = _group(request, pk)
    report = LeadReport.objects.filter(work_group=group).first()
    names = list(LeadReportForm().fields)
    initial = {n: getattr(report, n) for n in names} if report else {}
    form = LeadReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_report_save(
                group_id=group.pk,
                actor=request.user,
                answers=form.cleaned_data,
                submit="submit" in request.POST,
            )
        except workflow.WorkGroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "The report is saved."
                if "submit" not in request.POST
                else "The report is submitted for the hub's review.",
            )
            return redirect("workgroups_staff:group_detail", pk=group.pk)
    sections = [
        (label, [form[f"{name}_{part}"] for part in ("evidence", "impact", "next_steps")])
        for name, label in OUTCOMES
    ]
    return render(
        request,
        "workgroups/staff/lead_report.html",
        {
            "group": group,
            "form": form,
            "report": report,
            "sections": sections,
            "is_manager": selectors.is_staff_manager(request.user),
            "page_title": "Evaluation report",
        },
    )


@staff_only
@require_POST
def lead_report_review(request, pk: int):
    group = _group(request, pk)
    try:
        services.lead_report_review(group_id=group.pk, actor=request.user)
        messages.success(request, "The report is marked as reviewed.")
    except workflow.WorkGroupError as exc:
        messages.error(request, str(exc))
    return redirect("workgroups_staff:lead_report", pk=group.pk)


@staff_only
def exports(request):
    # Each export is logged and entered in the sharing log, so it is made on POST only: a GET
    # (a prefetch, a link preview, a reload) shows the page and records nothing.
    fmt = request.POST.get("format") if request.method == "POST" else None
    if fmt in ("csv", "xlsx"):
        data, _ = services.participation_export(actor=request.user, file_format=fmt)
        mime = safe_exports.CSV_TYPE if fmt == "csv" else safe_exports.XLSX_TYPE
        response = HttpResponse(data, content_type=mime)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="participation-{stamp}.{fmt}"'
        return response
    log = ParticipationExport.objects.select_related("actor")[:50]
    form = ImportForm()
    return render(
        request,
        "workgroups/staff/exports.html",
        {
            "log": log,
            "form": form,
            "page_title": "Participation returns",
        },
    )


@staff_only
def import_csv(request):
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", "The file must be smaller than 5 MB.")
        else:
            result = services.participation_import(actor=request.user, content=upload.read())
            if not result.errors:
                messages.success(
                    request,
                    f"Imported {result.created} registrations and "
                    f"{result.attendance} attendance marks.",
                )
                return redirect("workgroups_staff:exports")
    return render(
        request,
        "workgroups/staff/import.html",
        {
            "form": form,
            "result": result,
            "page_title": "Import registrations",
        },
    )


@staff_only
def reach(request):
    today = timezone.localdate()
    years = list(AcademicYear.objects.order_by("-starts_on"))
    year = None
    if request.GET.get("year", "").isdigit():
        year = next((y for y in years if y.pk == int(request.GET["year"])), None)
    year = year or academic_year_for(today) or (years[0] if years else None)
    figures = selectors.reach(year) if year else []
    return render(
        request,
        "workgroups/staff/reach.html",
        {
            "year": year,
            "years": years,
            "figures": figures,
            "bars": [
                {
                    "f": f,
                    "y": 20 + i * 70,
                    "width": f.percent * 4,
                    "target_x": 160 + f.target_percent * 4,
                }
                for i, f in enumerate(figures)
            ],
            "page_title": "Teaching for Mastery reach",
        },
    )
