"""Staff governance pages, included at /staff/governance/."""

from django.urls import path

from . import record_views as r
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
    path("meetings/<int:pk>/cancel/", v.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/<slug:action>/", v.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/notes.pdf", v.meeting_notes_pdf, name="meeting_notes_pdf"),
    path("board/", r.members, name="members"),
    path("board/new/", r.member_new, name="member_new"),
    path("board/<int:pk>/extend/", r.member_extend, name="member_extend"),
    path("board/<int:pk>/end/", r.member_end, name="member_end"),
    path("team/", r.team, name="team"),
    path("team/new/", r.appointment_new, name="appointment_new"),
    path("team/<int:pk>/end/", r.appointment_end, name="appointment_end"),
    path("llme/<int:pk>/sla/new/", r.sla_new, name="sla_new"),
    path("sla/<int:pk>/renew/", r.sla_renew, name="sla_renew"),
    path("sla/<int:pk>/end/", r.sla_end, name="sla_end"),
    path("plan/", r.plan, name="plan"),
    path("finance/lines/new/", r.budget_line_new, name="budget_line_new"),
    path("finance/spend/", r.spend_new, name="spend_new"),
]
