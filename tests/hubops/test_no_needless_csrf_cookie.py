"""A page with no form sets no CSRF cookie: a cookie per visitor would make every such page
personal (no shared cache, and a Vary on Cookie for every proxy)."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import HubFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accessibility/", "/cookies/", "/workgroups/"])
def test_a_page_without_a_form_sets_no_csrf_cookie(client, path):
    HubFactory()
    response = client.get(path)
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_a_page_with_a_form_still_gets_its_token(client):
    HubFactory()
    response = client.get("/accounts/login/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert settings.CSRF_COOKIE_NAME in response.cookies
