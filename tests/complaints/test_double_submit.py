"""A double click, a retry or a back-button resubmit of the formal complaint's check step or of
the concern form makes one complaint and shows the same confirmation (reference and private
link); five concurrent copies of the same POST make one complaint on PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from complaints.models import Complaint
from hubops import idempotency

from .conftest import form_data

KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')


def _key(page: str) -> str:
    return KEY_RE.search(page).group(1)


def _to_check(client) -> str:
    client.post("/complaints/formal/", {"concerns": "other"})
    client.post("/complaints/formal/details/", form_data(date(2026, 1, 5)))
    page = client.get("/complaints/formal/check/").content.decode()
    assert "Check your answers" in page
    return _key(page)


def _sent(client, response) -> tuple[str, str]:
    """What the confirmation shows: the reference and the private link."""
    assert response.status_code == 302 and response.url == "/complaints/sent/"
    page = client.get(response.url).content.decode()
    reference = re.search(r"<strong>(CMP-[A-Z0-9]+)</strong>", page).group(1)
    link = re.search(r'href="(/complaints/follow/[^"]+/)"', page).group(1)
    return reference, link


@pytest.mark.django_db
def test_two_posts_of_the_check_step_make_one_complaint_and_the_same_confirmation(
    client, hub, calendar, people, django_capture_on_commit_callbacks
):
    key = _to_check(client)
    with django_capture_on_commit_callbacks(execute=True):
        first = _sent(client, client.post("/complaints/formal/check/", {"submission_key": key}))
        second = _sent(client, client.post("/complaints/formal/check/", {"submission_key": key}))
    assert Complaint.objects.count() == 1
    assert first == second
    assert first[0] == Complaint.objects.get().reference
    # The private link shown works, and the complainant was mailed once.
    assert client.get(first[1]).status_code == 200
    assert len([m for m in mail.outbox if m.to == ["pat@example.org"]]) == 1


@pytest.mark.django_db
def test_a_resubmit_from_another_browser_tab_after_the_session_moved_on(
    client, hub, calendar, people
):
    """The draft is gone from the session once sent; the old page's key still finds it."""
    key = _to_check(client)
    first = _sent(client, client.post("/complaints/formal/check/", {"submission_key": key}))
    other = Client()  # the retry arrives without the first browser's session
    again = other.post("/complaints/formal/check/", {"submission_key": key})
    assert _sent(other, again) == first
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_a_new_check_page_is_a_new_submission(client, hub, calendar, people):
    """Keys are per page: someone who starts again and sends a second complaint gets two."""
    key = _to_check(client)
    client.post("/complaints/formal/check/", {"submission_key": key})
    key2 = _to_check(client)
    assert key2 != key
    client.post("/complaints/formal/check/", {"submission_key": key2})
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_a_forged_or_cross_form_key_is_not_trusted(client, hub, calendar, people):
    """A key signed for the concern form, or made up, does not find the formal complaint."""
    key = _to_check(client)
    client.post("/complaints/formal/check/", {"submission_key": key})
    for forged in (idempotency.issue("complaints.concern"), "made-up", key + "x"):
        assert idempotency.read({"submission_key": forged}, "complaints.formal") is None
    _to_check(client)
    client.post("/complaints/formal/check/", {"submission_key": "made-up"})
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_the_concern_form_twice_makes_one_concern(client, hub, calendar, people):
    page = client.get("/complaints/concern/").content.decode()
    data = {
        "full_name": "Robin Fictional",
        "email": "robin@example.org",
        "concerns": "staff",
        "what_happened": "A rude email.",
        "submission_key": _key(page),
    }
    first = _sent(client, client.post("/complaints/concern/", data))
    second = _sent(client, client.post("/complaints/concern/", data))
    assert first == second and Complaint.objects.count() == 1


@pytest.mark.django_db
def test_a_concern_shown_again_with_errors_keeps_its_key(client, hub, calendar, people):
    page = client.get("/complaints/concern/").content.decode()
    key = _key(page)
    again = client.post("/complaints/concern/", {"submission_key": key}).content.decode()
    assert "There is a problem" in again and _key(again) == key


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_posts_of_the_check_step_make_one_complaint(
    hub, calendar, people, settings
):
    settings.COMPLAINTS_SUBMISSIONS_PER_HOUR = 100
    client = Client()
    key = _to_check(client)
    cookie = client.cookies["sessionid"].value
    barrier = threading.Barrier(5)
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def post():
        c = Client()
        c.cookies["sessionid"] = cookie
        try:
            barrier.wait()
            response = c.post("/complaints/formal/check/", {"submission_key": key})
            page = c.get(response.url).content.decode()
            results.append((response.status_code, page))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Complaint.objects.count() == 1
    reference = Complaint.objects.get().reference
    assert [code for code, _ in results] == [302] * 5
    assert all(reference in page and "/complaints/follow/" in page for _, page in results)
