from __future__ import annotations

from datetime import date

import pytest

from hubops.calendar_io import load_plans, parse_calendar
from hubops.roles import Role
from tests.complaints.factories import FiledFactory, PolicyVersionFactory
from tests.conftest import DATA
from tests.factories import PASSWORD, HubFactory, StaffFactory, UserFactory

SHEFFIELD = DATA / "calendar" / "term_dates_sheffield.json"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments and letters go to a temporary folder, not the hub's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def calendar(db, django_capture_on_commit_callbacks):
    """Sheffield's real term dates for 2025/26 onwards, in the database."""
    with django_capture_on_commit_callbacks(execute=True):
        load_plans(parse_calendar(SHEFFIELD.read_text()))


@pytest.fixture
def hub(db):
    return HubFactory(email="hub@riverside-hub.example")


@pytest.fixture
def people(db, settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    return {
        "mhl": StaffFactory(
            email="mhl@example.org", full_name="Morgan Fictional-Lead", roles=[Role.MHL]
        ),
        "handler": StaffFactory(
            email="handler@example.org",
            full_name="Harper Fictional",
            roles=[Role.COMPLAINTS_HANDLER],
        ),
        "sll": StaffFactory(
            email="sll@example.org", full_name="Sam Fictional-Link", roles=[Role.SLL]
        ),
        "head": UserFactory(
            email="head@example.org",
            full_name="Hilary Fictional-Head",
            roles=[Role.LEAD_SCHOOL_HEAD],
        ),
        "staff": StaffFactory(
            email="coordinator@example.org", full_name="Casey Coordinator", roles=[Role.HUB_STAFF]
        ),
        "leader1": UserFactory(
            email="leader1@example.org",
            full_name="Lee Fictional-One",
            roles=[Role.LEAD_SCHOOL_SENIOR_LEADER],
        ),
        "leader2": UserFactory(
            email="leader2@example.org",
            full_name="Lou Fictional-Two",
            roles=[Role.LEAD_SCHOOL_SENIOR_LEADER],
        ),
    }


@pytest.fixture
def filed(calendar, hub, people, django_capture_on_commit_callbacks):
    """A formal complaint received Monday 12 January 2026, its mail sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return FiledFactory()


@pytest.fixture
def policy(db):
    """Version 1 of the policy, approved 1 September 2025, review due 1 September 2026."""
    return PolicyVersionFactory(version=1, review_due_on=date(2026, 9, 1))


def login(client, user):
    client.login(email=user.email, password=PASSWORD)
    return client


FORM = {
    "full_name": "Pat O'Fictional",
    "email": "pat@example.org",
    "phone": "07700 900000",
    "address": "1 Fictional Road\nLondon",
    "relationship": "participant",
    "about_kind": "work_group",
    "about_detail": "Fictional Fractions Work Group",
    "subject_name": "",
    "issue_date_day": "",
    "issue_date_month": "",
    "issue_date_year": "",
    "what_happened": "The session was cancelled without notice.",
    "done_so_far": "I emailed the hub.",
    "outcome_wanted": "An apology and better notice.",
    "adjustments": "",
}


def form_data(issue: date, **extra):
    data = dict(FORM)
    data.update(
        {
            "issue_date_day": str(issue.day),
            "issue_date_month": str(issue.month),
            "issue_date_year": str(issue.year),
        }
    )
    data.update(extra)
    return data


def complaint_data(**extra):
    data = {k: v for k, v in FORM.items() if not k.startswith("issue_date")}
    data["concerns"] = "other"
    data["issue_date"] = date(2026, 1, 12)
    data.update(extra)
    return data
