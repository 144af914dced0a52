from django.urls import path

from . import certificate_views

app_name = "certificates"

urlpatterns = [
    path("verify/", certificate_views.verify, name="verify"),
    path("verify/<str:code>/", certificate_views.verify_code, name="verify_code"),
]
