"""``/staff/sweeps/``: the reminder sweeps beat runs, when each last ran, and a button to run one
now (hub staff and the MHL). Running early is safe: every reminder is claimed once
(``hubops.reminders``), so nothing is ever sent twice."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from .reminders import sweep_run, sweeps
from .roles import Role
from .staff import role_required

sweep_runners = role_required(
    Role.HUB_STAFF,
    Role.MHL,
    message="Only hub staff and the Maths Hub Lead can run the reminder sweeps.",
)


@sweep_runners
def sweep_list(request):
    found = sweeps()
    last_runs = dict(
        PeriodicTask.objects.filter(name__in=list(found)).values_list("name", "last_run_at")
    )
    rows = [{"sweep": sweep, "last_run_at": last_runs.get(name)} for name, sweep in found.items()]
    return render(
        request,
        "hubops/staff_sweeps.html",
        {"rows": rows, "page_title": "Reminder sweeps"},
    )


@require_POST
@sweep_runners
def sweep_run_now(request, name: str):
    try:
        summary = sweep_run(name=name, actor=request.user)
    except LookupError as error:
        messages.error(request, str(error))
        return redirect("staff_sweeps")
    description = sweeps()[name].description
    messages.success(request, f"{description.split(':')[0]} sweep run: {summary}.")
    return redirect("staff_sweeps")
