"""/staff/reports/: drafting, quality assurance and sign-off of reports, and their deadlines."""

from django.urls import path

from . import staff_views as views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("due-dates/", views.due_date_list, name="due_dates"),
    path("due-dates/new/", views.due_date_new, name="due_date_new"),
    path("due-dates/<int:pk>/", views.due_date_change, name="due_date_change"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/<slug:name>/", views.report_move, name="move"),
]
