"""/staff/continuity/: backups, restore tests and the runbook, for the data protection lead
(and the Maths Hub Lead). MFA is enforced by hubops' StaffMFAMiddleware."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hubops.staff import gate, get_for_user_or_404, post_action

from . import handover_services, runbook, selectors

continuity_staff = gate(
    selectors.can_see_continuity, "Only the data protection lead can see this page."
)
any_staff = gate(lambda user: bool(user.is_staff), "The runbook is for hub staff.")


def _dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "continuity/staff/dashboard.html",
        {
            "status": selectors.continuity_status(timezone.now()),
            "runs": list(selectors.runs_recent()),
            "renewals": list(selectors.sla_renewals_open()),
            "page_title": "Backups and continuity",
        },
    )


@continuity_staff
def dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard(request)


@continuity_staff
@require_POST
def sla_renewed(request: HttpRequest, pk: int) -> HttpResponse:
    renewal = get_for_user_or_404(
        selectors.sla_renewal_get_for_user, request.user, pk, "No SLA renewal has this number."
    )
    return post_action(
        request,
        form=None,
        run=lambda _data: handover_services.sla_renewal_mark_renewed(
            renewal_id=renewal.pk, actor=request.user, today=timezone.localdate()
        ),
        success=f"Marked as renewed: {renewal.sla.leader}.",
        redirect_to="continuity_staff:dashboard",
        # The one button is on the dashboard: a refusal shows it again, with the reason.
        rerender=lambda **_: _dashboard(request),
    )


@any_staff
def runbook_page(request: HttpRequest) -> HttpResponse:
    """The runbook is for any signed-in member of staff: on a bad day whoever is on call
    reads it. It is also docs/RUNBOOK.md in the repository, to print."""
    return render(
        request,
        "continuity/staff/runbook.html",
        {"runbook_html": runbook.as_html(), "page_title": "Runbook: data loss or compromise"},
    )
