"""The signed-in visitor's session read (``HubRedisCache.get_many_kept``) over a connection each
thread keeps, against a real Redis of the test's own (port 6393): it finds exactly what
``get_many`` finds, survives the server closing its connection, and lets the outage guard
answer while Redis is down."""

from __future__ import annotations

import threading

import pytest
import redis

from hubops.cache import HubRedisCache
from tests.redis_server import RedisServer

REDIS_PORT = 6393
pytestmark = pytest.mark.integration


@pytest.fixture
def server(tmp_path):
    with RedisServer(REDIS_PORT, tmp_path) as server:
        yield server


@pytest.fixture
def backend(server, settings):
    settings.HUBOPS_CACHE_RETRY_SECONDS = 0  # try Redis on every call
    return HubRedisCache(f"redis://127.0.0.1:{REDIS_PORT}/3", {"KEY_PREFIX": "kept-test"})


def test_it_finds_what_get_many_finds(backend):
    values = {
        "session": {"_auth_user_id": "7", "wg-register-3": {"school_id": 12}},
        "version": 1_733_000_000_000_000_000,
        "copy": (5, ["a", "tuple", "of", "things"]),
        "text": "naïve café £5",
        "nothing-much": 0,
        "clé-ünïcode": "a key of many bytes",
    }
    backend.set_many(values, 60)
    keys = [*values, "never-set"]
    assert backend.get_many_kept(keys) == backend.get_many(keys) == values
    assert backend.get_many_kept(["never-set"]) == {}
    # The key's version is part of the key, as for every other read.
    backend.set("versioned", "two", 60, version=2)
    assert backend.get_many_kept(["versioned"]) == {}
    assert backend.get_many_kept(["versioned"], version=2) == {"versioned": "two"}


def test_each_thread_keeps_its_own_connection(backend):
    backend.set("shared", "value", 60)
    assert backend.get_many_kept(["shared"]) == {"shared": "value"}
    mine = backend._cache._kept_connection()
    theirs = []

    def read() -> None:
        theirs.append((backend.get_many_kept(["shared"]), backend._cache._kept_connection()))

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert theirs[0][0] == {"shared": "value"}
    assert theirs[0][1] is not mine
    assert backend._cache._kept_connection() is mine


def test_a_forked_process_makes_its_own_connection(backend, monkeypatch):
    backend.get_many_kept(["anything"])
    parent = backend._cache._kept_connection()
    monkeypatch.setattr("hubops.cache.os.getpid", lambda: -1)
    child = backend._cache._kept_connection()
    assert child is not parent
    assert parent._sock is not None  # the parent's socket is left alone, not closed


def test_a_connection_the_server_closed_is_made_again(backend):
    backend.set("still-there", "yes", 60)
    assert backend.get_many_kept(["still-there"]) == {"still-there": "yes"}
    # The server drops every client connection (as a restart or an idle timeout does).
    redis.Redis(port=REDIS_PORT).client_kill_filter(_type="normal", skipme=True)
    assert backend.get_many_kept(["still-there"]) == {"still-there": "yes"}
    assert not backend._saw_outage  # one read sent again, not an outage


def test_while_redis_is_down_it_answers_as_a_cache_holding_nothing(server, backend):
    backend.set("before", "value", 60)
    assert backend.get_many_kept(["before"]) == {"before": "value"}
    server.stop()
    assert backend.get_many_kept(["before"]) == {}
    assert backend._saw_outage
    server.start()  # empty: this server keeps nothing across a restart
    backend.set("after", "value", 60)
    assert backend.get_many_kept(["after", "before"]) == {"after": "value"}


def test_a_read_that_fails_half_way_never_leaves_the_connection_in_use(backend, monkeypatch):
    backend.set_many({"first": 1, "second": 2}, 60)
    connection = backend._cache._kept_connection()
    real = connection.read_response

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # the reply is still in the socket, unread

    monkeypatch.setattr(connection, "read_response", interrupted)
    with pytest.raises(KeyboardInterrupt):
        backend.get_many_kept(["first"])
    monkeypatch.setattr(connection, "read_response", real)
    # A reused socket would hand this read the reply left behind ({"first": 1}).
    assert backend.get_many_kept(["second"]) == {"second": 2}


@pytest.mark.django_db
def test_a_signed_in_request_reads_its_session_and_account_over_the_kept_connection(
    server, settings, monkeypatch
):
    from django.core.cache import caches
    from django.test import Client

    from tests.factories import PASSWORD, UserFactory

    settings.CACHES = {
        "default": {
            "BACKEND": "hubops.cache.HubRedisCache",
            "LOCATION": f"redis://127.0.0.1:{REDIS_PORT}/4",
        }
    }
    settings.HUBOPS_ACCOUNT_CACHE_SECONDS = 300
    user = UserFactory()
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    assert "Sign out" in client.get("/workgroups/").content.decode()  # the process learns it
    reads = []
    backend = caches["default"]
    real = backend.get_many_kept
    monkeypatch.setattr(
        backend, "get_many_kept", lambda keys, *a, **k: reads.append(len(keys)) or real(keys)
    )
    assert "Sign out" in client.get("/workgroups/").content.decode()
    assert reads == [3]  # the session, the account's version and its copy
