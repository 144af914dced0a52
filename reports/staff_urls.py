"""/staff/reports/: drafting, quality assurance and sign-off of reports."""

app_name = "reports"
urlpatterns: list = []
