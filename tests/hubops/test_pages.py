"""Public pages, the health check and the security headers."""

from __future__ import annotations

import pytest

from tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return HubFactory(name="Fictional Valley Maths Hub", email="hello@example.org")


def test_home_tells_a_teacher_what_the_hub_offers(client, hub):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Fictional Valley Maths Hub" in html
    assert "Work Groups" in html
    for url in ("/workgroups/", "/complaints/", "/privacy/", "/board/"):
        assert f'href="{url}' in html, url
    # Skip link, navigation and footer links of the base template.
    assert 'href="#main-content" class="hub-skip-link"' in html
    assert '<nav class="hub-header__nav" aria-label="Menu">' in html
    for name in ("Privacy notice", "Accessibility statement", "Cookies"):
        assert name in html
    assert "hub/js/hub.js" not in html and "hubops/js/hub.js" in html


def test_accessibility_statement_is_a_real_one(client, hub):
    html = client.get("/accessibility/").content.decode()
    for words in (
        "Accessibility statement",
        "WCAG",
        "2.2",
        "axe-core",
        "Chromium",
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service",
        "hello@example.org",
        "This statement was prepared on",
    ):
        assert words in html, words


def test_cookies_page_lists_only_essential_cookies(client, hub):
    html = client.get("/cookies/").content.decode()
    assert "only use essential cookies" in html
    assert "sessionid" in html and "csrftoken" in html
    assert "analytics" in html  # saying we do not use them


def test_unknown_url_gives_the_branded_404(client, hub, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Fictional Valley Maths Hub" in html


def test_healthz_ok_with_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_stays_healthy_but_degraded_while_the_broker_is_unreachable(client, monkeypatch):
    # Every page still answers and the outbox keeps the mail: the web must not be taken out
    # of service (or the proxy kept from starting) for a broker outage.
    from hubops.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own settings (CI sets it).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_write_url", None, raising=False)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}


def test_healthz_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import OperationalError

    class Unreachable:  # the health check's connection, refused as a stopped server refuses
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("hubops.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unreachable"


def test_security_headers(client, hub):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_home_is_the_persons_own_work(client):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory(full_name="Ari Fictional-Staff"))
    response = client.get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your work" in page and "Ari Fictional-Staff" in page
    assert "Nothing else is due for you." in page


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("500.html", "Sorry, there is a problem with the service"),
        ("403.html", "You cannot see this page"),
        ("400.html", "There was a problem with your request"),
    ],
)
def test_error_pages_are_branded(rf, hub, template, heading):
    from django.template.loader import render_to_string

    html = render_to_string(template, {"hub": hub}, request=rf.get("/"))
    assert heading in html
    assert "hub-skip-link" in html and "hubops/css/hub.css" in html
