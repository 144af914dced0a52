"""Calendar files for sessions, read back the way a calendar app reads them (unfold, split
properties and parameters, unescape text): a stable UID, SEQUENCE raised when a session moves,
STATUS, ORGANIZER, absolute links, 75-octet folding with CRLF, and a METHOD:CANCEL file to each
participant when a session is cancelled."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from workgroups import ics, reminders, services

pytestmark = pytest.mark.django_db

SITE = "https://hub.example.org"


def unfold(data: bytes) -> list[str]:
    """RFC 5545 3.1: every line ends in CRLF and is at most 75 octets; a line starting with a
    space continues the one before."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
        assert b"\n" not in line and b"\r" not in line
    joined: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            joined[-1] += line[1:]
        else:
            joined.append(line)
    return [line.decode("utf-8") for line in joined]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(data: bytes) -> dict:
    """The calendar as ``{"METHOD": ..., "event": {NAME: (params, value)}}``."""
    calendar: dict = {}
    event: dict = {}
    target = calendar
    for line in unfold(data):
        # name, then ;param=value (values maybe quoted), then : value
        m = re.match(r'^([A-Z-]+)((?:;[A-Z-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$', line)
        assert m, line
        name, raw_params, value = m.groups()
        params = {
            k: v.strip('"') for k, v in re.findall(r';([A-Z-]+)=("[^"]*"|[^";:,]*)', raw_params)
        }
        if (name, value) == ("BEGIN", "VEVENT"):
            target = event
            continue
        if (name, value) == ("END", "VEVENT"):
            target = calendar
            continue
        target[name] = (params, value)
    calendar["event"] = event
    return calendar


def value(cal: dict, name: str) -> str:
    return cal["event"][name][1]


@pytest.fixture
def reg(group, schools, teacher, today):
    return services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )


@pytest.fixture(autouse=True)
def _site(settings, hub):
    settings.SITE_URL = SITE
    hub.name = "Riverside Maths Hub, North; East"
    hub.email = "hello@riverside-hub.example"
    hub.save()


def test_a_session_file_reads_as_a_calendar_app_shows_it(group):
    group.title = "Fractions, decimals; and percentages – équivalence ✓ " * 3
    group.save()
    session = group.sessions.first()
    cal = parse(ics.session_ics(session))
    assert cal["METHOD"][1] == "PUBLISH" and cal["VERSION"][1] == "2.0"
    assert value(cal, "UID") == f"workgroup-session-{session.pk}@hubops"
    assert value(cal, "SEQUENCE") == "0" and value(cal, "STATUS") == "CONFIRMED"
    assert value(cal, "DTSTART") == "20260202T154500Z"
    assert value(cal, "DTEND") == "20260202T171500Z"
    assert unescape(value(cal, "SUMMARY")) == f"WG-1: {group.title}"
    assert unescape(value(cal, "LOCATION")) == "Fictional Hall"
    params, organizer = cal["event"]["ORGANIZER"]
    assert organizer == "mailto:hello@riverside-hub.example"
    assert params["CN"] == "Riverside Maths Hub, North; East"
    assert value(cal, "URL") == f"{SITE}/workgroups/WG-1/"
    assert f"{SITE}/workgroups/WG-1/" in unescape(value(cal, "DESCRIPTION"))
    # Made again later, it is the same event.
    again = parse(ics.session_ics(session, now=datetime(2030, 1, 1, tzinfo=UTC)))
    assert value(again, "UID") == value(cal, "UID")


def test_no_site_url_means_no_link_rather_than_a_bare_path(group, settings):
    settings.SITE_URL = ""
    data = ics.session_ics(group.sessions.first())
    assert b"/workgroups/" not in data
    assert "URL" not in parse(data)["event"]


def test_moving_a_session_raises_its_sequence_and_mails_the_new_file(group, reg, lead, mailoutbox):
    session = group.sessions.first()
    mailoutbox.clear()
    # Saved unchanged: nothing moves, no mail.
    services.session_save(
        group_id=group.pk,
        actor=lead,
        session_id=session.pk,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue=session.venue,
    )
    session.refresh_from_db()
    assert session.sequence == 0 and not mailoutbox
    later = session.starts_at + timedelta(days=1)
    for n, venue in ((1, "Fictional Hall"), (2, "Room 2, Fictional Hall")):
        services.session_save(
            group_id=group.pk,
            actor=lead,
            session_id=session.pk,
            starts_at=later,
            ends_at=later + timedelta(hours=1),
            venue=venue,
        )
        session.refresh_from_db()
        assert session.sequence == n
        name, content, mimetype = mailoutbox[-1].attachments[0]
        assert (name, mimetype) == ("session.ics", "text/calendar")
        cal = parse(content if isinstance(content, bytes) else content.encode())
        assert value(cal, "SEQUENCE") == str(n)
        assert value(cal, "DTSTART") == "20260203T154500Z"
        assert unescape(value(cal, "LOCATION")) == venue
        assert value(cal, "UID") == f"workgroup-session-{session.pk}@hubops"
    # The next reminder carries the raised sequence too, so it does not undo the move.
    cal = parse(reminders.session_ics(session))
    assert value(cal, "SEQUENCE") == "2"


def test_cancelling_sends_each_participant_a_cancel_file(
    group, reg, lead, schools, mailoutbox, today
):
    from tests.factories import UserFactory

    other = services.registration_create(
        group_id=group.pk,
        user=UserFactory(full_name="Jo Fictional", email="jo@example.org"),
        school_id=schools[1].pk,
        role_at_school="Teacher",
        today=today,
    )
    session = group.sessions.first()
    mailoutbox.clear()
    services.session_cancel(session_id=session.pk, actor=lead, reason="The hall is flooded.")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([reg.email, other.email])
    for message in mailoutbox:
        assert len(message.to) == 1  # nobody sees another participant's address
        assert "The hall is flooded." in message.body
        name, content, mimetype = message.attachments[0]
        assert mimetype == "text/calendar"
        cal = parse(content if isinstance(content, bytes) else content.encode())
        assert cal["METHOD"][1] == "CANCEL"
        assert value(cal, "STATUS") == "CANCELLED"
        assert value(cal, "UID") == f"workgroup-session-{session.pk}@hubops"
        assert value(cal, "SEQUENCE") == "1"
        params, attendee = cal["event"]["ATTENDEE"]
        assert attendee == f"mailto:{message.to[0]}"
        assert "ORGANIZER" in cal["event"]


@hsettings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=0, max_size=400))
def test_folding_keeps_any_text_and_never_splits_a_character(text):
    line = "SUMMARY:" + ics.escape_text(text)
    folded = ics.fold(line)
    assert unfold(folded) == [line]
    assert unescape(ics.escape_text(text)) == text.replace("\r\n", "\n").replace("\r", "\n")
