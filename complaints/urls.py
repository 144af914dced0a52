from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.index, name="index"),
    path("formal/", views.who, name="who"),
    path("formal/details/", views.details, name="details"),
    path("formal/check/", views.check, name="check"),
    path("sent/", views.sent, name="sent"),
    path("sent/copy.pdf", views.sent_copy, name="sent_copy"),
    path("lead-school/", views.dfe, name="dfe"),
    path("concern/", views.concern, name="concern"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("follow/<str:token>/add/", views.follow_add, name="follow_add"),
    path("follow/<str:token>/appeal/", views.follow_appeal, name="follow_appeal"),
    path(
        "follow/<str:token>/letters/<int:letter_id>.pdf", views.follow_letter, name="follow_letter"
    ),
    path("follow/<str:token>/copy.pdf", views.follow_copy, name="follow_copy"),
]
