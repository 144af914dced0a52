"""/staff/reports/: drafting, quality assurance and sign-off of reports."""

from django.urls import path

from . import staff_views as views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/<slug:name>/", views.report_move, name="move"),
]
