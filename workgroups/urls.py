from django.urls import path

from . import views

app_name = "workgroups"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("mine/<int:pk>/accept/", views.accept_offer, name="accept_offer"),
    path("mine/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("mine/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("registrations/<str:reference>/", views.confirmation, name="confirmation"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/register/", views.register_school, name="register_school"),
    path("<str:code>/register/role/", views.register_details, name="register_details"),
    path("<str:code>/register/check/", views.register_check, name="register_check"),
]
