"""Dates and links as people read them (hubops/formats.py), the same in pages, mail and PDFs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from hubops.formats import absolute_url, format_date, format_datetime


def test_a_date_is_written_the_gov_uk_way():
    assert format_date(date(2026, 12, 8)) == "8 December 2026"
    assert format_date(date(2026, 12, 8), weekday=True) == "Tuesday 8 December 2026"


def test_a_queued_mail_s_iso_date_reads_the_same_as_a_date():
    assert format_date("2026-03-01") == "1 March 2026"
    assert format_date("") == "" and format_date(None) == ""
    assert format_date("not a date") == "not a date"


def test_a_moment_is_shown_in_the_hub_s_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)  # 14:05 in London (BST)
    assert format_datetime(summer) == "1 July 2026, 14:05"
    assert format_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "31 December 2026"
    assert format_datetime(date(2026, 7, 1)) == "1 July 2026"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/workgroups/mine/", "https://hub.example.org/workgroups/mine/"),
        ("workgroups/", "https://hub.example.org/workgroups/"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
        ("", "https://hub.example.org/"),
    ],
)
def test_links_in_mail_work_outside_the_browser(settings, given, expected):
    settings.SITE_URL = "https://hub.example.org/"
    assert absolute_url(given) == expected


def test_the_template_filters_say_the_same():
    text = Template(
        "{% load hubops_tags %}{{ d|hubdate }} | {{ d|hubday }} | {{ m|hubdatetime }}"
    ).render(Context({"d": date(2026, 12, 8), "m": datetime(2026, 12, 8, 9, 0, tzinfo=UTC)}))
    assert text == "8 December 2026 | Tuesday 8 December 2026 | 8 December 2026, 09:00"
