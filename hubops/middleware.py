"""Everyone who can see a staff page must set up MFA before they reach the admin or the staff
pages: staff, superusers and every role holder, whatever their staff flag says (the flag follows
the roles, but this gate does not rely on that)."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .roles import holds_a_role

PROTECTED_PREFIXES = ("/admin/", "/staff/")


def needs_mfa(user) -> bool:
    """Whether ``user`` may reach staff pages, and so must use MFA: staff, superusers and
    holders of any role (the appeal panel's senior leaders included)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or holds_a_role(user))


def staff_needs_mfa(user) -> bool:
    """True if ``user`` may reach staff pages but has no TOTP authenticator yet."""
    if not needs_mfa(user):
        return False

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    """With ``HUBOPS_REQUIRE_STAFF_MFA`` on, staff, superusers and role holders without TOTP
    are sent to allauth's activation page from ``/admin/`` and ``/staff/``. The account and MFA
    pages themselves are never protected, so there is no redirect loop; the admin's login page
    is let through too."""

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
