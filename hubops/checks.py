"""System checks for the hub core (``manage.py check``; ``check --deploy`` adds the deploy ones).

``hubops.E001``/``E002``: SITE_URL must be set (DEBUG off) and be a scheme and host: every link
in mail, calendar files and PDFs is built on it. ``hubops.W003`` (deploy): SITE_URL should be
https.

``hubops.W002`` (a deployment check, ``check --deploy``): staff MFA must not be switched off
on a live hub.

``hubops.W004``: the default cache must be shared by every process (the rate limits count in
it). ``hubops.E003``: every ``HUBOPS_TRUSTED_PROXIES`` entry must be an address or network.

``hubops.W001`` (a database check: run by ``manage.py check --database default`` and by
``migrate``) names every account whose staff flag disagrees with the roles it holds. The flag is
kept in step by ``services.user_sync_staff_flag``; a disagreement means it was changed behind the
services' back (a raw update, a deleted or renamed role group). A warning, not an error, so that
``migrate`` can still run the data migration that repairs it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.db.models import Exists, OuterRef, Q

from .roles import Role


def disagreeing_users(using: str = "default"):
    """Accounts whose ``is_staff`` is not "superuser or holds a role"."""
    User = get_user_model()
    holds_role = Exists(
        User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name__in=Role.values)
    )
    return (
        User.objects.using(using)
        .annotate(holds_role=holds_role)
        .filter(
            Q(is_staff=True, is_superuser=False, holds_role=False)
            | (Q(is_staff=False) & (Q(is_superuser=True) | Q(holds_role=True)))
        )
        .order_by("email")
    )


@checks.register(checks.Tags.database)
def staff_flag_matches_roles(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in databases or ():
        try:
            wrong = list(disagreeing_users(alias).values_list("email", "is_staff")[:50])
        except DatabaseError:  # the tables are not there yet: nothing to check
            continue
        for email, is_staff in wrong:
            what = (
                "has staff status but holds no role"
                if is_staff
                else "holds a role (or is a superuser) without staff status"
            )
            problems.append(
                checks.Warning(
                    f"{email} {what}.",
                    hint="Change their groups or save them in the admin: the staff flag follows "
                    "the roles held (hubops.services.user_sync_staff_flag).",
                    obj=email,
                    id="hubops.W001",
                )
            )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def staff_mfa_is_required(app_configs=None, **kwargs):
    if settings.DEBUG or settings.HUBOPS_REQUIRE_STAFF_MFA:
        return []
    return [
        checks.Warning(
            "HUBOPS_REQUIRE_STAFF_MFA is off with DEBUG off: staff and role holders reach "
            "/staff/ and /admin/ with a password alone.",
            hint="Remove HUBOPS_REQUIRE_STAFF_MFA=false from the environment.",
            id="hubops.W002",
        )
    ]


@register(Tags.compatibility)
def site_url_check(app_configs=None, **kwargs) -> list:
    """Every link in mail, calendar files and PDFs is built on SITE_URL: without it (DEBUG off)
    people would get links that go nowhere."""
    value = getattr(settings, "SITE_URL", "") or ""
    parts = urlsplit(value)
    if not value:
        if settings.DEBUG:
            return []
        return [
            Error(
                "SITE_URL is not set.",
                hint="Set SITE_URL to the public site's address, e.g. https://hub.example.org: "
                "links in mail, calendar files and PDFs are built on it.",
                id="hubops.E001",
            )
        ]
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        return [
            Error(
                f"SITE_URL {value!r} is not a scheme and host.",
                hint="Write it as https://hub.example.org (no path, no trailing slash needed).",
                id="hubops.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url_https_check(app_configs=None, **kwargs) -> list:
    value = getattr(settings, "SITE_URL", "") or ""
    if value.startswith("http://"):
        return [
            Warning(
                "SITE_URL uses http://: links in mail will not be secure.",
                hint="Use the https:// address of the public site.",
                id="hubops.W003",
            )
        ]
    return []


PER_PROCESS = ("LocMemCache", "DummyCache")


@register(Tags.caches)
def shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(PER_PROCESS):
        return [
            Warning(
                f"The default cache ({backend}) is not shared between processes: each web "
                "worker would keep its own rate-limit counters, so the limits would not hold.",
                hint="Unset CACHE_URL (the database cache) or point it at Redis.",
                id="hubops.W004",
            )
        ]
    return []


@register(Tags.security)
def trusted_proxies(app_configs=None, **kwargs):
    errors = []
    for entry in getattr(settings, "HUBOPS_TRUSTED_PROXIES", ()) or ():
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"HUBOPS_TRUSTED_PROXIES has {entry!r}, which is not an address or network.",
                    hint="Give addresses or networks, e.g. 10.0.0.0/8,172.17.0.1.",
                    id="hubops.E003",
                )
            )
    return errors
