"""The data-rights request list is kept whole for its viewer (``hubops.page_cache``) until a
request changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from privacy.models import DataRequest
from privacy.services import data_request_create

pytestmark = pytest.mark.django_db
URL = "/staff/privacy/?show=all"


def look(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    queries = [q for q in captured.captured_queries if "privacy_datarequest" in q["sql"]]
    return len(queries), response.content.decode()


def ask(full_name: str, email: str) -> DataRequest:
    return data_request_create(
        kind="access",
        full_name=full_name,
        email=email,
        received_on=timezone.localdate(),
        identity_confirmed_by_staff=True,
    )


def test_the_list_is_kept_until_a_request_changes(dpo_client):
    ask("Erin Fictional-Asker", "erin@example.org")
    first_queries, first = look(dpo_client)
    again_queries, again = look(dpo_client)
    assert first_queries > 0 and again_queries == 0 and again == first
    second = ask("Robin Fictional-Second", "robin@example.org")
    assert second.reference in look(dpo_client)[1]
