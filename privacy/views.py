"""Public privacy pages: the notice, and the data-rights request form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from hubops import idempotency, ratelimit

from . import selectors, services
from .forms import DataRequestForm
from .models import DataRequest, RequestStatus


def index(request):
    notice = selectors.current_notice(timezone.localdate())
    return render(
        request,
        "privacy/index.html",
        {
            "page_title": "Privacy notice",
            "notice": notice,
            "needs_acceptance": request.user.is_authenticated
            and not selectors.has_accepted(request.user, notice),
        },
    )


@require_POST
def accept(request):
    if not request.user.is_authenticated:
        return redirect("account_login")
    notice = selectors.current_notice(timezone.localdate())
    if notice is not None and str(notice.pk) == request.POST.get("notice"):
        services.notice_accept(notice_id=notice.pk, actor=request.user)
        messages.success(request, f"You accepted version {notice.version} of the privacy notice.")
    else:
        messages.info(
            request,
            "The privacy notice changed while you were reading it. Read the current version below.",
        )
    return redirect("privacy:index")


REQUEST_SCOPE = "privacy.request"


def _show_sent(request, data_request: DataRequest):
    request.session["privacy_request_ref"] = data_request.reference
    return redirect("privacy:request_sent")


def request_new(request):
    form = DataRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        key = idempotency.read(request.POST, REQUEST_SCOPE)
        if existing := idempotency.find(DataRequest, key):
            return _show_sent(request, existing)  # a double click or a retry
        if form.is_valid():
            # The form emails the address typed in: limited per client and per recipient.
            if ratelimit.mail_form_over_limit(
                request, to=[form.cleaned_data["email"]], submission_key=key
            ):
                form.add_error(None, ratelimit.TOO_MANY)
                status = 429
            else:
                data_request, _ = idempotency.create_once(
                    DataRequest,
                    key,
                    lambda: services.data_request_create(
                        **form.cleaned_data, received_on=timezone.localdate(), submission_key=key
                    ),
                )
                return _show_sent(request, data_request)
    return render(
        request,
        "privacy/request_form.html",
        {
            "form": form,
            "submission_key": idempotency.for_page(request.POST, REQUEST_SCOPE),
            "page_title": "Ask about your data",
        },
        status=status,
    )


def request_sent(request):
    reference = request.session.get("privacy_request_ref")
    if not reference:
        return redirect("privacy:request_new")
    data_request = DataRequest.objects.filter(reference=reference).first()
    if data_request is None:
        return redirect("privacy:request_new")
    return render(
        request,
        "privacy/request_sent.html",
        {"data_request": data_request, "page_title": "Check your email"},
    )


def request_verify(request, token: str):
    data_request = DataRequest.objects.filter(verification_token=token).first()
    if data_request is None:
        raise Http404("This link is not valid.")
    if request.method == "POST":
        data_request = services.data_request_verify(token=token)
        return render(
            request,
            "privacy/request_verified.html",
            {"data_request": data_request, "page_title": "Request confirmed"},
        )
    return render(
        request,
        "privacy/request_verify.html",
        {
            "data_request": data_request,
            "already": data_request.status != RequestStatus.AWAITING_VERIFICATION,
            "page_title": "Confirm your request",
        },
    )


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookies
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """A CPD mailing's unsubscribe link. GET asks (link checkers and previews follow links);
    POST, from the page's button or the mail client's one-click, records the objection to CPD
    mailings, and nothing else: the person's Work Group mails still go."""
    email = services.email_for_unsubscribe_token(token)
    if email is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        services.mailing_objection_record(email=email, source="unsubscribe link")
        return render(
            request,
            "privacy/unsubscribed.html",
            {"email": email, "page_title": "You will get no more CPD mailings"},
        )
    return render(
        request,
        "privacy/unsubscribe.html",
        {"email": email, "page_title": "Stop CPD mailings"},
    )
