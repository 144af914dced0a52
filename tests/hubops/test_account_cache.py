"""A signed-in visitor's account comes from the shared cache, and every change to it reaches the
next request: deactivated, demoted or with a new password, by a save or by a queryset update."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hubops.cache import HubRedisCache
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
USER_TABLE = get_user_model()._meta.db_table


@pytest.fixture(autouse=True)
def account_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.HUBOPS_ACCOUNT_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def header_says_signed_in(client: Client) -> bool:
    return "Sign out" in client.get("/workgroups/").content.decode()


def account_queries(client: Client, url: str = "/workgroups/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(f'FROM "{USER_TABLE}"' in q["sql"] for q in captured.captured_queries)


def test_a_signed_in_request_reads_the_account_from_the_cache():
    client = signed_in(UserFactory())
    account_queries(client)  # the first request after signing in fills the cache
    assert account_queries(client) == 0
    assert header_says_signed_in(client)


def test_deactivating_an_account_signs_it_out_at_the_next_request():
    user = UserFactory()
    client = signed_in(user)
    assert header_says_signed_in(client)
    user.is_active = False
    user.save()
    assert not header_says_signed_in(client)


def test_a_queryset_update_reaches_the_next_request_too():
    user = UserFactory()
    client = signed_in(user)
    assert header_says_signed_in(client)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert not header_says_signed_in(client)


def test_a_new_password_signs_other_sessions_out():
    user = UserFactory()
    elsewhere = signed_in(user)
    assert header_says_signed_in(elsewhere)
    user.set_password("a-new-long-passphrase")
    user.save()
    assert not header_says_signed_in(elsewhere)


def test_a_staff_flag_taken_away_is_seen_at_once(settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    user = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(user)
    assert client.get("/admin/").status_code == 200
    user.is_superuser = False
    user.is_staff = False
    user.save()
    assert client.get("/admin/").status_code == 302  # to the admin's sign-in page


def test_a_deleted_account_is_signed_out():
    user = UserFactory()
    client = signed_in(user)
    assert header_says_signed_in(client)
    user.delete()
    assert not header_says_signed_in(client)


def test_the_redis_backend_keeps_one_client_per_pool():
    # No connection is made: a client is an object over a pool until it sends a command.
    backend = HubRedisCache("redis://127.0.0.1:1/0", {})
    assert backend._cache.get_client() is backend._cache.get_client()
    assert backend._cache.get_client(write=True) is backend._cache.get_client()


def test_a_role_given_or_taken_away_is_seen_at_once(settings):
    from hubops.roles import Role

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    # Two roles: taking one away leaves the staff flag (and the account's row) as it was.
    user = UserFactory(roles=[Role.DATA_PROTECTION_LEAD, Role.HUB_STAFF])
    client = signed_in(user)
    assert client.get("/staff/privacy/").status_code == 200
    assert account_queries(client, "/staff/privacy/") == 0  # the account and its roles cached
    dpl = user.groups.model.objects.get(name=Role.DATA_PROTECTION_LEAD.value)
    user.groups.remove(dpl)
    assert client.get("/staff/privacy/").status_code == 403
    dpl.user_set.add(user)  # from the group's side too
    assert client.get("/staff/privacy/").status_code == 200


def test_an_unreachable_cache_reads_the_account_from_the_database(monkeypatch):
    from hubops import cache as account_cache

    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("the cache is down")

    user = UserFactory()
    monkeypatch.setattr(account_cache, "cache", Down())
    assert account_cache.cached_account(user.pk) == user


def test_a_copy_read_while_a_change_commits_is_never_served(django_capture_on_commit_callbacks):
    """Another request reads the account after the change retired its copy but before the
    change committed, so it sees the row as it was, and stores that: the commit retires it."""
    from hubops.cache import _key, _version_key

    user = UserFactory()
    client = signed_in(user)
    assert header_says_signed_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()
        # The other request: the committed row still says active, and it is kept under the
        # version this request found.
        before = get_user_model().objects.get(pk=user.pk)
        before.is_active = True
        cache.set(_key(user.pk), (cache.get(_version_key(user.pk)), before), 300)
    assert not header_says_signed_in(client)


class CacheReads:
    """Counts the default cache's reads (each one a round trip to Redis in production; the
    local-memory backend's ``get_many`` calls its own ``get``, which is not counted again)."""

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls: list[tuple[str, int]] = []
        self.depth = 0
        backend = caches["default"]
        for name in ("get", "get_many"):
            original = getattr(backend, name)
            monkeypatch.setattr(backend, name, self._counting(name, original))

    def _counting(self, name, original):
        def read(keys, *args, **kwargs):
            if not self.depth:
                self.calls.append((name, len(keys) if name == "get_many" else 1))
            self.depth += 1
            try:
                return original(keys, *args, **kwargs)
            finally:
                self.depth -= 1

        return read


def test_the_session_and_the_account_come_in_one_cache_read(monkeypatch):
    client = signed_in(UserFactory())
    assert header_says_signed_in(client)  # this process learns whose the session is
    reads = CacheReads(monkeypatch)
    assert header_says_signed_in(client)
    # The session, the account's version and its copy; then the page's own look-up.
    assert reads.calls[0] == ("get_many", 3)
    assert [name for name, _ in reads.calls[1:]] == ["get_many"]  # the catalogue's
    assert account_queries(client) == 0


def test_a_session_hint_naming_another_account_is_not_taken():
    from hubops import cache as account_cache
    from hubops import sessions

    user, other = UserFactory(), UserFactory()
    client = signed_in(user)
    assert header_says_signed_in(client)
    session_key = client.cookies["sessionid"].value
    account_cache.cached_account(other.pk)  # the other account's copy is in the cache
    sessions._hints[session_key] = str(other.pk)  # as if the process had it wrong
    store = sessions.SessionStore(session_key)
    assert store.load()["_auth_user_id"] == str(user.pk)
    assert account_cache._take_prefetched(other.pk) is None
    assert sessions._hint(session_key) == str(user.pk)  # learnt again from the session
    assert account_cache.cached_account(user.pk) == user


def test_what_the_session_read_found_is_taken_once_and_only_within_a_second(monkeypatch):
    from hubops import cache as account_cache

    user = UserFactory()
    account_cache.cached_account(user.pk)
    found = cache.get_many(account_cache.account_keys(user.pk))
    account_cache.prefetch(user.pk, found)
    assert account_cache._take_prefetched(user.pk) == found
    assert account_cache._take_prefetched(user.pk) is None  # once
    account_cache.prefetch(user.pk, found)
    clock = account_cache.time.monotonic() + account_cache.PREFETCH_SECONDS + 0.1
    monkeypatch.setattr(account_cache.time, "monotonic", lambda: clock)
    assert account_cache._take_prefetched(user.pk) is None  # too old


def test_a_session_read_that_fails_falls_back_to_the_database(monkeypatch):
    from django.core.cache import caches

    from hubops import sessions

    user = UserFactory()
    client = signed_in(user)
    assert header_says_signed_in(client)  # the process now reads session and account together

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    backend = caches["default"]
    monkeypatch.setattr(backend, "get_many", down)
    monkeypatch.setattr(backend, "get", down)
    monkeypatch.setattr(backend, "set", lambda *a, **k: None)
    session = sessions.SessionStore(client.cookies["sessionid"].value)
    assert session.load()["_auth_user_id"] == str(user.pk)  # from the database, as cached_db
