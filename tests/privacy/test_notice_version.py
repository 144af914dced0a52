"""Only people who accepted an older version of the privacy notice are told it has changed;
the profile shows which version a person accepted, and when."""

from __future__ import annotations

import datetime as dt

import pytest

from privacy import services
from tests.factories import PASSWORD
from tests.privacy.factories import PrivacyNoticeFactory

pytestmark = pytest.mark.django_db
CHANGED = "Our privacy notice has changed"


def _sign_in(client, user):
    client.logout()
    return client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    ).content.decode()


def test_someone_who_never_accepted_a_notice_is_not_told_it_changed(client, teacher, notice):
    assert CHANGED not in _sign_in(client, teacher)


def test_someone_who_accepted_the_current_version_is_not_told(client, teacher, notice):
    services.notice_accept(notice_id=notice.pk, actor=teacher)
    assert CHANGED not in _sign_in(client, teacher)


def test_someone_who_accepted_an_older_version_is_told(client, teacher, notice):
    services.notice_accept(notice_id=notice.pk, actor=teacher)
    v2 = PrivacyNoticeFactory(
        version=2, body="We now also keep X.", published_on=dt.date(2026, 1, 1)
    )
    assert f"{CHANGED} (version 2" in _sign_in(client, teacher)
    services.notice_accept(notice_id=v2.pk, actor=teacher)
    assert CHANGED not in _sign_in(client, teacher)


def test_profile_shows_the_version_accepted_and_when(client, teacher, notice):
    client.force_login(teacher)
    page = client.get("/accounts/profile/").content.decode()
    assert "You have not yet told us you have read our" in page
    services.notice_accept(
        notice_id=notice.pk, actor=teacher, now=dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
    )
    page = client.get("/accounts/profile/").content.decode()
    assert "You accepted version 1 of our" in page
    assert "(published 1 September 2025) on 10 March 2026 at 09:30" in page
