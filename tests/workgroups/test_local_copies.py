"""Each process serves its own copies of the catalogue for the second it trusts the version it
last read (``workgroups.caching``): no round trip to the shared cache then, a change made in
the same process seen at once, one made elsewhere within that second."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from workgroups import caching

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusted(settings):
    settings.HUBOPS_CATALOGUE_LOCAL_SECONDS = 0.2
    caching.forget_local()
    yield
    caching.forget_local()


def page(label: str):
    built = []

    def build() -> str:
        built.append(label)
        return f"<p>{label}</p>"

    return build, built


def test_a_trusted_version_serves_the_process_copy_without_the_shared_cache(trusted):
    build, built = page("first")
    assert caching.versioned("t:one", build, 60) == "<p>first</p>"
    cache.clear()  # the shared copy and the version are gone: only the process copy is left
    assert caching.versioned("t:one", page("second")[0], 60) == "<p>first</p>"
    assert built == ["first"]


def test_a_change_in_this_process_is_seen_at_once(trusted):
    caching.versioned("t:two", page("before")[0], 60)
    caching.bump_catalogue_version()
    assert caching.versioned("t:two", page("after")[0], 60) == "<p>after</p>"


def test_a_change_in_another_process_is_seen_once_the_second_is_over(trusted):
    caching.versioned("t:three", page("before")[0], 60)
    cache.incr(caching.CATALOGUE_VERSION_KEY)  # what another worker's bump does
    assert caching.versioned("t:three", page("after")[0], 60) == "<p>before</p>"  # the lag
    time.sleep(0.25)
    assert caching.versioned("t:three", page("after")[0], 60) == "<p>after</p>"


def test_the_process_keeps_a_bounded_number_of_pages(trusted, monkeypatch):
    monkeypatch.setattr(caching, "LOCAL_PAGES", 3)
    for n in range(5):
        caching.versioned(f"t:many:{n}", page(str(n))[0], 60)
    assert len(caching._local_pages) == 3
