"""Staff governance pages, included at /staff/governance/."""

from django.urls import path

from . import staff_views as v

app_name = "governance_staff"
urlpatterns = [
    path("", v.compliance, name="compliance"),
    path("checklist/", v.checklist, name="checklist"),
    path("checklist/<int:year_id>/<slug:code>/", v.checklist_edit, name="checklist_edit"),
    path("llme/", v.llme, name="llme"),
    path("finance/", v.finance, name="finance"),
    path("mailings/new/", v.mailing_new, name="mailing_new"),
    path("meetings/", v.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/<slug:action>/", v.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/notes.pdf", v.meeting_notes_pdf, name="meeting_notes_pdf"),
    path("meetings/<int:pk>/cancel/", v.meeting_cancel, name="meeting_cancel"),
]
