"""Retention keeps 7 daily, 4 weekly and 12 monthly archives (grandfather-father-son)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuity import retention, services

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def nightly(days: int, end=dt.datetime(2026, 11, 30, 1, 30, tzinfo=UTC)):
    return [end - dt.timedelta(days=i) for i in range(days)]


def test_a_year_of_nightly_backups_keeps_seven_days_four_weeks_twelve_months():
    stamps = nightly(400)
    kept = retention.keep(stamps, daily=7, weekly=4, monthly=12, tz=LONDON)
    newest = max(stamps)
    # The last seven nights.
    assert {s for s in stamps if newest - s < dt.timedelta(days=7)} <= kept
    # Newest in each of the last four ISO weeks, and in each of the last twelve months.
    weeks = sorted({s.astimezone(LONDON).isocalendar()[:2] for s in stamps}, reverse=True)[:4]
    months = sorted({(s.year, s.month) for s in stamps}, reverse=True)[:12]
    for week in weeks:
        newest_in_week = max(s for s in stamps if s.astimezone(LONDON).isocalendar()[:2] == week)
        assert newest_in_week in kept
    for month in months:
        assert max(s for s in stamps if (s.year, s.month) == month) in kept
    oldest_month = min(months)
    assert all((s.year, s.month) >= oldest_month for s in kept)
    assert len(kept) <= 7 + 4 + 12


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.datetimes(
            # hypothesis takes naive bounds and adds the time zone itself.
            min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001
            max_value=dt.datetime(2027, 1, 1),  # noqa: DTZ001
            timezones=st.just(UTC),
        ),
        max_size=80,
        unique=True,
    ),
    st.integers(0, 8),
    st.integers(0, 5),
    st.integers(0, 13),
)
def test_always_keeps_the_newest_and_never_more_than_the_policy(stamps, d, w, m):
    kept = retention.keep(stamps, daily=d, weekly=w, monthly=m, tz=LONDON)
    assert kept <= set(stamps)
    if stamps:
        assert max(stamps) in kept
        assert len(kept) <= max(1, d + w + m)


@pytest.mark.django_db
def test_prune_deletes_only_what_the_policy_drops(settings, tmp_path):
    settings.HUBOPS_BACKUP_DIR = tmp_path
    settings.HUBOPS_BACKUP_RETENTION = {"daily": 7, "weekly": 4, "monthly": 12}
    for stamp in nightly(60):
        (tmp_path / services.archive_name(stamp)).write_bytes(b"x")
    stranger = tmp_path / "notes-about-backups.txt"
    stranger.write_text("not an archive")
    deleted = services.backup_prune()
    left = services.archives()
    assert len(left) + len(deleted) == 60
    assert len(left) <= 23 and len(left) >= 9
    assert services.archive_name(nightly(1)[0]) in left
    assert stranger.exists()
