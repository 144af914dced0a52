"""The staff area's front page: the sections and links the user's roles open."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from . import staff_home


@staff_member_required
def dashboard(request):
    return render(
        request,
        "hubops/staff_dashboard.html",
        {"sections": staff_home.sections_for(request.user)},
    )
