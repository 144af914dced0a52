"""Public pages of the hub core and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hubops.celery import app


def home(request):
    return render(request, "hubops/home.html")


def accessibility(request):
    return render(request, "hubops/accessibility.html")


def cookies(request):
    return render(request, "hubops/cookies.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
def healthz(request):
    """Whether this web process can serve the hub: 200 while its database answers, else 503.
    The broker is reported ("degraded" while it is away) but does not fail the check: without
    it every page still answers and the outbox keeps each message until it is back, so a
    container health check must not take the web out of service, or keep the proxy from
    starting, for a Redis outage."""
    database, broker = _database_ok(), _broker_ok()
    status = ("ok" if broker else "degraded") if database else "unavailable"
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "unreachable",
            "broker": "ok" if broker else "unreachable",
        },
        status=200 if database else 503,
    )
