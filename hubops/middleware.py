"""Staff must set up MFA before they reach the admin or the staff pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

PROTECTED_PREFIXES = ("/admin/", "/staff/")


def staff_needs_mfa(user) -> bool:
    """True if ``user`` is active staff without a TOTP authenticator."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    """With ``HUBOPS_REQUIRE_STAFF_MFA`` on, staff without TOTP are sent to allauth's
    activation page from ``/admin/`` and ``/staff/``. The account and MFA pages themselves are
    never protected, so there is no redirect loop; the admin's login page is let through too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            target = reverse("mfa_activate_totp")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if not settings.HUBOPS_REQUIRE_STAFF_MFA:
            return False
        path = request.path
        if not path.startswith(PROTECTED_PREFIXES):
            return False
        if path.startswith(("/admin/login/", "/admin/logout/")):
            return False
        return staff_needs_mfa(getattr(request, "user", None))
