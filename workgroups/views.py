"""Public Work Groups pages: the catalogue, a group's page, registering, My Work Groups.
Thin: services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hubops import idempotency, ratelimit
from hubops.models import School

from . import caching, certificates, selectors, services, workflow
from .forms import (
    CatalogueFilterForm,
    ColleagueForm,
    DetailsForm,
    EvaluationForm,
    SchoolChoiceForm,
    SchoolSearchForm,
)
from .models import Invitation, ParticipantEvaluation, Registration, RegStatus, WorkGroup

PAGE_SIZE = 25
PAGE_TTL = 300
REGISTER_SCOPE = "workgroups.register"
OFFER_SCOPE = "workgroups.offer"


def _shared(request, key: str, build) -> HttpResponse:
    """The page under ``key``, built once for each audience (anonymous, signed in, staff) and
    served to everyone in it from the cache (see :mod:`workgroups.caching`); a visitor with a
    message waiting gets it built for them alone."""
    who = caching.audience(request)
    if who is None:
        return HttpResponse(build())
    return HttpResponse(caching.versioned(f"page:{who}:{key}", build, PAGE_TTL))


def index(request):
    today = timezone.localdate()
    # "Open for registration now" depends on the day: a copy never outlives it.
    key = f"index:{today.isoformat()}:{request.GET.urlencode()}"

    def catalogue() -> str:
        choices = selectors.filter_choices()
        form = CatalogueFilterForm(
            request.GET or None, projects=choices["projects"], las=choices["las"]
        )
        data = form.cleaned_data if form.is_valid() else {}
        filters = selectors.CatalogueFilters(
            phase=data.get("phase", ""),
            project=data.get("project", ""),
            format=data.get("format", ""),
            la=data.get("la", ""),
            open_only=bool(data.get("open")),
        )
        page = selectors.catalogue_page(filters, today, request.GET.get("page"), PAGE_SIZE)
        query = request.GET.copy()
        query.pop("page", None)
        return render_to_string(
            "workgroups/_catalogue.html",
            {
                "form": form,
                "page": page,
                "groups": [(g, selectors.places_left(g)) for g in page.object_list],
                "query": query.urlencode(),
            },
        )

    def build() -> str:
        return render_to_string(
            "workgroups/workgroup_list.html",
            {
                # The same for every visitor: built once for the three audiences' pages.
                "catalogue": mark_safe(  # noqa: S308 - our own rendered template
                    caching.versioned(f"fragment:{key}", catalogue, PAGE_TTL)
                ),
                "page_title": "Work Groups",
            },
            request=request,
        )

    return _shared(request, key, build)


def detail(request, code: str):
    def build() -> str:
        group = selectors.group_get_public(code)
        if group is None:
            raise Http404("No Work Group with that code is published.")
        return render_to_string(
            "workgroups/workgroup_detail.html",
            {
                "group": group,
                "places_left": selectors.places_left(group),
                "who_can_join": selectors.who_can_join(group),
                "page_title": group.title,
            },
            request=request,
        )

    # The cache is looked up before the group is read: a hit costs no query for the group.
    return _shared(request, f"detail:{code}", build)


# -- registering --------------------------------------------------------------------------------


def _flow(request, group: WorkGroup) -> dict:
    return request.session.setdefault(f"wg-register-{group.pk}", {})


def _save_flow(request, group: WorkGroup, **values) -> None:
    flow = _flow(request, group)
    flow.update(values)
    request.session[f"wg-register-{group.pk}"] = flow
    request.session.modified = True


def _open_group(code: str) -> WorkGroup:
    group = selectors.group_get_public(code)
    if group is None:
        raise Http404("No Work Group with that code is published.")
    return group


def _reasons(request, group: WorkGroup, school: School) -> list[str]:
    facts = selectors.eligibility_facts(
        group, email=request.user.email, user_id=request.user.pk, school=school
    )
    return workflow.eligibility(facts, timezone.localdate())


@login_required
def register_school(request, code: str):
    group = _open_group(code)
    search = SchoolSearchForm(request.GET or None)
    schools = selectors.school_search(search.cleaned_data["q"]) if search.is_valid() else []
    choice = SchoolChoiceForm(request.POST if request.method == "POST" else None, schools=schools)
    if request.method == "POST" and choice.is_valid():
        school = School.objects.open().filter(pk=choice.cleaned_data["school"]).first()
        if school is None:
            choice.add_error("school", "Choose your school from the list.")
        else:
            reasons = _reasons(request, group, school)
            if reasons:
                return render(
                    request,
                    "workgroups/register_ineligible.html",
                    {
                        "group": group,
                        "school": school,
                        "reasons": reasons,
                        "page_title": "Your school cannot register",
                    },
                )
            _save_flow(request, group, school_id=school.pk)
            return redirect("workgroups:register_details", code=group.code)
    return render(
        request,
        "workgroups/register_school.html",
        {
            "group": group,
            "search": search,
            "choice": choice,
            "schools": schools,
            "searched": search.is_bound,
            "page_title": "Find your school",
        },
    )


@login_required
def register_details(request, code: str):
    group = _open_group(code)
    flow = _flow(request, group)
    if "school_id" not in flow:
        return redirect("workgroups:register_school", code=code)
    form = DetailsForm(
        request.POST if request.method == "POST" else None,
        initial={"role_at_school": flow.get("role", "")},
    )
    if request.method == "POST" and form.is_valid():
        _save_flow(request, group, role=form.cleaned_data["role_at_school"], privacy=True)
        return redirect("workgroups:register_check", code=code)
    return render(
        request,
        "workgroups/register_details.html",
        {
            "group": group,
            "form": form,
            "page_title": "Your role",
        },
    )


@login_required
def register_check(request, code: str):
    group = _open_group(code)
    key = idempotency.read(request.POST, REGISTER_SCOPE) if request.method == "POST" else None
    if existing := idempotency.find(Registration, key, user=request.user, work_group=group):
        # A double click, a retry or a resubmit from the browser's history.
        request.session.pop(f"wg-register-{group.pk}", None)
        return redirect("workgroups:confirmation", reference=existing.reference)
    flow = _flow(request, group)
    if "school_id" not in flow or "role" not in flow:
        return redirect("workgroups:register_school", code=code)
    school = get_object_or_404(School, pk=flow["school_id"])
    if request.method == "POST":
        try:
            reg, _ = idempotency.create_once(
                Registration,
                key,
                lambda: services.registration_create(
                    group_id=group.pk,
                    user=request.user,
                    school_id=school.pk,
                    role_at_school=flow["role"],
                    today=timezone.localdate(),
                    privacy_notice_version=services.current_privacy_version(),
                    submission_key=key,
                ),
                also=(workflow.NotEligible,),
                user=request.user,
                work_group=group,
            )
        except workflow.NotEligible as exc:
            return render(
                request,
                "workgroups/register_ineligible.html",
                {
                    "group": group,
                    "school": school,
                    "reasons": exc.reasons,
                    "page_title": "Your school cannot register",
                },
            )
        request.session.pop(f"wg-register-{group.pk}", None)
        return redirect("workgroups:confirmation", reference=reg.reference)
    return render(
        request,
        "workgroups/register_check.html",
        {
            "group": group,
            "school": school,
            "role": flow["role"],
            "submission_key": idempotency.issue(REGISTER_SCOPE),
            "page_title": "Check your answers",
        },
    )


def _own_registration(request, **lookup) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("work_group", "school"), user=request.user, **lookup
    )


@login_required
def confirmation(request, reference: str):
    reg = _own_registration(request, reference=reference)
    form = ColleagueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The invitation emails the address typed in: limited per teacher and per recipient.
        if ratelimit.mail_form_over_limit(
            request, to=[form.cleaned_data["email"]], who=f"user:{request.user.pk}"
        ):
            return ratelimit.too_many(request)
        try:
            services.colleague_invite(
                registration_id=reg.pk, actor=request.user, email=form.cleaned_data["email"]
            )
        except workflow.WorkGroupError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request, f"We have emailed {form.cleaned_data['email']} a link to register."
            )
            return redirect("workgroups:confirmation", reference=reference)
    school_count = (
        reg.work_group.registrations.filter(school=reg.school, status__in=[*RegStatus.values])
        .exclude(status__in=[RegStatus.WITHDRAWN, RegStatus.DECLINED])
        .count()
    )
    return render(
        request,
        "workgroups/registration_confirmation.html",
        {
            "reg": reg,
            "form": form,
            "can_invite": school_count < reg.work_group.places_per_school
            and reg.status not in (RegStatus.WITHDRAWN, RegStatus.DECLINED),
            "page_title": "Registration received",
        },
    )


@login_required
def invitation(request, token: str):
    inv = get_object_or_404(Invitation.objects.select_related("work_group", "school"), token=token)
    group = inv.work_group
    if inv.email and inv.email.lower() != request.user.email.lower():
        return render(
            request,
            "workgroups/invitation_wrong_person.html",
            {
                "group": group,
                "page_title": "This invitation is for someone else",
            },
            status=403,
        )
    if inv.school_id:
        _save_flow(request, group, school_id=inv.school_id)
        reasons = _reasons(request, group, inv.school)
        if reasons:
            return render(
                request,
                "workgroups/register_ineligible.html",
                {
                    "group": group,
                    "school": inv.school,
                    "reasons": reasons,
                    "page_title": "Your school cannot register",
                },
            )
        return redirect("workgroups:register_details", code=group.code)
    return redirect("workgroups:register_school", code=group.code)


# -- My Work Groups -----------------------------------------------------------------------------


@login_required
def mine(request):
    regs = list(selectors.registrations_for_user(request.user))
    rows = [
        (r, r.status == RegStatus.COMPLETED and selectors.meets_completion_rule(r)) for r in regs
    ]
    return render(
        request,
        "workgroups/registration_mine.html",
        {
            "rows": rows,
            "withdrawable_from": workflow.REGISTRATION.get("withdraw").sources,
            "page_title": "My Work Groups",
        },
    )


@login_required
def withdraw(request, pk: int):
    """Are you sure? GET asks; only a POST withdraws. A second POST (a double click, a reload)
    finds the registration already withdrawn and says so again: one withdrawal, one email."""
    reg = _own_registration(request, pk=pk)
    done = f"You have withdrawn from {reg.work_group.code}."
    if request.method != "POST":
        if workflow.REGISTRATION.reasons("withdraw", reg.status):
            return redirect("workgroups:mine")
        return render(
            request,
            "workgroups/withdraw_confirm.html",
            {
                "reg": reg,
                "waiting": reg.status == RegStatus.WAITING,
                "page_title": f"Withdraw from {reg.work_group.code}",
            },
        )
    if reg.status == RegStatus.WITHDRAWN:
        messages.success(request, done)
        return redirect("workgroups:mine")
    try:
        services.registration_withdraw(
            registration_id=reg.pk, actor=request.user, today=timezone.localdate()
        )
    except workflow.WorkGroupError as exc:
        reg.refresh_from_db(fields=["status"])
        if reg.status == RegStatus.WITHDRAWN:  # the other click won the lock
            messages.success(request, done)
        else:
            messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("workgroups:mine")


@login_required
@require_POST
def accept_offer(request, pk: int):
    reg = _own_registration(request, pk=pk)
    key = idempotency.read(request.POST, OFFER_SCOPE)
    try:
        idempotency.create_once(
            Registration,
            key,
            lambda: services.offer_accept(
                registration_id=reg.pk,
                actor=request.user,
                today=timezone.localdate(),
                accept_key=key,
            ),
            field="offer_accept_key",
            also=(workflow.WorkGroupError,),
            pk=reg.pk,
        )
    except workflow.WorkGroupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You have accepted the place in {reg.work_group.code}.")
    return redirect("workgroups:mine")


@login_required
def certificate(request, pk: int):
    """The participant's certificate: issued and stored the first time, the same file after."""
    reg = _own_registration(request, pk=pk)
    try:
        issued = certificates.certificate_issue(
            registration_id=reg.pk, actor=request.user, today=timezone.localdate()
        )
    except certificates.CertificateNotAvailable as exc:
        raise Http404(str(exc)) from None
    with issued.file.open("rb") as stored:
        pdf = stored.read()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{reg.reference}.pdf"'
    return response


@login_required
def evaluation(request, pk: int):
    reg = _own_registration(request, pk=pk)
    if reg.status not in (RegStatus.CONFIRMED, RegStatus.COMPLETED):
        raise Http404("Only participants can evaluate a Work Group.")
    existing = ParticipantEvaluation.objects.filter(registration=reg).first()
    form = EvaluationForm(request.POST if request.method == "POST" else None, instance=existing)
    if request.method == "POST" and form.is_valid():
        answers = {k: form.cleaned_data[k] for k in form.Meta.fields}
        services.evaluation_submit(registration_id=reg.pk, actor=request.user, answers=answers)
        messages.success(request, "Thank you: your evaluation has been sent to the hub.")
        return redirect("workgroups:mine")
    return render(
        request,
        "workgroups/evaluation_form.html",
        {
            "reg": reg,
            "form": form,
            "page_title": "Evaluate your Work Group",
        },
    )
