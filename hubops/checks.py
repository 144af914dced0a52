"""System checks for the abuse defences' settings (``manage.py check``, ``check --deploy``)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

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
                id="hubops.W001",
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
                    id="hubops.E001",
                )
            )
    return errors
