"""Staff privacy pages under /staff/privacy/ (MFA enforced by hubops' StaffMFAMiddleware).
Only the data protection lead and the Maths Hub Lead may use them: data-rights requests, the
breach log, the DPIA register, privacy-notice versions, retention and the sharing log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hubops import audit, exports, page_cache
from hubops.models import Hub
from hubops.roles import Role, users_with_role
from hubops.staff import gate, get_for_user_or_404, post_action

from . import selectors, services, workflow
from .forms import (
    BreachForm,
    CloseForm,
    DPIAForm,
    ExtendForm,
    IcoNotifiedForm,
    IcoNotNotifiedForm,
    NoticeForm,
    StaffDataRequestForm,
)
from .models import DPIA, Breach, DataRequest, PrivacyNotice, RequestKind, RetentionRun
from .workflow import BREACH_MACHINE, REQUEST_MACHINE

privacy_staff = gate(
    selectors.can_handle_privacy, "Only the data protection lead can see this page."
)

NO_REQUEST = "No data-rights request has this number."
NO_BREACH = "No breach has this number."
NO_DPIA = "No DPIA has this number."


def _data_request(request, pk) -> DataRequest:
    return get_for_user_or_404(selectors.data_request_get_for_user, request.user, pk, NO_REQUEST)


# Data-rights requests ----------------------------------------------------------------------------


@privacy_staff
def request_list(request):
    today = timezone.localdate()

    def build():
        data = selectors.request_page(
            today, show=request.GET.get("show", ""), page=request.GET.get("page")
        )
        return render(
            request,
            "privacy/staff/request_list.html",
            {**data, "today": today, "page_title": "Data-rights requests"},
        )

    # Kept whole for its viewer until a request or breach changes (or the day does).
    return page_cache.cached_page(request, ("privacy",), build, vary=today.isoformat())


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

    def rerender(form, error=""):
        return render(
            request,
            "privacy/staff/request_new.html",
            {"form": form, "error": error, "page_title": "Log a request"},
        )

    if request.method != "POST":
        return rerender(form)
    return post_action(
        request,
        form=form,
        run=lambda d: services.data_request_create(
            kind=d["kind"],
            full_name=d["full_name"],
            email=d["email"],
            details=d["details"],
            received_on=d["received_on"],
            actor=request.user,
            identity_confirmed_by_staff=d["identity_confirmed"],
        ),
        success=lambda r: f"Request {r.reference} logged.",
        redirect_to=lambda r: reverse("privacy_staff:request_detail", args=[r.pk]),
        rerender=rerender,
    )


def _closing_choices(moves: set[str]) -> list[tuple[str, str]]:
    return [
        (status, workflow.REQUEST_LABELS[status])
        for status, name in workflow.CLOSING_MOVES.items()
        if name in moves
    ]


def _request_page(
    request, data_request: DataRequest, *, extend_form=None, close_form=None, error=""
):
    today = timezone.localdate()
    moves = {m.name for m in REQUEST_MACHINE.available(data_request.status, subject=data_request)}
    close_form = close_form or CloseForm()
    close_form.fields["status"].choices = _closing_choices(moves)
    can_extend = not workflow.extension_refusals(
        status=data_request.status,
        due_on=data_request.due_on,
        extended_to=data_request.extended_to,
        today=today,
        reason="(asked on the form)",
    )
    is_open = data_request.status == workflow.OPEN
    sections = services.collect(services.person_for_request(data_request)) if is_open else []
    title = f"Request {data_request.reference}"
    return render(
        request,
        "privacy/staff/request_detail.html",
        {
            "r": data_request,
            "moves": moves,
            "can_extend": can_extend,
            "is_open": is_open,
            "sections": sections,
            "viewers": list(selectors.viewers_of(data_request)[:50]),
            "extend_form": extend_form or ExtendForm(),
            "close_form": close_form,
            "today": today,
            "kinds": RequestKind,
            "error": error,
            "page_title": title,
        },
    )


@privacy_staff
def request_detail(request, pk: int):
    data_request = _data_request(request, pk)
    audit.record(request.user, data_request, "privacy.datarequest.viewed")
    return _request_page(request, data_request)


def _request_action(request, pk, *, run, success, form=None, form_key="form"):
    """POST a move on a request: the service, then back to the request (or the page again,
    status 400, with what was typed and the reason)."""
    data_request = _data_request(request, pk)
    return post_action(
        request,
        form=form,
        run=run,
        success=success,
        redirect_to=reverse("privacy_staff:request_detail", args=[data_request.pk]),
        rerender=lambda error="", **forms: _request_page(
            request,
            data_request,
            **{k: v for k, v in forms.items() if k in ("extend_form", "close_form")},
            error=error,
        ),
        form_key=form_key,
    )


@privacy_staff
@require_POST
def confirm_identity(request, pk: int):
    return _request_action(
        request,
        pk,
        run=lambda d: services.data_request_confirm_identity(
            data_request_id=pk, actor=request.user
        ),
        success="Identity confirmed.",
    )


@privacy_staff
@require_POST
def extend(request, pk: int):
    return _request_action(
        request,
        pk,
        form=ExtendForm(request.POST),
        form_key="extend_form",
        run=lambda d: services.data_request_extend(
            data_request_id=pk,
            reason=d["reason"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        success="Extended by two months; the person has been told.",
    )


@privacy_staff
@require_POST
def close(request, pk: int):
    data_request = _data_request(request, pk)
    form = CloseForm(request.POST)
    moves = {m.name for m in REQUEST_MACHINE.available(data_request.status, subject=data_request)}
    form.fields["status"].choices = _closing_choices(moves) or form.fields["status"].choices
    return _request_action(
        request,
        pk,
        form=form,
        form_key="close_form",
        run=lambda d: services.data_request_close(
            data_request_id=pk,
            status=d["status"],
            outcome=d["outcome"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        success="Request closed; the person has been told.",
    )


@privacy_staff
def erase(request, pk: int):
    """Erasure cannot be undone: GET asks "Are you sure?"; POST carries it out."""
    data_request = _data_request(request, pk)
    if request.method == "POST":
        return _request_action(
            request,
            pk,
            run=lambda d: services.erasure_carry_out(
                data_request_id=pk, actor=request.user, today=timezone.localdate()
            ),
            success="Erasure carried out. The outcome below lists anything kept, with the reason.",
        )
    moves = {m.name for m in REQUEST_MACHINE.available(data_request.status, subject=data_request)}
    if "erase" not in moves:
        messages.error(request, "Only an open, verified erasure request can be carried out.")
        return redirect("privacy_staff:request_detail", pk=data_request.pk)
    return render(
        request,
        "privacy/staff/request_erase.html",
        {"r": data_request, "page_title": f"Erase the data of request {data_request.reference}"},
    )


@privacy_staff
@require_POST
def restrict(request, pk: int):
    return _request_action(
        request,
        pk,
        run=lambda d: services.restriction_carry_out(
            data_request_id=pk, actor=request.user, today=timezone.localdate()
        ),
        success="Processing restricted.",
    )


@privacy_staff
@require_POST
def object_mailings(request, pk: int):
    """An objection to CPD mailings is carried out as that alone, not as a full restriction
    (which would also stop the mails of a Work Group the person is in)."""
    data_request = _data_request(request, pk)
    if data_request.kind != RequestKind.OBJECTION:
        raise Http404(NO_REQUEST)
    return _request_action(
        request,
        pk,
        run=lambda d: services.mailing_objection_record(
            email=data_request.email,
            source=f"request {data_request.reference}",
            actor=request.user,
        ),
        success="CPD mailings stopped for this person. Nothing else was restricted.",
    )


@privacy_staff
def export_zip(request, pk: int):
    data_request = _data_request(request, pk)
    if data_request.status != workflow.OPEN:
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


# Retention and sharing ---------------------------------------------------------------------------


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
    run = RetentionRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404("No retention run has this number.")
    services.retention_run_approve(retention_run_id=run.pk, actor=request.user)
    messages.success(request, "Approved. The next retention task destroys what the report lists.")
    return redirect("privacy_staff:retention")


@privacy_staff
def sharing(request):
    return render(
        request,
        "privacy/staff/sharing.html",
        {"disclosures": list(selectors.disclosures()[:500]), "page_title": "Sharing log"},
    )


# Breaches ----------------------------------------------------------------------------------------


@privacy_staff
def breach_list(request):
    now = timezone.now()

    def build():
        return render(
            request,
            "privacy/staff/breaches.html",
            {
                "page": Paginator(selectors.breaches(), 50).get_page(request.GET.get("page")),
                "now": now,
                "page_title": "Breach log",
            },
        )

    # The ICO's 72-hour clock is shown to the minute: a copy lasts until the minute turns.
    minute = timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")
    return page_cache.cached_page(request, ("privacy",), build, vary=minute)


@privacy_staff
def breach_new(request):
    form = BreachForm(request.POST or None)

    def rerender(form, error=""):
        return render(
            request,
            "privacy/staff/breach_new.html",
            {"form": form, "error": error, "page_title": "Log a breach"},
        )

    if request.method != "POST":
        return rerender(form)
    return post_action(
        request,
        form=form,
        run=lambda d: services.breach_log(actor=request.user, **form.breach_fields()),
        success=lambda b: f"Breach {b.reference} logged. Decide whether to tell the ICO.",
        redirect_to=lambda b: reverse("privacy_staff:breach_detail", args=[b.pk]),
        rerender=rerender,
    )


def _breach(request, pk) -> Breach:
    return get_for_user_or_404(selectors.breach_get_for_user, request.user, pk, NO_BREACH)


def _breach_page(request, breach: Breach, *, notified_form=None, not_notified_form=None, error=""):
    now = timezone.now()
    moves = {m.name for m in BREACH_MACHINE.available(breach.stage, subject=breach)}
    title = f"Breach {breach.reference}"
    return render(
        request,
        "privacy/staff/breach_detail.html",
        {
            "b": breach,
            "moves": moves,
            "now": now,
            "hours_left": max(int((breach.ico_deadline - now).total_seconds() // 3600), 0),
            "notified_form": notified_form or IcoNotifiedForm(prefix="told"),
            "not_notified_form": not_notified_form or IcoNotNotifiedForm(prefix="not"),
            "error": error,
            "page_title": title,
        },
    )


@privacy_staff
def breach_detail(request, pk: int):
    return _breach_page(request, _breach(request, pk))


def _breach_action(request, breach, *, form, form_key, run, success):
    return post_action(
        request,
        form=form,
        form_key=form_key,
        run=run,
        success=success,
        redirect_to=reverse("privacy_staff:breach_detail", args=[breach.pk]),
        rerender=lambda error="", **forms: _breach_page(
            request,
            breach,
            **{k: v for k, v in forms.items() if k in ("notified_form", "not_notified_form")},
            error=error,
        ),
    )


@privacy_staff
@require_POST
def breach_ico_notified(request, pk: int):
    breach = _breach(request, pk)
    return _breach_action(
        request,
        breach,
        form=IcoNotifiedForm(request.POST, prefix="told"),
        form_key="notified_form",
        run=lambda d: services.breach_ico_notify(
            breach_id=breach.pk, notified_at=d["notified_at"], actor=request.user
        ),
        success="Recorded that the ICO was told.",
    )


@privacy_staff
@require_POST
def breach_ico_not_notified(request, pk: int):
    breach = _breach(request, pk)
    return _breach_action(
        request,
        breach,
        form=IcoNotNotifiedForm(request.POST, prefix="not"),
        form_key="not_notified_form",
        run=lambda d: services.breach_ico_not_notify(
            breach_id=breach.pk, reason=d["reason"], actor=request.user
        ),
        success="Recorded why the ICO is not told.",
    )


@privacy_staff
def breach_close(request, pk: int):
    """GET asks "Are you sure?"; POST closes the breach."""
    breach = _breach(request, pk)
    if request.method == "POST":
        return _breach_action(
            request,
            breach,
            form=None,
            form_key="form",
            run=lambda d: services.breach_close(
                breach_id=breach.pk, actor=request.user, today=timezone.localdate()
            ),
            success=f"Breach {breach.reference} closed.",
        )
    if "close" not in {m.name for m in BREACH_MACHINE.available(breach.stage, subject=breach)}:
        messages.error(request, "Record the ICO decision before closing the breach.")
        return redirect("privacy_staff:breach_detail", pk=breach.pk)
    return render(
        request,
        "privacy/staff/breach_close.html",
        {"b": breach, "page_title": f"Close breach {breach.reference}"},
    )


# DPIAs -------------------------------------------------------------------------------------------


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


def _dpia_form_page(request, *, form, dpia: DPIA | None, run, success):
    title = f"Change the DPIA: {dpia.title}" if dpia else "Add a DPIA"

    def rerender(form, error=""):
        return render(
            request,
            "privacy/staff/dpia_form.html",
            {
                "form": form,
                "dpia": dpia,
                "error": error,
                "page_title": title,
                "heading": title,
            },
        )

    if request.method != "POST":
        return rerender(form)
    return post_action(
        request,
        form=form,
        run=run,
        success=success,
        redirect_to=reverse("privacy_staff:dpias"),
        rerender=rerender,
    )


@privacy_staff
def dpia_new(request):
    form = DPIAForm(request.POST or None)
    return _dpia_form_page(
        request,
        form=form,
        dpia=None,
        run=lambda d: services.dpia_create(actor=request.user, **d),
        success=lambda d: f"DPIA \u201c{d.title}\u201d added.",
    )


@privacy_staff
def dpia_edit(request, pk: int):
    dpia = get_for_user_or_404(selectors.dpia_get_for_user, request.user, pk, NO_DPIA)
    initial = {name: getattr(dpia, name) for name in DPIAForm.base_fields}
    form = DPIAForm(request.POST or None, initial=initial)
    return _dpia_form_page(
        request,
        form=form,
        dpia=dpia,
        run=lambda d: services.dpia_update(dpia_id=dpia.pk, actor=request.user, **d),
        success=lambda d: f"DPIA \u201c{d.title}\u201d saved.",
    )


# Privacy-notice versions -------------------------------------------------------------------------


@privacy_staff
def notice_list(request):
    today = timezone.localdate()
    return render(
        request,
        "privacy/staff/notices.html",
        {
            "notices": list(selectors.notices()[:50]),
            "current": selectors.current_notice(today),
            "page_title": "Privacy notice versions",
        },
    )


DRAFT_KEY = "privacy_notice_draft"


def _draft(request) -> dict | None:
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        return None
    return {**draft, "published_on": dt.date.fromisoformat(draft["published_on"])}


@privacy_staff
def notice_new(request):
    """Write the next version; the next page checks it before it is published."""
    current = selectors.current_notice(timezone.localdate())
    initial = _draft(request) or ({"title": current.title, "body": current.body} if current else {})
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[DRAFT_KEY] = {
            **form.cleaned_data,
            "published_on": form.cleaned_data["published_on"].isoformat(),
        }
        return redirect("privacy_staff:notice_check")
    return render(
        request,
        "privacy/staff/notice_form.html",
        {
            "form": form,
            "current": current,
            "version": services.notice_next_version(),
            "page_title": "Publish a new version of the privacy notice",
        },
        status=400 if form.errors else 200,
    )


@privacy_staff
def notice_check(request):
    """Check your answers: what the new version says, from when, and how many people who
    accepted the current one will be asked to accept it again. Publishing is the POST."""
    draft = _draft(request)
    if draft is None:
        return redirect("privacy_staff:notice_new")
    today = timezone.localdate()
    current = selectors.current_notice(today)
    preview = PrivacyNotice(version=services.notice_next_version(), **draft)

    def rerender(form=None, error=""):
        return render(
            request,
            "privacy/staff/notice_check.html",
            {
                "draft": preview,
                "current": current,
                "asked_again": selectors.notice_acceptance_count(current),
                "error": error,
                "page_title": "Check the new version",
            },
        )

    if request.method != "POST":
        return rerender()

    def publish(_data):
        notice = services.notice_publish(actor=request.user, today=today, **draft)
        request.session.pop(DRAFT_KEY, None)
        return notice

    return post_action(
        request,
        form=None,
        run=publish,
        success=lambda n: f"Version {n.version} of the privacy notice published.",
        redirect_to=reverse("privacy_staff:notices"),
        rerender=rerender,
    )


# Key contacts ------------------------------------------------------------------------------------


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
