from django.urls import path

from . import staff_views as v

app_name = "workgroups_staff"
urlpatterns = [
    path("", v.group_list, name="group_list"),
    path("new/", v.group_new, name="group_new"),
    path("exports/", v.exports, name="exports"),
    path("import/", v.import_csv, name="import"),
    path("reach/", v.reach, name="reach"),
    path("<int:pk>/", v.group_detail, name="group_detail"),
    path("<int:pk>/edit/", v.group_edit, name="group_edit"),
    path("<int:pk>/lead/", v.group_leads, name="group_leads"),
    path("<int:pk>/status/", v.group_status, name="group_status"),
    path("<int:pk>/cancel/", v.group_cancel, name="group_cancel"),
    path("<int:pk>/invite/", v.invite, name="invite"),
    path("<int:pk>/report/", v.lead_report, name="lead_report"),
    path("<int:pk>/report/review/", v.lead_report_review, name="lead_report_review"),
    path("<int:pk>/registrations/<int:reg_pk>/", v.registration_decide, name="decide"),
    path(
        "<int:pk>/registrations/<int:reg_pk>/withdraw/",
        v.registration_withdraw,
        name="registration_withdraw",
    ),
    path("<int:pk>/sessions/new/", v.session_new, name="session_new"),
    path("<int:pk>/sessions/<int:session_pk>/", v.session_edit, name="session_edit"),
    path("<int:pk>/sessions/<int:session_pk>/cancel/", v.session_cancel, name="session_cancel"),
    path("<int:pk>/sessions/<int:session_pk>/register/", v.session_register, name="register"),
]
