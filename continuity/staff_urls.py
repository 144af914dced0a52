from django.urls import path

from . import staff_views as v

app_name = "continuity_staff"
urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("runbook/", v.runbook_page, name="runbook"),
    path("sla-renewals/<int:pk>/renewed/", v.sla_renewed, name="sla_renewed"),
]
