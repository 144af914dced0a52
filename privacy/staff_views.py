"""Staff privacy pages under /staff/privacy/ (MFA enforced by hubops' StaffMFAMiddleware).
Only the data protection lead and the Maths Hub Lead may use them."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hubops import audit, exports
from hubops.models import Hub
from hubops.roles import Role, users_with_role

from . import selectors, services
from .forms import CloseForm, ExtendForm, StaffDataRequestForm
from .models import DataRequest, RequestKind, RequestStatus, RetentionRun


def privacy_staff(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_handle_privacy(request.user):
            raise PermissionDenied("Only the data protection lead can see this page.")
        return view(request, *args, **kwargs)

    return wrapper


@privacy_staff
def request_list(request):
    today = timezone.localdate()
    data = selectors.request_page(
        today, show=request.GET.get("show", ""), page=request.GET.get("page")
    )
    return render(
        request,
        "privacy/staff/request_list.html",
        {**data, "today": today, "page_title": "Data-rights requests"},
    )


@privacy_staff
def request_log_csv(request):
    """The log of every request and its outcome, without names (for the ICO)."""
    header = [
        "Reference",
        "Request",
        "Received",
        "Due",
        "Extended to",
        "Identity checked by",
        "Status",
        "Closed",
        "Outcome",
    ]
    rows = [
        [
            r.reference,
            r.get_kind_display(),
            r.received_on,
            r.due_on,
            r.extended_to,
            r.identity_verified_by,
            r.get_status_display(),
            r.closed_on,
            r.outcome,
        ]
        for r in selectors.requests_for_staff()
    ]
    audit.record(request.user, None, "privacy.request_log.exported", object_label="request log")
    return exports.csv_response(rows, "data-rights-requests.csv", header)


@privacy_staff
def request_new(request):
    form = StaffDataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data_request = services.create_request(
            kind=data["kind"],
            full_name=data["full_name"],
            email=data["email"],
            details=data["details"],
            received_on=data["received_on"],
            actor=request.user,
            identity_confirmed_by_staff=data["identity_confirmed"],
        )
        messages.success(request, f"Request {data_request.reference} logged.")
        return redirect("privacy_staff:request_detail", pk=data_request.pk)
    return render(
        request, "privacy/staff/request_new.html", {"form": form, "page_title": "Log a request"}
    )


@privacy_staff
def request_detail(request, pk: int):
    data_request = get_object_or_404(DataRequest.objects.select_related("user"), pk=pk)
    audit.record(request.user, data_request, "privacy.datarequest.viewed")
    person = services.person_for_request(data_request)
    sections = services.collect(person) if data_request.status == RequestStatus.OPEN else []
    return render(
        request,
        "privacy/staff/request_detail.html",
        {
            "r": data_request,
            "sections": sections,
            "viewers": list(selectors.viewers_of(data_request)[:50]),
            "extend_form": ExtendForm(),
            "close_form": CloseForm(),
            "today": timezone.localdate(),
            "kinds": RequestKind,
            "page_title": f"Request {data_request.reference}",
        },
    )


def _act(request, pk, fn, success: str):
    try:
        fn()
    except services.TransitionError as error:
        messages.error(request, str(error))
    except ValueError as error:  # a declaration that cannot be carried out; rolled back
        messages.error(request, f"Nothing was changed: {error}. Tell the lead developer.")
    else:
        messages.success(request, success)
    return redirect("privacy_staff:request_detail", pk=pk)


@privacy_staff
@require_POST
def confirm_identity(request, pk: int):
    return _act(
        request,
        pk,
        lambda: services.confirm_identity(pk, actor=request.user),
        "Identity confirmed.",
    )


@privacy_staff
@require_POST
def extend(request, pk: int):
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the reason for the extension.")
        return redirect("privacy_staff:request_detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.extend_request(
            pk, reason=form.cleaned_data["reason"], actor=request.user, today=timezone.localdate()
        ),
        "Extended by two months; the person has been told.",
    )


@privacy_staff
@require_POST
def close(request, pk: int):
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select the outcome and describe what was done.")
        return redirect("privacy_staff:request_detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.close_request(
            pk, **form.cleaned_data, actor=request.user, today=timezone.localdate()
        ),
        "Request closed; the person has been told.",
    )


@privacy_staff
@require_POST
def erase(request, pk: int):
    return _act(
        request,
        pk,
        lambda: services.carry_out_erasure(pk, actor=request.user, today=timezone.localdate()),
        "Erasure carried out. The outcome below lists anything kept, with the reason.",
    )


@privacy_staff
@require_POST
def restrict(request, pk: int):
    return _act(
        request,
        pk,
        lambda: services.carry_out_restriction(pk, actor=request.user, today=timezone.localdate()),
        "Processing restricted.",
    )


@privacy_staff
@require_POST
def object_mailings(request, pk: int):
    """An objection to CPD mailings is carried out as that alone, not as a full restriction
    (which would also stop the mails of a Work Group the person is in)."""
    data_request = get_object_or_404(DataRequest, pk=pk, kind=RequestKind.OBJECTION)
    return _act(
        request,
        pk,
        lambda: services.mailing_objection_record(
            email=data_request.email,
            source=f"request {data_request.reference}",
            actor=request.user,
        ),
        "CPD mailings stopped for this person. Nothing else was restricted.",
    )


@privacy_staff
def export_zip(request, pk: int):
    data_request = get_object_or_404(DataRequest, pk=pk)
    if data_request.status != RequestStatus.OPEN:
        messages.error(request, "The person's identity must be confirmed, and the request open.")
        return redirect("privacy_staff:request_detail", pk=pk)
    content = services.access_export(
        services.person_for_request(data_request),
        actor=request.user,
        reference=data_request.reference,
    )
    audit.record(request.user, data_request, "privacy.access_export.downloaded")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{data_request.reference}-your-data.zip"'
    )
    return response


@privacy_staff
def retention(request):
    settings_row = services.retention_settings()
    today = timezone.localdate()
    return render(
        request,
        "privacy/staff/retention.html",
        {
            "settings_row": settings_row,
            "plan": services.retention_plan(today),
            "runs": list(selectors.retention_runs()[:50]),
            "page_title": "Retention and destruction",
        },
    )


@privacy_staff
@require_POST
def retention_approve(request, pk: int):
    run = get_object_or_404(RetentionRun, pk=pk)
    services.approve_retention_run(run.pk, actor=request.user)
    messages.success(request, "Approved. The next retention task destroys what the report lists.")
    return redirect("privacy_staff:retention")


@privacy_staff
def sharing(request):
    return render(
        request,
        "privacy/staff/sharing.html",
        {"disclosures": list(selectors.disclosures()[:500]), "page_title": "Sharing log"},
    )


@privacy_staff
def breach_list(request):
    return render(
        request,
        "privacy/staff/breaches.html",
        {
            "page": Paginator(selectors.breaches(), 50).get_page(request.GET.get("page")),
            "now": timezone.now(),
            "page_title": "Breach log",
        },
    )


@privacy_staff
def dpia_list(request):
    return render(
        request,
        "privacy/staff/dpias.html",
        {
            "dpias": list(selectors.dpias()),
            "today": timezone.localdate(),
            "page_title": "DPIA register",
        },
    )


@privacy_staff
def key_contacts(request):
    """Key contacts for continuity after a cyber incident (kept offline by staff)."""
    rows = []
    hub = Hub.current()
    if hub:
        rows.append(["Hub", hub.name, hub.email, hub.phone])
    for role in Role:
        for user in users_with_role(role).order_by("email"):
            rows.append([role.value, user.full_name, user.email, user.phone])
    rows.append(["Information Commissioner's Office", "ICO", "", "0303 123 1113"])
    audit.record(request.user, None, "privacy.key_contacts.exported", object_label="key contacts")
    return exports.csv_response(rows, "key-contacts.csv", ["Role", "Name", "Email", "Phone"])
