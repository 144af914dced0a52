"""Staff complaints pages under /staff/complaints/. Only the people a complaint is routed to,
the SLL and its appeal panel can open it (``selectors.complaint_list``); anyone it is about gets
"Page not found", whatever their roles. Every opening is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hubops import audit, exports, page_cache
from hubops.models import AcademicYear, User
from hubops.personal_data import record_view, views_of
from hubops.roles import has_role
from hubops.staff import gate, get_for_user_or_404, post_action

from . import figures, letters, selectors, services
from .forms import (
    AcknowledgeForm,
    ActionsForm,
    AppealForm,
    CloseForm,
    HoldingForm,
    LetterTemplateForm,
    MakeFormalForm,
    NoteForm,
    PanelForm,
    PolicyVersionForm,
    RespondForm,
    StaffRecordForm,
    SubjectsForm,
)
from .models import Complaint, LetterKind, Source, Status
from .workflow import MACHINE, Facts

complaints_staff = gate(
    selectors.can_use_complaints_area, "Only the people who handle complaints can see this page."
)
#: The annual figures (no personal data): the complaint roles and the Board Chair.
figures_readers = gate(
    selectors.can_see_figures, "The complaint figures are for complaint handlers and the board"
)
NOT_FOUND = "No complaint you can see has this number."


def _complaint(request, pk: int) -> Complaint:
    return get_for_user_or_404(selectors.complaint_get_for_user, request.user, pk, NOT_FOUND)


@complaints_staff
def dashboard(request):
    # Kept whole for its viewer until a complaint changes (or the day does).
    today = timezone.localdate()
    return page_cache.cached_page(
        request, ("complaints",), lambda: _dashboard(request, today), vary=today.isoformat()
    )


def _dashboard(request, today):
    data = selectors.dashboard(
        request.user, today, show=request.GET.get("show", ""), page=request.GET.get("page")
    )
    register = selectors.register_for(request.user)
    log = selectors.page_of_ids(
        register.order_by("-received_on", "-pk").values_list("pk", flat=True),
        register.count(),
        request.GET.get("log_page"),
        50,
    )
    ids = list(log.object_list)
    log.object_list = selectors.rows_for(ids, Complaint.objects.all())
    visible = set(
        selectors.complaint_list(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return render(
        request,
        "complaints/staff/dashboard.html",
        {
            **data,
            "log": log,
            "visible": visible,
            "today": today,
            "can_record": has_role(request.user, *selectors.COMPLAINT_ROLES),
            "can_see_figures": selectors.can_see_figures(request.user),
            "page_title": "Complaints",
        },
    )


@complaints_staff
def log_csv(request):
    """The complaint register without personal details, for the complaint roles (a panel
    member: their own case), never listing a complaint about the viewer."""
    header = [
        "Reference",
        "Received",
        "Stage reached",
        "Status",
        "Outcome",
        "Theme",
        "Late",
        "Acknowledgement due",
        "Acknowledged",
        "Response due",
        "Responded",
        "Appeal due",
        "Appeal decided",
    ]
    rows = []
    for c in selectors.register_for(request.user).order_by("received_on", "pk"):
        rows.append(
            [
                c.reference,
                c.received_on,
                c.stage_reached,
                c.get_status_display(),
                c.get_outcome_display(),
                c.get_about_kind_display(),
                "yes" if c.late else "no",
                c.ack_due_on or "",
                c.acknowledged_on or "",
                c.response_effective_due_on or "",
                c.responded_on or "",
                c.appeal_due_on or "",
                c.appeal_decided_on or "",
            ]
        )
    audit.record(request.user, None, "complaints.log.exported", object_label="complaints log")
    return exports.csv_response(rows, "complaints-log.csv", header)


@complaints_staff
def record_new(request):
    if not has_role(request.user, *selectors.COMPLAINT_ROLES):
        raise PermissionDenied("Only complaint handlers can record a complaint.")
    form = StaffRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("attachments")
        formal = data.pop("formal") == "formal"
        received_on = data.pop("received_on")
        filed = services.complaint_file(
            data=data,
            received_on=received_on,
            formal=formal,
            source=Source.STAFF,
            actor=request.user,
        )
        for name, content in uploads:
            services.attachment_store(data=content, original_name=name, complaint=filed.complaint)
        if selectors.complaint_get_for_user(request.user, filed.complaint.pk) is None:
            messages.success(
                request,
                f"Complaint {filed.complaint.reference} recorded and passed to "
                f"{filed.complaint.get_route_display()}.",
            )
            return redirect("complaints_staff:dashboard")
        messages.success(request, f"Complaint {filed.complaint.reference} recorded.")
        return redirect("complaints_staff:detail", pk=filed.complaint.pk)
    return render(
        request,
        "complaints/staff/record_new.html",
        {"form": form, "page_title": "Record a complaint"},
    )


PREFIXES = {
    "ack_form": "ack",
    "holding_form": "holding",
    "respond_form": "respond",
    "note_form": "note",
    "close_form": "close",
    "formal_form": "formal",
    "subjects_form": "subjects",
    "panel_form": "panel",
    "decide_form": "appeal",
    "actions_form": "actions",
    "appeal_request_form": "appealreq",
}


def _moves(user, c: Complaint, today) -> set[str]:
    """The moves to offer (``MACHINE.available`` for this person's roles). The page leads the
    handler one stage 2 step at a time: while the acknowledgement is due, it is the step."""
    roles = selectors.complaint_roles(user, c)
    names = {m.name for m in MACHINE.available(c.status, roles=roles, subject=Facts(c, today))}
    if "acknowledge" in names:
        names -= {"respond", "send_holding_letter"}
    return names


def _detail_context(request, c: Complaint, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    can_handle = selectors.can_handle(user, c)
    panel_member = selectors.is_panel_member(user, c)
    panel_choices = _panel_choices(c) if c.status == Status.APPEAL else []
    ctx = {
        "c": c,
        "today": today,
        "moves": _moves(user, c, today),
        "records": list(c.records.select_related("author")),
        "attachments": list(c.attachments.all()),
        "letters": list(c.letters.select_related("created_by")),
        "subjects": list(c.subjects.all()),
        "panel": list(c.panel.all()),
        "clocks": selectors.clocks(c),
        "can_handle": can_handle,
        "panel_member": panel_member,
        "viewers": list(views_of(c)[:30]),
        "links_active": c.links.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
        "ack_form": forms.get("ack_form") or AcknowledgeForm(prefix="ack"),
        "holding_form": forms.get("holding_form") or HoldingForm(prefix="holding"),
        "respond_form": forms.get("respond_form") or RespondForm(prefix="respond"),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "close_form": forms.get("close_form") or CloseForm(prefix="close"),
        "formal_form": forms.get("formal_form") or MakeFormalForm(prefix="formal"),
        "subjects_form": forms.get("subjects_form") or SubjectsForm(prefix="subjects"),
        "panel_form": forms.get("panel_form") or PanelForm(choices=panel_choices, prefix="panel"),
        "decide_form": forms.get("decide_form") or RespondForm(prefix="appeal"),
        "actions_form": forms.get("actions_form")
        or ActionsForm(initial={"actions_taken": c.actions_taken}, prefix="actions"),
        "appeal_request_form": forms.get("appeal_request_form") or AppealForm(prefix="appealreq"),
        "error": forms.get("error", ""),
        "page_title": f"Complaint {c.reference}",
    }
    ctx["panel_form"].fields["members"].choices = panel_choices
    return ctx


def _panel_choices(c: Complaint) -> list[tuple[int, str]]:
    involved = services.involved_user_ids(c)
    return [(u.pk, u.full_name or u.email) for u in selectors.panel_candidates(c, involved)]


def _panel_refusal(c: Complaint):
    involved = services.involved_user_ids(c)

    def refusal(value) -> str:
        user = User.objects.filter(pk=int(value)).first() if str(value).isdigit() else None
        return selectors.panel_refusal(c, user, involved) if user is not None else ""

    return refusal


@complaints_staff
def detail(request, pk: int):
    c = _complaint(request, pk)
    record_view(request.user, c)
    return render(request, "complaints/staff/detail.html", _detail_context(request, c))


def _action(request, pk, *, form_class, form_key, run, success, allowed, form_kwargs=None):
    """A move or a change on one complaint: the person must be ``allowed`` (else 403), the form
    valid and the service willing (else the page again, status 400, with what was typed).
    Afterwards, back to the complaint, or to the list when the person can no longer see it
    (they were recorded as its subject, or the appeal they sat on is over)."""
    c = _complaint(request, pk)
    if not allowed(request.user, c):
        raise PermissionDenied("You cannot do this on this complaint.")

    def back(_result) -> str:
        if selectors.complaint_get_for_user(request.user, pk) is not None:
            return reverse("complaints_staff:detail", args=[pk])
        return reverse(
            "complaints_staff:dashboard" if form_key == "subjects_form" else "staff_dashboard"
        )

    return post_action(
        request,
        form=form_class(request.POST, prefix=PREFIXES[form_key], **(form_kwargs or {})),
        run=lambda data: run(c, data),
        success=success,
        redirect_to=back,
        rerender=lambda **kw: render(
            request, "complaints/staff/detail.html", _detail_context(request, c, **kw)
        ),
        form_key=form_key,
    )


def _handler(user, c):
    return selectors.can_handle(user, c)


@require_POST
@complaints_staff
def acknowledge(request, pk: int):
    return _action(
        request,
        pk,
        form_class=AcknowledgeForm,
        form_key="ack_form",
        allowed=_handler,
        success="Acknowledgement letter sent.",
        run=lambda c, d: services.complaint_acknowledge(
            complaint_id=c.pk,
            actor=request.user,
            today=timezone.localdate(),
            delivery=d["delivery"],
        ),
    )


@require_POST
@complaints_staff
def holding(request, pk: int):
    return _action(
        request,
        pk,
        form_class=HoldingForm,
        form_key="holding_form",
        allowed=_handler,
        success="Holding letter sent with the new date.",
        run=lambda c, d: services.complaint_send_holding_letter(
            complaint_id=c.pk,
            actor=request.user,
            today=timezone.localdate(),
            reason=d["reason"],
            new_date=d["new_date"],
            delivery=d["delivery"],
        ),
    )


@require_POST
@complaints_staff
def respond(request, pk: int):
    return _action(
        request,
        pk,
        form_class=RespondForm,
        form_key="respond_form",
        allowed=_handler,
        success="Stage 2 response sent.",
        run=lambda c, d: services.complaint_respond(
            complaint_id=c.pk,
            actor=request.user,
            today=timezone.localdate(),
            outcome=d["outcome"],
            summary=d["summary"],
            delivery=d["delivery"],
        ),
    )


@require_POST
@complaints_staff
def note(request, pk: int):
    return _action(
        request,
        pk,
        form_class=NoteForm,
        form_key="note_form",
        allowed=lambda u, c: selectors.can_handle(u, c) or selectors.is_panel_member(u, c),
        success="Added to the record.",
        run=lambda c, d: services.complaint_add_note(
            complaint_id=c.pk,
            actor=request.user,
            kind=d["kind"],
            body=d["body"],
            visibility=d["visibility"],
        ),
    )


@require_POST
@complaints_staff
def close(request, pk: int):
    return _action(
        request,
        pk,
        form_class=CloseForm,
        form_key="close_form",
        allowed=_handler,
        success="Complaint closed.",
        run=lambda c, d: services.complaint_close(
            complaint_id=c.pk,
            actor=request.user,
            outcome=d["outcome"],
            today=timezone.localdate(),
            note=d["note"],
        ),
    )


@require_POST
@complaints_staff
def make_formal(request, pk: int):
    return _action(
        request,
        pk,
        form_class=MakeFormalForm,
        form_key="formal_form",
        allowed=_handler,
        success="Moved to stage 2: the deadlines are running.",
        run=lambda c, d: services.complaint_make_formal(
            complaint_id=c.pk, actor=request.user, received_on=d["received_on"]
        ),
    )


@require_POST
@complaints_staff
def subjects(request, pk: int):
    def run(c, d):
        users = list(User.objects.filter(pk__in=d["users"]))
        services.complaint_set_subjects(complaint_id=c.pk, actor=request.user, users=users)

    return _action(
        request,
        pk,
        form_class=SubjectsForm,
        form_key="subjects_form",
        allowed=_handler,
        success="Recorded who the complaint is about.",
        run=run,
    )


@require_POST
@complaints_staff
def panel(request, pk: int):
    def run(c, d):
        users = list(User.objects.filter(pk__in=d["members"]))
        services.complaint_set_panel(complaint_id=c.pk, actor=request.user, members=users)

    c = _complaint(request, pk)
    return _action(
        request,
        pk,
        form_class=PanelForm,
        form_key="panel_form",
        allowed=lambda u, c: selectors.can_convene_panel(u, c),
        success="Appeal panel convened.",
        run=run,
        form_kwargs={"choices": _panel_choices(c), "refusal": _panel_refusal(c)},
    )


@require_POST
@complaints_staff
def decide(request, pk: int):
    return _action(
        request,
        pk,
        form_class=RespondForm,
        form_key="decide_form",
        allowed=selectors.is_panel_member,
        success="The panel's final decision was sent.",
        run=lambda c, d: services.complaint_decide_appeal(
            complaint_id=c.pk,
            actor=request.user,
            today=timezone.localdate(),
            outcome=d["outcome"],
            summary=d["summary"],
            delivery=d["delivery"],
        ),
    )


@require_POST
@complaints_staff
def appeal_request(request, pk: int):
    """An appeal that arrived by letter or email, recorded by the handler."""
    return _action(
        request,
        pk,
        form_class=AppealForm,
        form_key="appeal_request_form",
        allowed=_handler,
        success="Appeal recorded: the Lead School has been asked to convene a panel.",
        run=lambda c, d: services.complaint_request_appeal(
            complaint_id=c.pk,
            today=timezone.localdate(),
            grounds=d["grounds"],
            actor=request.user,
        ),
    )


@require_POST
@complaints_staff
def actions(request, pk: int):
    return _action(
        request,
        pk,
        form_class=ActionsForm,
        form_key="actions_form",
        allowed=_handler,
        success="Saved what the hub changed.",
        run=lambda c, d: services.complaint_set_actions(
            complaint_id=c.pk, actor=request.user, actions_taken=d["actions_taken"]
        ),
    )


@require_POST
@complaints_staff
def links_revoke(request, pk: int):
    c = _complaint(request, pk)
    if not selectors.can_handle(request.user, c):
        raise PermissionDenied("You cannot do this on this complaint.")
    services.link_revoke(complaint_id=c.pk, actor=request.user)
    messages.success(request, "The complainant's private links no longer work.")
    return redirect("complaints_staff:detail", pk=pk)


@require_POST
@complaints_staff
def links_new(request, pk: int):
    c = _complaint(request, pk)
    if not selectors.can_handle(request.user, c):
        raise PermissionDenied("You cannot do this on this complaint.")
    services.link_send_new(complaint_id=c.pk, actor=request.user)
    messages.success(
        request,
        "A new private link was emailed to the complainant."
        if c.email
        else "A new link was made; the complainant has no email address, so send it by post.",
    )
    return redirect("complaints_staff:detail", pk=pk)


@complaints_staff
def attachment(request, pk: int, attachment_id: int):
    c = _complaint(request, pk)
    item = c.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404("No such attachment.")
    audit.record(request.user, c, "complaints.attachment.downloaded", data={"attachment": item.pk})
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@complaints_staff
def letter(request, pk: int, letter_id: int):
    c = _complaint(request, pk)
    item = c.letters.filter(pk=letter_id).first()
    if item is None:
        raise Http404("No such letter.")
    audit.record(request.user, c, "complaints.letter.downloaded", data={"letter": item.pk})
    return FileResponse(
        item.pdf.open("rb"),
        as_attachment=True,
        filename=f"{c.reference}-{item.kind}.pdf",
        content_type="application/pdf",
    )


# Letter templates, the policy and the annual figures -----------------------------------------


letter_editors = gate(
    selectors.can_manage_policy, "Only complaint handlers can edit letter templates."
)
policy_editors = gate(
    selectors.can_manage_policy,
    "Only complaint handlers (the Maths Hub Lead, the Senior Leadership Link and complaints "
    "handlers) can publish the complaints policy.",
)


@letter_editors
def letter_templates(request):
    rows = [(k, services.letter_template(k)) for k in LetterKind.values]
    return render(
        request,
        "complaints/staff/letter_templates.html",
        {"rows": rows, "page_title": "Letter templates"},
    )


@letter_editors
def letter_template_edit(request, kind: str):
    if kind not in LetterKind.values:
        raise Http404("No such letter.")
    template = services.letter_template(kind)
    form = LetterTemplateForm(
        request.POST or None, initial={"subject": template.subject, "body": template.body}
    )
    preview = ""
    if request.method == "POST" and form.is_valid():
        services.letter_template_save(
            kind=kind,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            actor=request.user,
        )
        messages.success(request, f"{LetterKind(kind).label} letter saved.")
        return redirect("complaints_staff:letter_templates")
    try:
        example = Complaint(
            reference="CMP-EXAMPLE1", full_name="Sam Example", received_on=timezone.localdate()
        )
        body = form.data.get("body", template.body) if form.is_bound else template.body
        preview = letters.render(
            body,
            services.letter_context(
                example, {"outcome": "Partly upheld", "summary": "(The findings go here.)"}
            ),
        )
    except letters.LetterTemplateError:
        preview = ""
    return render(
        request,
        "complaints/staff/letter_template_edit.html",
        {
            "form": form,
            "kind_label": LetterKind(kind).label,
            "placeholders": letters.PLACEHOLDERS,
            "preview": preview,
            "page_title": f"Edit the {LetterKind(kind).label.lower()} letter",
        },
    )


@figures_readers
def learning(request):
    years = list(AcademicYear.objects.order_by("-starts_on"))
    chosen = request.GET.get("year") or (years[0].name if years else "")
    data = figures.annual_figures(chosen) if chosen else None
    return render(
        request,
        "complaints/staff/figures.html",
        {
            "years": years,
            "chosen": chosen,
            "f": data,
            "charts": figures.figure_charts(data) if data else [],
            "policy": selectors.policy_current(),
            "can_manage_policy": selectors.can_manage_policy(request.user),
            "page_title": "Complaints: annual figures and policy review",
        },
    )


@figures_readers
def learning_pdf(request):
    year = request.GET.get("year", "")
    if not AcademicYear.objects.filter(name=year).exists():
        raise Http404("No such academic year.")
    content = figures.figures_pdf(year)
    audit.record(request.user, None, "complaints.figures.exported", object_label=year)
    response = HttpResponse(content, content_type="application/pdf")
    safe = year.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="complaints-figures-{safe}.pdf"'
    return response


# The complaints policy -----------------------------------------------------------------------


def _policy_page(request, form, error: str = "") -> HttpResponse:
    return render(
        request,
        "complaints/staff/policy.html",
        {
            "versions": list(selectors.policy_versions()),
            "current": selectors.policy_current(),
            "form": form,
            "error": error,
            "page_title": "Complaints policy versions",
        },
    )


@policy_editors
def policy(request):
    """Every version of the policy, the current one marked, and a form to publish the next."""
    if request.method != "POST":
        return _policy_page(request, PolicyVersionForm())
    return post_action(
        request,
        form=PolicyVersionForm(request.POST),
        run=lambda d: services.policy_version_add(
            actor=request.user,
            today=timezone.localdate(),
            body=d["body"],
            approved_on=d["approved_on"],
            review_due_on=d["review_due_on"],
        ),
        success=lambda p: f"Version {p.version} of the complaints policy is now current.",
        redirect_to=reverse("complaints_staff:policy"),
        rerender=lambda **kw: _policy_page(request, kw["form"], kw.get("error", "")),
    )
