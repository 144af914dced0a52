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
