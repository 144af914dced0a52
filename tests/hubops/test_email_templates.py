"""Every email the project can send, rendered as it is sent: whole HTML documents in the hub's
brand, plain text that is not HTML-escaped, absolute links only, dates written as the pages
write them.

The templates are enumerated from the tree (every ``*_subject.txt`` under a ``templates/**/
email/`` folder): a new email without a case in CASES fails ``test_every_email_has_a_case``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps

from hubops.emails import build_email
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://hub.example.test"

# Values with the characters that HTML-escaping would spoil.
GROUP = {"group_code": "FL25-01", "group_title": "Fictional Leaders' Invitation Group & Co"}
PERSON = {"full_name": "Alex O'Fictional"}
STAFF_URL = f"{SITE}/staff/complaints/7/"
FOLLOW_URL = f"{SITE}/complaints/follow/abc123token/"

CASES: dict[str, dict] = {
    "complaints/email/appeal_requested": {
        "reference": "C-2026-0007",
        "due_on": "8 December 2026",
        "url": STAFF_URL,
    },
    "complaints/email/information_added": {"reference": "C-2026-0007", "url": STAFF_URL},
    "complaints/email/letter": {
        "subject": "Your complaint C-2026-0007: our response",
        "body": "Dear Alex O'Fictional,\n\nThank you for your patience & your letter.",
        "url": FOLLOW_URL,
    },
    "complaints/email/new_for_handler": {
        "reference": "C-2026-0007",
        "stage": "Stage 2 (formal)",
        "ack_due_on": "8 December 2026",
        "url": STAFF_URL,
    },
    "complaints/email/new_link": {**PERSON, "reference": "C-2026-0007", "url": FOLLOW_URL},
    "complaints/email/panel_convened": {
        "reference": "C-2026-0007",
        "due_on": "8 December 2026",
        "url": STAFF_URL,
    },
    "complaints/email/policy_review": {"version": "3", "due_on": "2026-12-08"},
    "complaints/email/received": {
        **PERSON,
        "formal": True,
        "late": True,
        "reference": "C-2026-0007",
        "ack_due_on": "8 December 2026",
        "response_due_on": "2027-01-19",
        "url": FOLLOW_URL,
    },
    "complaints/email/reminder_before": {
        "clock": "Acknowledgement",
        "reference": "C-2026-0007",
        "due_on": "2026-12-08",
        "url": STAFF_URL,
    },
    "complaints/email/reminder_missed": {
        "clock": "Response",
        "reference": "C-2026-0007",
        "due_on": "2026-12-08",
        "url": STAFF_URL,
    },
    "complaints/email/reminder_today": {
        "clock": "Response",
        "reference": "C-2026-0007",
        "due_on": "2026-12-08",
        "url": STAFF_URL,
    },
    "governance/email/circulate_papers": {
        "meeting_on": "2026-12-15",
        "papers_due_on": "2026-12-08",
    },
    "governance/email/schedule_meetings": {"year": "2026/27", "scheduled": 1},
    "governance/email/sla_expiring": {"leader": "Sam O'Fictional", "ends_on": "2026-12-08"},
    "governance/email/term_ending": {"name": "Jo O'Fictional", "ends_on": "2026-12-08"},
    "hubops/email/test_message": {"marker": "marker-123"},
    "privacy/email/breach_clock": {
        "reference": "B-2026-0002",
        "hours": 48,
        "deadline": "2026-12-08T17:30:00+00:00",
    },
    "privacy/email/closed": {
        "reference": "DR-2026-0004",
        "outcome": "We sent you a copy of everything we hold about you & where it came from.",
    },
    "privacy/email/dpia_review": {"title": "Teachers' registrations", "review_on": "2026-12-08"},
    "privacy/email/extended": {
        "reference": "DR-2026-0004",
        "reason": "The request covers several schools' records.",
        "extended_to": "2027-02-08",
    },
    "continuity/email/backup_problem": {
        "subject": "The restore test of last night's backup failed",
        "problem": "The table workgroups_registration has 20,011 rows; the manifest says 20,012.",
        "archive_name": "hubops-2026-12-08T0200.hubops-backup",
    },
    "governance/email/cpd_mailing": {
        "subject": "Work Groups open for primary teachers",
        "message": "Three Work Groups open for registration this term.\nSee the catalogue: "
        "https://hub.example.test/workgroups/?phase=primary",
        "unsubscribe_url": "https://hub.example.test/privacy/unsubscribe/tok-abc/",
    },
    "privacy/email/request_due": {"reference": "DR-2026-0004", "due_on": "2026-12-08"},
    "privacy/email/retention_review": {"run_id": 3, "as_of": "2026-12-08"},
    "privacy/email/verify": {
        "kind": "Access to your data",
        "reference": "DR-2026-0004",
        "token": "tok-abc",
        "due_on": "2027-01-08",
    },
    "reports/email/awaiting_mhl": {"title": "Autumn report & plan", "report_id": 5},
    "reports/email/awaiting_sll": {"title": "Autumn report & plan", "report_id": 5},
    "reports/email/due": {"what": "The hub's end-of-year report", "due_on": "2026-12-08"},
    "reports/email/returned": {
        "title": "Autumn report & plan",
        "comment": "Please add the schools' figures.",
        "report_id": 5,
    },
    "workgroups/email/absence_followup": {
        **PERSON,
        **GROUP,
        "when": "Tuesday 8 December 2026 at 16:00",
    },
    "workgroups/email/evaluation_request": {**PERSON, **GROUP, "registration_id": 12},
    "workgroups/email/invitation": {
        **GROUP,
        "inviter": "Pat O'Fictional",
        "school_name": "St Fictional's Primary",
        "token": "inv-xyz",
    },
    "workgroups/email/offer_lapsed": {**PERSON, **GROUP, "reference": "R-0012"},
    "workgroups/email/place_offered": {
        **PERSON,
        **GROUP,
        "school_name": "St Fictional's Primary",
        "offer_expires_on": "2026-12-08",
        "reference": "R-0012",
    },
    "workgroups/email/registration_approved": {**PERSON, **GROUP, "reference": "R-0012"},
    "workgroups/email/registration_declined": {
        **PERSON,
        **GROUP,
        "reference": "R-0012",
        "decline_reason": "The group is for schools in the hub's area & yours isn't.",
    },
    "workgroups/email/registration_received": {
        **PERSON,
        **GROUP,
        "school_name": "St Fictional's Primary",
        "reference": "R-0012",
        "status": "Confirmed",
    },
    "workgroups/email/registration_withdrawn": {**PERSON, **GROUP, "reference": "R-0012"},
    "workgroups/email/session_changed": {
        **GROUP,
        "cancelled": False,
        "when": "Tuesday 8 December 2026 at 16:00",
        "venue": "St Fictional's Primary, Hall",
        "online_link": "https://meet.example.org/fl25",
    },
    "workgroups/email/session_reminder": {
        **PERSON,
        **GROUP,
        "when": "Tuesday 8 December 2026 at 16:00",
        "venue": "",
        "online_link": "https://meet.example.org/fl25",
    },
}


def email_prefixes() -> list[str]:
    """Every ``<prefix>_subject.txt`` under an ``email/`` folder of the project's template
    folders (``templates/`` and each project app's ``templates/``)."""
    folders = [ROOT / "templates"] + [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    ]
    found = set()
    for folder in folders:
        for subject in folder.glob("**/email/**/*_subject.txt"):
            found.add(str(subject.relative_to(folder))[: -len("_subject.txt")])
    return sorted(found)


def test_every_email_has_a_case():
    prefixes = email_prefixes()
    assert len(prefixes) >= 38
    missing = [p for p in prefixes if p not in CASES]
    assert not missing, f"add a realistic context to CASES for: {missing}"
    stale = [p for p in CASES if p not in prefixes]
    assert not stale, f"CASES names emails that no longer exist: {stale}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "title":
            self._in_title = True
        for name in ("href", "src"):
            if name in attrs:
                self.hrefs.append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


# A path on its own ("/workgroups/mine/", "see /staff/reports/"): a slash that does not follow a
# scheme, a host or another path segment.
BARE_PATH = re.compile(r"(?<![\w/.:%-])/[A-Za-z][\w\-./]*")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _bare_paths(text: str) -> list[str]:
    return BARE_PATH.findall(text)


@pytest.fixture
def hub_for_mail(settings):
    settings.SITE_URL = SITE
    settings.HUBOPS_REPLY_TO = "office@hub.example.test"
    settings.DEFAULT_FROM_EMAIL = "hubops <no-reply@hub.example.test>"
    return HubFactory(name="Fictional Leaders' Maths Hub", email="hub@hub.example.test")


@pytest.mark.parametrize("prefix", sorted(CASES))
def test_each_email_reads_right_and_links_absolutely(prefix, hub_for_mail):
    message = build_email(
        to=["alex.fictional@example.org"], template_prefix=prefix, context=CASES[prefix]
    )
    html = message.alternatives[0][0]
    text = message.body
    parser = _Links()
    parser.feed(html)
    html_text = "".join(parser.text)

    # A whole HTML document in the hub's brand.
    assert html.lstrip().lower().startswith("<!doctype html>"), html[:80]
    assert parser.html_lang == "en-GB"
    assert parser.title.strip() == message.subject
    assert "#0e4d5b" in html and "Fictional Leaders&#x27; Maths Hub" in html

    # Links: every href absolute on the site (or mail/https elsewhere), no bare paths anywhere.
    assert parser.hrefs, "the HTML part has no link at all (the brand header links home)"
    for href in parser.hrefs:
        assert href.startswith((SITE + "/", "mailto:", "https://")), href
    for part_name, part in (("subject", message.subject), ("text", text), ("html", html_text)):
        assert not _bare_paths(part), f"{part_name}: bare path(s) {_bare_paths(part)}"
        assert not ISO_DATE.search(part), f"{part_name}: ISO date {ISO_DATE.search(part)[0]}"
        assert "{{" not in part and "{%" not in part
    for url in re.findall(r"https?://\S+", text):
        assert url.startswith((SITE + "/", "https://meet.example.org/", "https://ico.org.uk")), url

    # Plain text is plain: not HTML-escaped, no tags.
    for entity in ("&#x27;", "&#39;", "&amp;", "&lt;", "&quot;"):
        assert entity not in text and entity not in message.subject
    assert "<p>" not in text and "<br>" not in text

    # From is the hub, replies go to the monitored mailbox.
    assert message.from_email == "Fictional Leaders' Maths Hub <no-reply@hub.example.test>"
    assert message.reply_to == ["office@hub.example.test"]


def test_dates_in_mail_are_written_as_pages_write_them(hub_for_mail):
    message = build_email(
        to=["a@example.org"],
        template_prefix="privacy/email/request_due",
        context={"reference": "DR-1", "due_on": "2026-12-08"},
    )
    assert message.subject == "Data request DR-1 is due 8 December 2026"
    assert "must be answered by 8 December 2026." in message.body


def test_text_part_keeps_apostrophes(hub_for_mail):
    message = build_email(
        to=["a@example.org"],
        template_prefix="workgroups/email/registration_approved",
        context=CASES["workgroups/email/registration_approved"],
    )
    assert "Fictional Leaders' Invitation Group & Co" in message.body
    assert "Fictional Leaders&#x27; Invitation Group &amp; Co" in message.alternatives[0][0]
