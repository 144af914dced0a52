"""/staff/continuity/: backups, restore tests and the runbook, for the data protection lead
(and the Maths Hub Lead). MFA is enforced by hubops' StaffMFAMiddleware."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from . import runbook, selectors


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
            "page_title": "Backups and continuity",
        },
    )


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
