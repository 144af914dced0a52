"""Account pages of our own, mounted at /accounts/ before allauth's."""

from django.urls import path

from . import account_views

urlpatterns = [
    path("profile/", account_views.profile, name="account_profile"),
]
