"""The hub as in production, with its cache and sessions in a Redis of the test's own (port
6392, keeping its data on disk as a production Redis does), which the test stops and starts.

While Redis is down every page answers: signed-in visitors stay signed in, people sign in and
out, a formal complaint is filed through the public form and its confirmation shown. When
Redis returns with what it held before, nothing written during the outage is undone by it: a
session signed out meanwhile stays signed out, an account deactivated meanwhile is not let in
by its old cached copy (the cache is emptied first, see ``hubops.cache.HubRedisCache``)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import caches
from django.test import Client

from complaints.models import Complaint
from hubops.models import CacheOutage
from tests.factories import PASSWORD, UserFactory
from tests.redis_server import RedisServer

from .conftest import form_data

REDIS_PORT = 6392
pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def redis_server(tmp_path, settings):
    with RedisServer(REDIS_PORT, tmp_path, keep_data=True) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "hubops.cache.HubRedisCache",
                "LOCATION": f"redis://127.0.0.1:{REDIS_PORT}/1",
            }
        }
        settings.HUBOPS_ACCOUNT_CACHE_SECONDS = 300
        settings.HUBOPS_CACHE_RETRY_SECONDS = 0  # try Redis on every call: it is back at once
        yield server


def signed_in(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    assert says_signed_in(client)  # the session and the account are now in Redis
    return client


def says_signed_in(client: Client) -> bool:
    response = client.get("/workgroups/")
    assert response.status_code == 200
    return "Sign out" in response.content.decode()


def file_a_complaint(client: Client) -> str:
    client.post("/complaints/formal/", {"concerns": "other"})
    client.post("/complaints/formal/details/", form_data(date(2026, 1, 5)))
    page = client.get("/complaints/formal/check/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    response = client.post("/complaints/formal/check/", {"submission_key": key})
    assert response.status_code == 302 and response.url == "/complaints/sent/"
    page = client.get(response.url).content.decode()
    return re.search(r"<strong>(CMP-[A-Z0-9]+)</strong>", page).group(1)


def test_the_hub_answers_while_redis_is_down_and_trusts_nothing_stale_after(
    redis_server, hub, calendar, people, django_capture_on_commit_callbacks
):
    reader = signed_in(UserFactory())
    leaver = signed_in(UserFactory())
    leavers_session = leaver.cookies["sessionid"].value
    deactivated = UserFactory()
    locked_out = signed_in(deactivated)
    newcomer = UserFactory()
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)

    redis_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        assert says_signed_in(reader)  # session and account from the database
        arriving = Client()
        response = arriving.post(
            "/accounts/login/", {"login": newcomer.email, "password": PASSWORD}
        )
        assert response.status_code == 302, response.content.decode()[:300]
        assert says_signed_in(arriving), response.url
        assert leaver.post("/accounts/logout/").status_code == 302
        assert not says_signed_in(leaver)
        deactivated.is_active = False
        deactivated.save()
        assert not says_signed_in(locked_out)
        reference = file_a_complaint(Client())
    assert Complaint.objects.filter(reference=reference).exists()
    assert CacheOutage.objects.exists()  # what every process needs to know

    redis_server.start()  # with the signed-out session and the old account copy still in it
    ghost = Client()
    ghost.cookies["sessionid"] = leavers_session
    assert not says_signed_in(ghost)
    assert not says_signed_in(locked_out)
    assert says_signed_in(reader) and says_signed_in(arriving)
    assert not CacheOutage.objects.exists()
    assert caches["default"].get(f"hubops:account-version:{deactivated.pk}") is not None


def test_a_process_started_after_an_outage_empties_the_cache_before_using_it(redis_server):
    from hubops.cache import recover_after_outage

    backend = caches["default"]
    backend.set("written-before-the-outage", "stale", 300)
    CacheOutage.objects.create()  # another process dropped a write, and ended
    recover_after_outage()
    assert backend.get("written-before-the-outage") is None
    assert not CacheOutage.objects.exists()
    backend.set("written-after", "fresh", 300)
    recover_after_outage()  # nothing to do now: what is there stays
    assert backend.get("written-after") == "fresh"


def test_requests_do_not_each_wait_on_a_redis_that_is_down(redis_server, settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    settings.HUBOPS_CACHE_RETRY_SECONDS = 30
    backend = caches["default"]
    tries = []
    real_get = RedisCache.get

    def counted(self, *args, **kwargs):
        tries.append(1)
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", counted)
    redis_server.stop()
    assert backend.get("anything", "missed") == "missed"
    assert backend.get("anything", "missed") == "missed"
    assert backend.get_many(["a", "b"]) == {}
    assert len(tries) == 1  # one try, then none for 30 s
    with pytest.raises(ValueError):
        backend.incr("a-counter")  # as for a key not there: the caller starts it again


@pytest.mark.parametrize("module", ["hubops.wsgi", "hubops.asgi"])
def test_a_web_process_looks_for_an_outage_when_it_starts(module, monkeypatch):
    import importlib

    import hubops.cache

    started = importlib.import_module(module)
    calls = []
    monkeypatch.setattr(hubops.cache, "recover_after_outage", lambda: calls.append(module))
    importlib.reload(started)
    assert calls == [module]
