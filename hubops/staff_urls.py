"""/staff/: the staff pages. Each app adds its own under a prefix here."""

from django.urls import include, path

from . import staff_views, sweeps_views

urlpatterns = [
    path("", staff_views.dashboard, name="staff_dashboard"),
    path("search/", staff_views.search, name="staff_search"),
    path("sweeps/", sweeps_views.sweep_list, name="staff_sweeps"),
    path("sweeps/<slug:name>/run/", sweeps_views.sweep_run_now, name="staff_sweep_run"),
    path("calendar/", staff_views.calendar_years, name="staff_calendar"),
    path(
        "calendar/<int:year_id>/new/", staff_views.calendar_period, name="staff_calendar_period_new"
    ),
    path(
        "calendar/<int:year_id>/<int:pk>/",
        staff_views.calendar_period,
        name="staff_calendar_period",
    ),
    path(
        "calendar/<int:year_id>/<int:pk>/remove/",
        staff_views.calendar_period_delete,
        name="staff_calendar_period_delete",
    ),
    path("governance/", include("governance.staff_urls")),
    path("workgroups/", include("workgroups.staff_urls")),
    path("privacy/", include("privacy.staff_urls")),
    path("complaints/", include("complaints.staff_urls")),
    path("reports/", include("reports.staff_urls")),
    path("continuity/", include("continuity.staff_urls")),
]
