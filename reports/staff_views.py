"""/staff/reports/: drafting, quality assurance, sign-off, and the reporting deadlines. Thin:
services write, selectors read, and the moves each person may make come from the transition
table (``workflow.MACHINE``). Hub staff, the MHL and the SLL use these pages."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from governance import services as governance_services
from hubops.staff import gate, get_for_user_or_404, post_action
from hubops.workflow import IllegalMove

from . import selectors, services, workflow
from .forms import (
    CommentForm,
    DueDateChangeForm,
    DueDateForm,
    NewReportForm,
    SignForm,
    SubmissionForm,
)
from .layout import stored_chart
from .models import Report
from .narrative import sections

REPORT_ROLES = selectors.REPORT_ROLES
reports_staff = gate(selectors.can_use_reports, "Reports are for hub staff, the MHL and the SLL.")
NO_REPORT = "No report has this number."
NO_DUE_DATE = "No reporting deadline has this number."


def _list(request: HttpRequest, form: NewReportForm, **extra: Any) -> HttpResponse:
    reports = selectors.report_list()
    return render(
        request,
        "reports/list.html",
        {
            "page_title": "Reports",
            "awaiting": selectors.awaiting(request.user, reports),
            "reports": reports,
            "due": selectors.open_due_dates()[:12],
            "form": form,
            **extra,
        },
    )


@reports_staff
def report_list(request: HttpRequest) -> HttpResponse:
    return _list(request, NewReportForm())


@require_POST
@reports_staff
def report_new(request: HttpRequest) -> HttpResponse:
    return post_action(
        request,
        form=NewReportForm(request.POST),
        run=lambda d: services.report_create(
            kind=d["kind"],
            year=d["academic_year"],
            period=d["period"],
            work_group=d["group"],
            due_date=d["due_date"],
            actor=request.user,
        ),
        success="Draft created with today's figures.",
        redirect_to=lambda report: reverse("reports:detail", args=[report.pk]),
        rerender=lambda form, error: _list(request, form, error=error),
    )


def _narrative_form(kind: str, data: Any = None, initial: Any = None) -> django_forms.Form:
    form = django_forms.Form(data, initial=initial)
    for key, label in sections(kind):
        form.fields[key] = django_forms.CharField(label=label, required=False)
    return form


def _detail(request: HttpRequest, report: Report, **extra: Any) -> HttpResponse:
    roles = selectors.roles_of(request.user)
    typed = extra.pop("narrative_form", None)
    narrative = [
        (
            key,
            label,
            typed[key].value() if typed is not None else report.narrative.get(key, ""),
        )
        for key, label in sections(report.kind)
    ]
    charts = {
        i: [stored_chart(c) for c in s.get("charts") or []]
        for i, s in enumerate(report.figures.get("sections", []))
    }
    context = {
        "page_title": report.title,
        "report": report,
        "moves": workflow.available(report.status, roles, report),
        "held_back": workflow.held_back(report.status, roles, report),
        "narrative": narrative,
        "sections": [(s, charts[i]) for i, s in enumerate(report.figures.get("sections", []))],
        "events": report.events.all(),
        "can_edit": report.status == workflow.DRAFT and workflow.STAFF in roles,
        "comment_form": extra.pop("comment_form", CommentForm()),
        "sign_form": extra.pop("sign_form", SignForm()),
        "submission_form": extra.pop("submission_form", SubmissionForm()),
        "verified": services.verify(report) if report.is_frozen else None,
        **extra,
    }
    return render(request, "reports/detail.html", context)


@reports_staff
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user_or_404(selectors.report_get_for_user, request.user, pk, NO_REPORT)
    if request.method != "POST":
        return _detail(request, report)
    here = reverse("reports:detail", args=[report.pk])
    if "refresh" in request.POST:
        return post_action(
            request,
            form=None,
            run=lambda d: services.report_figures_refresh(report_id=report.pk, actor=request.user),
            success="The figures were taken again from today's records.",
            redirect_to=here,
            rerender=lambda form, error: _detail(request, report, error=error),
        )
    return post_action(
        request,
        form=_narrative_form(report.kind, request.POST),
        run=lambda d: services.report_narrative_save(
            report_id=report.pk, actor=request.user, narrative=d
        ),
        success="Narrative saved.",
        redirect_to=here,
        rerender=lambda form, error: _detail(request, report, narrative_form=form, error=error),
    )


_MOVE_FORMS: dict[str, type[django_forms.Form]] = {
    "sign": SignForm,
    "record_submission": SubmissionForm,
}
_MOVE_FORM_KEYS = {"sign": "sign_form", "record_submission": "submission_form"}


@require_POST
@reports_staff
def report_move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    report = get_for_user_or_404(selectors.report_get_for_user, request.user, pk, NO_REPORT)
    form = _MOVE_FORMS.get(name, CommentForm)(request.POST)

    def run(data: dict[str, Any]) -> Report:
        comment = (data.get("comment") or "")[:5000]
        return services.move(report.pk, name, actor=request.user, **{**data, "comment": comment})

    def rerender(form: django_forms.Form, error: str) -> HttpResponse:
        report.refresh_from_db()
        key = _MOVE_FORM_KEYS.get(name, "comment_form")
        return _detail(request, report, error=error, **{key: form})

    try:
        label = workflow.MACHINE.get(name).label
    except IllegalMove as unknown:
        response = rerender(CommentForm(), str(unknown))
        response.status_code = 400
        return response
    return post_action(
        request,
        form=form,
        run=run,
        success=f"Done: {label.lower()}.",
        redirect_to=reverse("reports:detail", args=[report.pk]),
        rerender=rerender,
    )


@reports_staff
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF as frozen, or a preview of a report still in review."""
    report = get_for_user_or_404(selectors.report_get_for_user, request.user, pk, NO_REPORT)
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


# Reporting deadlines --------------------------------------------------------------------------


@reports_staff
def due_date_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/due_dates.html",
        {"page_title": "Reporting deadlines", "due_dates": list(selectors.due_dates())},
    )


def _due_form(request: HttpRequest, form: django_forms.Form, **extra: Any) -> HttpResponse:
    due = extra.get("due")
    title = "Change a reporting deadline" if due else "Add a reporting deadline"
    return render(
        request,
        "reports/due_date_form.html",
        {"page_title": title, "title": title, "form": form, **extra},
    )


@reports_staff
def due_date_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _due_form(request, DueDateForm())
    return post_action(
        request,
        form=DueDateForm(request.POST),
        run=lambda d: governance_services.report_due_date_create(actor=request.user, **d),
        success=lambda due: f"Deadline added: {due}.",
        redirect_to=reverse("reports:due_dates"),
        rerender=lambda form, error: _due_form(request, form, error=error),
    )


@reports_staff
def due_date_change(request: HttpRequest, pk: int) -> HttpResponse:
    due = get_for_user_or_404(selectors.due_date_get_for_user, request.user, pk, NO_DUE_DATE)
    if request.method != "POST":
        form = DueDateChangeForm(initial={"due_on": due.due_on, "label": due.label})
        return _due_form(request, form, due=due)
    return post_action(
        request,
        form=DueDateChangeForm(request.POST),
        run=lambda d: governance_services.report_due_date_change(
            due_date_id=due.pk, actor=request.user, **d
        ),
        success=lambda changed: f"Deadline changed: {changed}.",
        redirect_to=reverse("reports:due_dates"),
        rerender=lambda form, error: _due_form(request, form, due=due, error=error),
    )
