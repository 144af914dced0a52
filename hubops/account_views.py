"""The profile page: a person keeps the details the privacy notice names up to date."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from hubops import audit

from .forms import ProfileForm


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            changed = list(form.changed_data)
            with transaction.atomic():
                form.save()
                if changed:
                    audit.record(
                        user, user, "hubops.user.profile_updated", data={"fields": changed}
                    )
            messages.success(request, "Your details have been saved.")
            return redirect("account_profile")
    else:
        form = ProfileForm(instance=user)
    return render(request, "account/profile.html", {"form": form, "page_title": "Your details"})
