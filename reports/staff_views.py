"""/staff/reports/: drafting, quality assurance and sign-off. Thin: services write,
selectors read. Hub staff, the MHL and the SLL see reports; the moves each may make come from
the transition table."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from governance.models import ReportDueDate
from hubops.roles import Role, has_role

from . import services, workflow
from .assemble import NARRATIVE
from .forms import CommentForm, NewReportForm, SignForm, SubmissionForm
from .models import Report

REPORT_ROLES = (Role.HUB_STAFF, Role.MHL, Role.SLL)


def reports_role_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, *REPORT_ROLES):
            raise PermissionDenied("Reports are for hub staff, the MHL and the SLL.")
        return view(request, *args, **kwargs)

    return wrapped


@reports_role_required
def report_list(request):
    roles = services.roles_of(request.user)
    reports = list(Report.objects.select_related("academic_year", "work_group"))
    mine = []
    if workflow.MHL in roles:
        mine += [r for r in reports if r.status == workflow.SUBMITTED]
    if workflow.SLL in roles:
        mine += [r for r in reports if r.status == workflow.MHL_APPROVED]
    form = NewReportForm()
    return render(
        request,
        "reports/list.html",
        {
            "page_title": "Reports",
            "awaiting": mine,
            "reports": reports,
            "due": ReportDueDate.objects.select_related("academic_year")[:12],
            "form": form,
        },
    )


@require_POST
@reports_role_required
def report_new(request):
    form = NewReportForm(request.POST)
    if form.is_valid():
        report = services.create_report(
            kind=form.cleaned_data["kind"],
            year=form.cleaned_data["academic_year"],
            period=form.cleaned_data["period"],
            work_group=form.cleaned_data["group"],
            actor=request.user,
        )
        messages.success(request, "Draft created with today's figures.")
        return redirect("reports:detail", report.pk)
    reports = list(Report.objects.select_related("academic_year", "work_group"))
    return render(
        request,
        "reports/list.html",
        {"page_title": "Reports", "awaiting": [], "reports": reports, "form": form},
        status=400,
    )


def _detail_context(request, report, **extra):
    roles = services.roles_of(request.user)
    narrative = [
        (key, label, report.narrative.get(key, "")) for key, label in NARRATIVE[report.kind]
    ]
    return {
        "page_title": report.title,
        "report": report,
        "moves": workflow.available(report.status, roles),
        "narrative": narrative,
        "events": report.events.all(),
        "can_edit": report.status == workflow.DRAFT and workflow.STAFF in roles,
        "comment_form": extra.pop("comment_form", CommentForm()),
        "sign_form": extra.pop("sign_form", SignForm()),
        "submission_form": extra.pop("submission_form", SubmissionForm()),
        "verified": services.verify(report) if report.is_frozen else None,
        **extra,
    }


@reports_role_required
def report_detail(request, pk: int):
    report = get_object_or_404(Report.objects.select_related("academic_year"), pk=pk)
    if request.method == "POST":
        if "refresh" in request.POST:
            try:
                services.refresh_figures(report.pk, actor=request.user)
                messages.success(request, "The figures were taken again from today's records.")
            except services.ReportError as error:
                messages.error(request, str(error))
        else:
            data = {key: request.POST.get(key, "") for key, _ in NARRATIVE[report.kind]}
            try:
                services.save_narrative(report.pk, actor=request.user, narrative=data)
                messages.success(request, "Narrative saved.")
            except services.ReportError as error:
                messages.error(request, str(error))
        return redirect("reports:detail", report.pk)
    return render(request, "reports/detail.html", _detail_context(request, report))


@require_POST
@reports_role_required
def report_move(request, pk: int, name: str):
    report = get_object_or_404(Report, pk=pk)
    comment_form = CommentForm(request.POST)
    sign_form = SignForm(request.POST) if name == "sign" else SignForm()
    submission_form = SubmissionForm(request.POST) if name == "record_submission" else None
    error = None
    kwargs = {"comment": request.POST.get("comment", "")[:5000]}
    if name == "sign":
        if sign_form.is_valid():
            kwargs["password"] = sign_form.cleaned_data["password"]
        else:
            error = "Enter your password to sign."
    if submission_form is not None:
        if submission_form.is_valid():
            kwargs.update(submission_form.cleaned_data)
        else:
            error = "Say to whom and on which date the report was submitted."
    if error is None:
        try:
            services.move(report.pk, name, actor=request.user, **kwargs)
        except (workflow.IllegalMove, services.ReportError) as problem:
            error = str(problem)
    if error is None:
        messages.success(request, f"Done: {workflow.BY_NAME[name].label.lower()}.")
        return redirect("reports:detail", report.pk)
    report.refresh_from_db()
    context = _detail_context(
        request,
        report,
        error=error,
        comment_form=comment_form,
        sign_form=sign_form,
        submission_form=submission_form or SubmissionForm(),
    )
    return render(request, "reports/detail.html", context, status=400)


@reports_role_required
def report_pdf(request, pk: int):
    """The signed PDF as frozen, or a preview of a report still in review."""
    report = get_object_or_404(Report, pk=pk)
    if report.is_frozen:
        if not services.verify(report):
            raise Http404("The signed PDF does not match its stored hash.")
        with report.pdf.open("rb") as file:
            data = file.read()
        filename = f"{report.title}.pdf"
    else:
        data = services.render_report(report)
        filename = f"{report.title} (preview).pdf"
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if "download" in request.GET else "inline"
    safe = "".join(c if c.isalnum() or c in " -_.()/" else "_" for c in filename)
    response["Content-Disposition"] = f'{disposition}; filename="{safe.replace("/", "-")}"'
    return response
