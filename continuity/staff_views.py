"""/staff/continuity/: backups, restore tests and the runbook, for the data protection lead
(and the Maths Hub Lead). MFA is enforced by hubops' StaffMFAMiddleware."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import runbook, selectors, services
from .models import SlaRenewal


def continuity_staff(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_see_continuity(request.user):
            raise PermissionDenied("Only the data protection lead can see this page.")
        return view(request, *args, **kwargs)

    return wrapper


@continuity_staff
def dashboard(request):
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
@require_POST
def sla_renewed(request, pk: int):
    renewal = get_object_or_404(SlaRenewal, pk=pk)
    try:
        services.sla_renewal_mark_renewed(
            renewal_id=renewal.pk, actor=request.user, today=timezone.localdate()
        )
    except services.ContinuityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Marked as renewed: {renewal.sla.leader}.")
    return redirect("continuity_staff:dashboard")


def runbook_page(request):
    """The runbook is for any signed-in member of staff: on a bad day whoever is on call
    reads it. It is also docs/RUNBOOK.md in the repository, to print."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied("The runbook is for hub staff.")
    return render(
        request,
        "continuity/staff/runbook.html",
        {"runbook_html": runbook.as_html(), "page_title": "Runbook: data loss or compromise"},
    )
