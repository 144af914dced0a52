from django.urls import path

from . import staff_views as v

app_name = "privacy_staff"
urlpatterns = [
    path("", v.request_list, name="requests"),
    path("requests.csv", v.request_log_csv, name="request_log"),
    path("requests/new/", v.request_new, name="request_new"),
    path("requests/<int:pk>/", v.request_detail, name="request_detail"),
    path("requests/<int:pk>/confirm-identity/", v.confirm_identity, name="confirm_identity"),
    path("requests/<int:pk>/extend/", v.extend, name="extend"),
    path("requests/<int:pk>/close/", v.close, name="close"),
    path("requests/<int:pk>/erase/", v.erase, name="erase"),
    path("requests/<int:pk>/restrict/", v.restrict, name="restrict"),
    path("requests/<int:pk>/object-mailings/", v.object_mailings, name="object_mailings"),
    path("requests/<int:pk>/export.zip", v.export_zip, name="export"),
    path("retention/", v.retention, name="retention"),
    path("retention/<int:pk>/approve/", v.retention_approve, name="retention_approve"),
    path("sharing/", v.sharing, name="sharing"),
    path("breaches/", v.breach_list, name="breaches"),
    path("breaches/new/", v.breach_new, name="breach_new"),
    path("breaches/<int:pk>/", v.breach_detail, name="breach_detail"),
    path("breaches/<int:pk>/ico-told/", v.breach_ico_notified, name="breach_ico_notified"),
    path(
        "breaches/<int:pk>/ico-not-told/", v.breach_ico_not_notified, name="breach_ico_not_notified"
    ),
    path("breaches/<int:pk>/close/", v.breach_close, name="breach_close"),
    path("dpias/", v.dpia_list, name="dpias"),
    path("dpias/new/", v.dpia_new, name="dpia_new"),
    path("dpias/<int:pk>/", v.dpia_edit, name="dpia_edit"),
    path("notices/", v.notice_list, name="notices"),
    path("notices/new/", v.notice_new, name="notice_new"),
    path("notices/new/check/", v.notice_check, name="notice_check"),
    path("key-contacts.csv", v.key_contacts, name="key_contacts"),
]
