"""The data-rights request form sent twice (a double click, a retry) logs one request, sends one
verification email and shows the same reference; five concurrent copies log one on PostgreSQL."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from privacy.models import DataRequest

KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')
DATA = {"kind": "access", "full_name": "Sam Fictional", "email": "sam@example.org"}


def _key(client) -> str:
    return KEY_RE.search(client.get(reverse("privacy:request_new")).text).group(1)


@pytest.mark.django_db
def test_two_posts_log_one_request_and_show_the_same_reference(
    client, django_capture_on_commit_callbacks
):
    data = {**DATA, "submission_key": _key(client)}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("privacy:request_new"), data, follow=True).text
        second = client.post(reverse("privacy:request_new"), data, follow=True).text
    request = DataRequest.objects.get()
    assert request.reference in first and request.reference in second
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_form_shown_again_with_errors_keeps_its_key(client):
    key = _key(client)
    page = client.post(reverse("privacy:request_new"), {"submission_key": key}).text
    assert "There is a problem" in page and KEY_RE.search(page).group(1) == key
    client.post(reverse("privacy:request_new"), {**DATA, "submission_key": key})
    client.post(reverse("privacy:request_new"), {**DATA, "submission_key": key})
    assert DataRequest.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_posts_log_one_request():
    key = _key(Client())
    barrier = threading.Barrier(5)
    pages: list[str] = []
    errors: list[BaseException] = []

    def post():
        c = Client()
        try:
            barrier.wait()
            pages.append(
                c.post(
                    reverse("privacy:request_new"), {**DATA, "submission_key": key}, follow=True
                ).text
            )
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
    request = DataRequest.objects.get()
    assert len(pages) == 5 and all(request.reference in page for page in pages)
