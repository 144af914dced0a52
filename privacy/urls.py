from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("accept/", views.accept, name="accept"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/sent/", views.request_sent, name="request_sent"),
    path("requests/confirm/<str:token>/", views.request_verify, name="request_verify"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
