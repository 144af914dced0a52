"""Public complaints pages: the procedure, the formal complaint form (who it is about, the
details, check your answers, confirmation with a PDF copy), the short informal form, the DfE
redirection, and the complainant's private link."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hubops import idempotency, ratelimit

from . import services
from .forms import AppealForm, ComplaintForm, InformalForm, InformationForm, WhoForm
from .models import (
    AboutKind,
    Attachment,
    Complaint,
    Concerns,
    Letter,
    PolicyVersion,
    Relationship,
    Source,
    Visibility,
)

DRAFT = "complaints_draft"
SENT = "complaints_sent"
REDIRECTED = "complaints_redirected"
FORMAL_SCOPE = "complaints.formal"
CONCERN_SCOPE = "complaints.concern"


def rate_limited(request, bucket: str, limit: int, period: int = 3600) -> bool:
    """Count this request against a per-address limit (``hubops.ratelimit``)."""
    return ratelimit.over_limit(request, f"complaints:{bucket}", per_address=limit, period=period)


def _mail_limited(request, email: str, key: str | None) -> bool:
    """The complaint forms email the address typed in: limited per address and recipient,
    with the hub's other public forms, and by the complaints' own hourly limit. Copies of one
    submission (its one-time key) count once."""
    limit = int(settings.COMPLAINTS_SUBMISSIONS_PER_HOUR)

    def decide() -> bool:
        over = ratelimit.mail_form_over_limit(request, to=[email])
        return rate_limited(request, "submit", limit) or over

    return ratelimit.once_per_submission(key, 3600, decide)


def _too_many(request):
    return ratelimit.too_many(request)


def _honeypot_tripped(request) -> bool:
    return bool(request.POST.get("website", "").strip())


def _thanks(request):
    """What a bot (or a form filled in by autofill) sees: polite, and nothing is kept."""
    return render(request, "complaints/thanks.html", {"page_title": "Thank you"})


def index(request):
    return render(
        request,
        "complaints/index.html",
        {
            "page_title": "Complaints",
            "policy": PolicyVersion.objects.order_by("-version").first(),
            "dfe_email": settings.HUBOPS_DFE_CONTACT_EMAIL,
            "appeal_weeks": settings.COMPLAINTS_APPEAL_WINDOW_SCHOOL_WEEKS,
        },
    )


# The formal complaint form ------------------------------------------------------------------


def _draft(request) -> dict:
    return request.session.get(DRAFT) or {}


def who(request):
    form = WhoForm(request.POST or None, initial={"concerns": _draft(request).get("concerns")})
    if request.method == "POST" and form.is_valid():
        concerns = form.cleaned_data["concerns"]
        if concerns == Concerns.LEAD_SCHOOL:
            return _redirect_to_dfe(request)
        draft = _draft(request)
        draft["concerns"] = concerns
        request.session[DRAFT] = draft
        return redirect("complaints:details")
    return render(
        request,
        "complaints/complaint_who.html",
        {"form": form, "page_title": "Who or what is your complaint about?"},
    )


def _redirect_to_dfe(request):
    """Someone chose "the Lead School" on a form (a POST): record the redirection once per
    visit, then show them where to go. Opening the DfE page itself records nothing."""
    if not request.session.get(REDIRECTED):
        services.complaint_redirect_to_dfe(today=timezone.localdate())
        request.session[REDIRECTED] = True
    return redirect("complaints:dfe")


def dfe(request):
    """About the Lead School itself: not taken in; the person is told to go to the DfE."""
    return render(
        request,
        "complaints/dfe.html",
        {
            "page_title": "Complaints about the Lead School",
            "dfe_email": settings.HUBOPS_DFE_CONTACT_EMAIL,
        },
    )


def _initial_from_draft(draft: dict) -> dict:
    initial = dict(draft.get("data") or {})
    if initial.get("issue_date"):
        initial["issue_date"] = date.fromisoformat(initial["issue_date"])
    return initial


def details(request):
    draft = _draft(request)
    if not draft.get("concerns"):
        return redirect("complaints:who")
    if request.method == "POST":
        if _honeypot_tripped(request):
            return _thanks(request)
        form = ComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            uploads = data.pop("attachments")
            if uploads:
                if rate_limited(request, "upload", 30):
                    return _too_many(request)
                key = draft.get("key") or secrets.token_hex(16)
                Attachment.objects.filter(draft_key=key, complaint__isnull=True).delete()
                for name, content in uploads:
                    services.store_attachment(data=content, original_name=name, draft_key=key)
                draft["key"] = key
            data["issue_date"] = data["issue_date"].isoformat()
            draft["data"] = data
            request.session[DRAFT] = draft
            return redirect("complaints:check")
    else:
        form = ComplaintForm(initial=_initial_from_draft(draft))
    return render(
        request,
        "complaints/complaint_form.html",
        {
            "form": form,
            "concerns_label": Concerns(draft["concerns"]).label,
            "kept": _draft_files(draft),
            "page_title": "Make a formal complaint",
        },
    )


def _draft_files(draft: dict) -> list[Attachment]:
    key = draft.get("key")
    if not key:
        return []
    return list(Attachment.objects.filter(draft_key=key, complaint__isnull=True))


def _show_sent(request, complaint: Complaint, token: str | None):
    request.session[SENT] = {"pk": complaint.pk, "token": token}
    return redirect("complaints:sent")


def _token_of_existing(complaint: Complaint, key: str) -> str | None:
    token = services.follow_token_for_submission(key)
    # None if the link was revoked since: the confirmation then shows the rest.
    return token if services.complaint_for_token(token) == complaint else None


def _already_sent(request, key: str | None):
    """The confirmation of the complaint this submission key already made, if any: a double
    click, a retry or a resubmit from the browser's history shows it again."""
    existing = idempotency.find(Complaint, key)
    if existing is None:
        return None
    request.session.pop(DRAFT, None)
    return _show_sent(request, existing, _token_of_existing(existing, key))


def _file(key: str | None, **kwargs) -> tuple[Complaint, str | None]:
    """File the complaint once per submission key: the complaint and its private-link token
    (the one a concurrent copy of this submission stored, if that copy won)."""
    made: dict[str, str] = {}

    def create() -> Complaint:
        filed = services.complaint_file(**kwargs, submission_key=key)
        made["token"] = filed.token
        return filed.complaint

    complaint, created = idempotency.create_once(Complaint, key, create)
    if created:
        return complaint, made["token"]
    return complaint, _token_of_existing(complaint, key)


def check(request):
    key = idempotency.read(request.POST, FORMAL_SCOPE) if request.method == "POST" else None
    if key and (done := _already_sent(request, key)):
        return done
    draft = _draft(request)
    data = draft.get("data")
    if not draft.get("concerns") or not data:
        return redirect("complaints:who")
    if request.method == "POST":
        if _mail_limited(request, data.get("email", ""), key):
            return _too_many(request)
        payload = {**data, "concerns": draft["concerns"]}
        payload["issue_date"] = date.fromisoformat(data["issue_date"])
        complaint, token = _file(
            key,
            data=payload,
            received_on=timezone.localdate(),
            formal=True,
            source=Source.FORM,
            draft_key=draft.get("key", ""),
        )
        request.session.pop(DRAFT, None)
        return _show_sent(request, complaint, token)
    return render(
        request,
        "complaints/complaint_check.html",
        {
            "d": data,
            "issue_date": date.fromisoformat(data["issue_date"]),
            "concerns_label": Concerns(draft["concerns"]).label,
            "relationship_label": Relationship(data["relationship"]).label,
            "about_label": AboutKind(data["about_kind"]).label,
            "files": _draft_files(draft),
            "submission_key": idempotency.issue(FORMAL_SCOPE),
            "page_title": "Check your answers before sending your complaint",
        },
    )


def _sent_complaint(request):
    sent = request.session.get(SENT)
    if not sent:
        return None, None
    return Complaint.objects.filter(pk=sent["pk"]).first(), sent.get("token")


@never_cache
def sent(request):
    complaint, token = _sent_complaint(request)
    if complaint is None:
        return redirect("complaints:index")
    return render(
        request,
        "complaints/complaint_sent.html",
        {
            "c": complaint,
            "follow_url": services.follow_url(token) if token else "",
            "follow_path": reverse("complaints:follow", args=[token]) if token else "",
            "page_title": "Complaint sent" if complaint.formal_on else "Concern sent",
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def sent_copy(request):
    complaint, _ = _sent_complaint(request)
    if complaint is None:
        raise Http404("There is no complaint to copy in this browser session.")
    return _pdf_response(services.copy_pdf(complaint), f"complaint-{complaint.reference}.pdf")


# The informal concern ------------------------------------------------------------------------


def concern(request):
    form = InformalForm(request.POST or None)
    if request.method == "POST":
        if _honeypot_tripped(request):
            return _thanks(request)
        key = idempotency.read(request.POST, CONCERN_SCOPE)
        if key and (done := _already_sent(request, key)):
            return done
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data["concerns"] == Concerns.LEAD_SCHOOL:
                return _redirect_to_dfe(request)
            if _mail_limited(request, data["email"], key):
                form.add_error(None, ratelimit.TOO_MANY)
                return render(
                    request,
                    "complaints/concern_form.html",
                    {
                        "form": form,
                        "submission_key": idempotency.for_page(request.POST, CONCERN_SCOPE),
                        "page_title": "Raise a concern",
                    },
                    status=429,
                )
            complaint, token = _file(
                key,
                data=data,
                received_on=timezone.localdate(),
                formal=False,
                source=Source.INFORMAL_FORM,
            )
            return _show_sent(request, complaint, token)
    return render(
        request,
        "complaints/concern_form.html",
        {
            "form": form,
            "submission_key": idempotency.for_page(request.POST, CONCERN_SCOPE),
            "page_title": "Raise a concern",
        },
    )


# The private link ----------------------------------------------------------------------------


def _by_token(request, token: str):
    if rate_limited(request, "token", 120, 600):
        return None, _too_many(request)
    complaint = services.complaint_for_token(token)
    if complaint is None:
        return None, render(
            request,
            "complaints/link_invalid.html",
            {"page_title": "This link does not work"},
            status=404,
        )
    return complaint, None


@never_cache
def follow(request, token: str, info_form=None, appeal_form=None):
    complaint, error = _by_token(request, token)
    if error:
        return error
    today = timezone.localdate()
    page_title = "Your complaint " + complaint.reference
    return render(
        request,
        "complaints/follow.html",
        {
            "c": complaint,
            "token": token,
            "records": complaint.records.filter(visibility=Visibility.SHARED),
            "letters": complaint.letters.all(),
            "appeal_open": services.appeal_open(complaint, today),
            "info_form": info_form or InformationForm(),
            "appeal_form": appeal_form or AppealForm(),
            "page_title": page_title,
        },
    )


@require_POST
def follow_add(request, token: str):
    complaint, error = _by_token(request, token)
    if error:
        return error
    if rate_limited(request, "add", int(settings.HUBOPS_MAIL_FORMS_PER_ADDRESS)):
        return _too_many(request)
    form = InformationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complaint_add_information(
                complaint_id=complaint.pk,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except services.ComplaintError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Thank you: we have added your information to the complaint.")
            return redirect("complaints:follow", token=token)
    return follow(request, token, info_form=form)


@require_POST
def follow_appeal(request, token: str):
    complaint, error = _by_token(request, token)
    if error:
        return error
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_request_appeal(
                complaint_id=complaint.pk,
                today=timezone.localdate(),
                grounds=form.cleaned_data["grounds"],
            )
        except services.ComplaintError as exc:
            form.add_error("grounds", str(exc))
        else:
            messages.success(
                request,
                "Your appeal has been sent to the Lead School. A panel will respond in writing.",
            )
            return redirect("complaints:follow", token=token)
    return follow(request, token, appeal_form=form)


def follow_letter(request, token: str, letter_id: int):
    complaint, error = _by_token(request, token)
    if error:
        return error
    letter = Letter.objects.filter(complaint=complaint, pk=letter_id).first()
    if letter is None:
        raise Http404("No such letter.")
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"{complaint.reference}-{letter.kind}.pdf",
        content_type="application/pdf",
    )


def follow_copy(request, token: str):
    complaint, error = _by_token(request, token)
    if error:
        return error
    return _pdf_response(services.copy_pdf(complaint), f"complaint-{complaint.reference}.pdf")
