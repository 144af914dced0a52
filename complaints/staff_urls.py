"""/staff/complaints/: handling complaints."""

app_name = "complaints_staff"
urlpatterns: list = []
