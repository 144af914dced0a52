"""The published /board/ page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from governance.models import BoardAttendance, BoardInterest, BoardMeeting, BoardMember

pytestmark = pytest.mark.django_db


def test_board_page_publishes_members_interests_attendance_and_recent_leavers(client, year, board):
    today = timezone.localdate()
    BoardInterest.objects.create(
        member=board[0], declared_on=date(2025, 9, 10), description="Trustee of Fictional Trust"
    )
    gone = BoardMember.objects.create(
        name="Quinn Former",
        organisation="Old Fictional School",
        category="school_primary",
        independent=True,
        term_starts_on=date(2020, 9, 1),
        term_ends_on=today - timedelta(days=40),
    )
    BoardMember.objects.create(
        name="Long Gone",
        organisation="X",
        category="school_primary",
        independent=True,
        term_starts_on=date(2015, 9, 1),
        term_ends_on=today - timedelta(days=400),
    )
    meeting = BoardMeeting.objects.create(
        academic_year=year, term="extra", held_on=today - timedelta(days=60), status="notes_agreed"
    )
    BoardAttendance.objects.create(meeting=meeting, member=board[0], present=True)
    BoardAttendance.objects.create(meeting=meeting, member=gone, present=False)
    body = client.get("/board/").content.decode()
    assert "Morgan Chair" in body and "Chair" in body and "Fictional Trust" in body
    assert "Trustee of Fictional Trust" in body
    assert "Quinn Former" in body  # served in the past twelve months
    assert "Long Gone" not in body
    assert "1 of 1" in body and "0 of 1" in body


def test_board_page_query_count_does_not_grow(client, year, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            m = BoardMember.objects.create(
                name=f"Member {i} Fictional",
                organisation="Org",
                category="trust",
                independent=True,
                term_starts_on=date(2024, 9, 1),
            )
            BoardInterest.objects.create(member=m, declared_on=date(2025, 1, 1), description="None")

    add(1)
    with django_assert_max_num_queries(6):
        client.get("/board/")
    from django.core.cache import cache

    cache.clear()
    add(49)
    with django_assert_max_num_queries(6):
        body = client.get("/board/").content.decode()
    assert body.count("Fictional</th>") == 50


def test_empty_board_says_so(client, db):
    assert "has not been published yet" in client.get("/board/").content.decode()
