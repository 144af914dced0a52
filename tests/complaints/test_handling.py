"""A formal complaint handled end to end by the services and staff pages: acknowledgement,
holding letter, response, appeal through the private link, the panel (none involved earlier)
and its final decision; letters from editable, sandboxed templates; reminders exactly once."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints import figures, letters, reminders, services
from complaints.models import (
    Complaint,
    ComplaintRecord,
    FollowLink,
    LetterKind,
    LetterTemplate,
    Outcome,
    PolicyVersion,
    Status,
    Visibility,
)
from complaints.workflow import IllegalMove
from hubops.models import AcademicYear, ReminderLog

from .conftest import complaint_data, login

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True).stdout


def test_full_procedure_through_the_staff_pages(
    client, filed, people, django_capture_on_commit_callbacks
):
    c = filed.complaint
    # Received Mon 12 Jan 2026: acknowledgement due Mon 19 Jan, response Mon 9 Feb
    # (12 Jan + 19 Jan (1), 26 Jan (2), 2 Feb (3), 9 Feb (4)).
    assert (c.ack_due_on, c.response_due_on) == (date(2026, 1, 19), date(2026, 2, 9))
    login(client, people["mhl"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/staff/complaints/{c.pk}/acknowledge/", {"ack-delivery": "email"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.acknowledged_on == timezone.localdate()
    letter = c.letters.get(kind=LetterKind.ACKNOWLEDGEMENT)
    text = pdf_text(letter.pdf.read())
    assert "Riverside Maths Hub" in text and c.reference in text and "Pat O'Fictional" in text
    sent = mail.outbox[-1]
    assert sent.to == ["pat@example.org"] and sent.attachments[0][2] == "application/pdf"
    assert "acknowledgement" in sent.subject.lower()
    # Twice is refused, clearly.
    r = client.post(f"/staff/complaints/{c.pk}/acknowledge/", {"ack-delivery": "email"})
    assert r.status_code == 400 and "was acknowledged on" in r.content.decode()

    # Internal notes stay apart from what the complainant sees.
    client.post(
        f"/staff/complaints/{c.pk}/note/",
        {
            "note-kind": "call",
            "note-body": "Internal: spoke to the lead.",
            "note-visibility": "internal",
        },
    )
    client.post(
        f"/staff/complaints/{c.pk}/note/",
        {"note-kind": "meeting", "note-body": "Met Pat on Zoom.", "note-visibility": "shared"},
    )
    record = ComplaintRecord.objects.get(body="Internal: spoke to the lead.")
    assert record.author == people["mhl"] and record.at

    # Holding letter before the deadline: a reason and a new date.
    services.complaint_send_holding_letter(
        complaint_id=c.pk,
        actor=people["mhl"],
        today=date(2026, 2, 5),
        reason="We are waiting for the session lead's account.",
        new_date=date(2026, 2, 27),
    )
    c.refresh_from_db()
    assert c.response_effective_due_on == date(2026, 2, 27)
    holding = c.letters.get(kind=LetterKind.HOLDING)
    assert "27 February 2026" in holding.body and "9 February 2026" in holding.body

    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_respond(
            complaint_id=c.pk,
            actor=people["mhl"],
            today=date(2026, 2, 20),
            outcome=Outcome.PARTLY_UPHELD,
            summary="The session was moved at short notice; we apologise.",
        )
    c.refresh_from_db()
    assert c.status == Status.RESPONDED
    # Appeal window, 4 school weeks: sent Fri 20 Feb 2026, inside the February half term, so
    # the clock starts Mon 23 Feb: 2 Mar (1), 9 Mar (2), 16 Mar (3), 23 Mar (4) -> Mon 23 Mar.
    assert c.appeal_window_ends_on == date(2026, 3, 23)
    outcome_mail = mail.outbox[-1]
    assert "Partly upheld" in outcome_mail.body and "/complaints/follow/" in outcome_mail.body
    token = outcome_mail.body.split("/complaints/follow/")[1].split("/")[0]

    # The complainant sees shared records only, and asks for an appeal.
    client.logout()
    page = client.get(f"/complaints/follow/{token}/").content.decode()
    assert "Met Pat on Zoom." in page and "Internal: spoke" not in page
    assert "Partly upheld" in page
    services.complaint_request_appeal(
        complaint_id=c.pk, today=date(2026, 3, 2), grounds="The apology is not enough."
    )
    c.refresh_from_db()
    # 4 school weeks from Mon 2 Mar: 9 (1), 16 (2), 23 (3), [Easter], 13 Apr (4) -> Mon 13 Apr.
    assert c.status == Status.APPEAL and c.appeal_due_on == date(2026, 4, 13)

    # The panel: the MHL handled it, so cannot sit; two uninvolved senior leaders can.
    with pytest.raises(services.ComplaintError, match="handled the complaint before the appeal"):
        services.complaint_set_panel(
            complaint_id=c.pk, actor=people["sll"], members=[people["mhl"], people["leader1"]]
        )
    with pytest.raises(services.ComplaintError, match="at least 2"):
        services.complaint_set_panel(
            complaint_id=c.pk, actor=people["sll"], members=[people["leader1"]]
        )
    services.complaint_set_panel(
        complaint_id=c.pk, actor=people["sll"], members=[people["leader1"], people["leader2"]]
    )
    login(client, people["leader1"])
    assert client.get(f"/staff/complaints/{c.pk}/").status_code == 200
    client.post(
        f"/staff/complaints/{c.pk}/note/",
        {
            "note-kind": "meeting",
            "note-body": "Panel met and read the file.",
            "note-visibility": "internal",
        },
    )
    assert ComplaintRecord.objects.get(body="Panel met and read the file.").stage == 3
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/staff/complaints/{c.pk}/decide/",
            {
                "appeal-outcome": "not_upheld",
                "appeal-summary": "The hub's response was fair.",
                "appeal-delivery": "post",
            },
        )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.decision_final and c.outcome == Outcome.NOT_UPHELD
    final = c.letters.get(kind=LetterKind.APPEAL_OUTCOME)
    assert final.delivery == "post" and "final" in final.body


def test_holding_letter_after_the_deadline_is_refused(filed, people):
    with pytest.raises(IllegalMove, match="before the deadline"):
        services.complaint_send_holding_letter(
            complaint_id=filed.complaint.pk,
            actor=people["mhl"],
            today=date(2026, 2, 10),
            reason="Late",
            new_date=date(2026, 3, 1),
        )


def test_transition_table_refuses_illegal_moves(filed, people):
    c = filed.complaint
    with pytest.raises(IllegalMove):
        services.complaint_request_appeal(complaint_id=c.pk, today=date(2026, 1, 13), grounds="x")
    with pytest.raises(IllegalMove):
        services.complaint_close(
            complaint_id=c.pk, actor=people["mhl"], outcome=Outcome.UPHELD, today=date(2026, 1, 13)
        )
    services.complaint_close(
        complaint_id=c.pk, actor=people["mhl"], outcome=Outcome.WITHDRAWN, today=date(2026, 1, 13)
    )
    with pytest.raises(IllegalMove):
        services.complaint_make_formal(
            complaint_id=c.pk, actor=people["mhl"], received_on=date(2026, 1, 14)
        )


def test_informal_concern_moves_to_formal_and_starts_the_clock(calendar, hub, people):
    c = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=False
    ).complaint
    assert c.status == Status.INFORMAL and c.ack_due_on is None
    services.complaint_make_formal(
        complaint_id=c.pk, actor=people["mhl"], received_on=date(2026, 1, 26)
    )
    c.refresh_from_db()
    assert c.status == Status.FORMAL and c.ack_due_on == date(2026, 2, 2)
    assert c.stage_reached == 2


def test_private_link_expires_and_can_be_revoked(client, filed, people):
    token = filed.token
    assert client.get(f"/complaints/follow/{token}/").status_code == 200
    link = FollowLink.objects.get(complaint=filed.complaint)
    assert token not in link.token_hash and len(link.token_hash) == 64
    FollowLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/complaints/follow/{token}/").status_code == 404
    FollowLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    services.link_revoke(complaint_id=filed.complaint.pk, actor=people["mhl"])
    page = client.get(f"/complaints/follow/{token}/")
    assert page.status_code == 404 and "This link does not work" in page.content.decode()


def test_appeal_after_the_window_is_refused(client, filed, people):
    c = filed.complaint
    services.complaint_respond(
        complaint_id=c.pk,
        actor=people["mhl"],
        today=date(2026, 2, 2),
        outcome=Outcome.NOT_UPHELD,
        summary="No fault found.",
    )
    c.refresh_from_db()
    with pytest.raises(IllegalMove, match="ended on"):
        services.complaint_request_appeal(
            complaint_id=c.pk, today=c.appeal_window_ends_on + timedelta(days=1), grounds="Late"
        )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(token=st.text(max_size=120), text=st.text(max_size=500))
def test_hostile_tokens_and_text_on_the_private_link(client, filed, token, text):
    from urllib.parse import quote

    path = quote(token, safe="")
    if path and "/" not in token:
        response = client.get(f"/complaints/follow/{path}/")
        assert response.status_code in (404, 429, 301, 302)
    response = client.post(f"/complaints/follow/{filed.token}/add/", {"text": text})
    assert response.status_code in (200, 302, 429)
    response = client.post(f"/complaints/follow/{filed.token}/appeal/", {"grounds": text})
    assert response.status_code in (200, 302, 429)


def test_complainant_adds_information_with_a_file(
    client, filed, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/complaints/follow/{filed.token}/add/",
            {
                "text": "Here is the email I mentioned.",
                "files": [SimpleUploadedFile("e.txt", b"hi")],
            },
        )
    assert r.status_code == 302
    record = filed.complaint.records.get(kind="information")
    assert record.visibility == Visibility.SHARED and "e.txt" in record.body
    assert filed.complaint.attachments.count() == 1
    assert any("mhl@example.org" in m.to for m in mail.outbox)


def test_letter_templates_are_sandboxed(client, filed, people):
    for bad in (
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% debug %}",
        "{{ _private }}",
        "{% if %}",
    ):
        with pytest.raises(letters.LetterTemplateError):
            letters.validate(bad)
    # Placeholders only see plain values: no model, no settings.
    assert letters.render("{{ settings.SECRET_KEY }}{{ complaint.delete }}x", {"a": 1}) == "x"
    login(client, people["mhl"])
    page = client.post(
        "/staff/complaints/letters/acknowledgement/",
        {"subject": "Ack {{ reference }}", "body": "{% include 'x.html' %}"},
    ).content.decode()
    assert "is not allowed in a letter" in page
    r = client.post(
        "/staff/complaints/letters/acknowledgement/",
        {"subject": "Ack {{ reference }}", "body": "Dear {{ complainant_name }}, noted."},
    )
    assert r.status_code == 302
    services.complaint_acknowledge(
        complaint_id=filed.complaint.pk, actor=people["mhl"], today=date(2026, 1, 13)
    )
    letter = filed.complaint.letters.get()
    assert letter.subject == f"Ack {filed.complaint.reference}"
    assert letter.body == "Dear Pat O'Fictional, noted."
    assert LetterTemplate.objects.get(kind="acknowledgement").body.startswith("Dear")


def test_reminders_are_sent_exactly_once(filed, people, django_capture_on_commit_callbacks):
    c = filed.complaint
    mail.outbox.clear()
    # Acknowledgement due Mon 19 Jan: before (Fri 16 Jan), on the day, then missed.
    for day in (date(2026, 1, 16), date(2026, 1, 16), date(2026, 1, 19), date(2026, 1, 19)):
        with django_capture_on_commit_callbacks(execute=True):
            reminders.complaints_sweeps(today=day)
    subjects = [m.subject for m in mail.outbox]
    assert sum("Reminder: Acknowledgement" in s for s in subjects) == 1
    assert sum("Due today: Acknowledgement" in s for s in subjects) == 1
    handler_mail = [m for m in mail.outbox if "Due today" in m.subject][0]
    assert set(handler_mail.to) == {"mhl@example.org", "handler@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        reminders.complaints_sweeps(today=date(2026, 1, 20))
        reminders.complaints_sweeps(today=date(2026, 1, 21))
    missed = [m for m in mail.outbox if m.subject.startswith("Missed deadline: Acknowledgement")]
    assert len(missed) == 1 and missed[0].to == ["sll@example.org"]
    assert ReminderLog.objects.filter(object_id=str(c.pk)).count() == 3


def test_missed_deadline_on_a_complaint_about_the_sll_goes_to_the_head(
    calendar, hub, people, django_capture_on_commit_callbacks
):
    c = services.complaint_file(
        data=complaint_data(concerns="sll"), received_on=date(2026, 1, 12), formal=True
    ).complaint
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.complaints_sweeps(today=date(2026, 1, 20))
    missed = [m for m in mail.outbox if m.subject.startswith("Missed deadline")]
    assert missed and all(m.to == ["head@example.org"] for m in missed)
    assert c.route == "head"


def test_policy_review_reminder(hub, people, policy, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.complaints_sweeps(today=date(2026, 8, 20))
        reminders.complaints_sweeps(today=date(2026, 8, 21))
    review = [m for m in mail.outbox if "annual review" in m.subject]
    assert len(review) == 1 and set(review[0].to) == {"mhl@example.org", "sll@example.org"}


def test_annual_figures_have_the_documented_shape_and_no_personal_data(
    client, filed, people, calendar
):
    c = filed.complaint
    services.complaint_acknowledge(complaint_id=c.pk, actor=people["mhl"], today=date(2026, 1, 14))
    services.complaint_set_actions(
        complaint_id=c.pk, actor=people["mhl"], actions_taken="Room changes now emailed."
    )
    services.complaint_redirect_to_dfe(today=date(2026, 1, 20))
    year = AcademicYear.objects.get(
        starts_on__lte=date(2026, 1, 12), ends_on__gte=date(2026, 1, 12)
    )
    f = figures.annual_figures(year.name, today=date(2026, 1, 21))
    assert f["received"] == 2 and f["redirected"] == 1
    assert f["by_stage"] == {"1": 0, "2": 1, "3": 0}
    assert f["acknowledged_on_time"] == {"on_time": 1, "late": 0, "pending": 0}
    assert f["responded_on_time"] == {"on_time": 0, "late": 0, "pending": 1}
    assert f["themes"] == {"work_group": 1}
    assert f["actions_taken"] == ["Room changes now emailed."]
    assert f["by_outcome"] == {"open": 1, "redirected": 1}
    import json

    assert "Pat" not in json.dumps(f)
    assert figures.annual_figures("1999/00")["received"] == 0
    login(client, people["sll"])
    pdf = client.get(f"/staff/complaints/figures/figures.pdf?year={year.name}")
    text = pdf_text(pdf.content)
    assert "annual figures" in text and "Pat" not in text and "Room changes now emailed" in text


def test_demo_data_is_idempotent(hub):
    from complaints import demo

    demo.load(hub=hub, today=date(2026, 1, 20))
    demo.load(hub=hub, today=date(2026, 1, 20))
    assert Complaint.objects.filter(reference__startswith="CMP-DEMO").count() >= 1
    assert LetterTemplate.objects.count() == 4 and PolicyVersion.objects.count() == 1


def test_staff_record_a_phone_concern_about_the_mhl(client, calendar, hub, people):
    login(client, people["handler"])
    response = client.post(
        "/staff/complaints/new/",
        {
            "formal": "informal",
            "received_on_day": "12",
            "received_on_month": "1",
            "received_on_year": "2026",
            "concerns": "mhl",
            "full_name": "Robin Caller",
            "phone": "07700 900111",
            "what_happened": "Rang to say the MHL was rude.",
        },
    )
    c = Complaint.objects.get()
    # About the MHL: routed to the SLL, so the handler who recorded it cannot open it.
    assert c.route == "sll" and c.status == Status.INFORMAL and c.source == "staff"
    assert response.status_code == 302 and response.url == "/staff/complaints/"
    assert client.get(f"/staff/complaints/{c.pk}/").status_code == 404
    assert list(c.subjects.all()) == [people["mhl"]]


def test_staff_cannot_record_a_complaint_about_the_lead_school(client, calendar, hub, people):
    login(client, people["mhl"])
    page = client.post(
        "/staff/complaints/new/", {"formal": "formal", "concerns": "lead_school"}
    ).content.decode()
    assert "tell the person to contact the DfE" in page
    assert not Complaint.objects.exists()


def test_handler_records_an_appeal_received_by_letter(client, filed, people):
    c = filed.complaint
    today = timezone.localdate()
    services.complaint_respond(
        complaint_id=c.pk,
        actor=people["mhl"],
        today=today,
        outcome=Outcome.UPHELD,
        summary="We agree.",
    )
    login(client, people["mhl"])
    page = client.get(f"/staff/complaints/{c.pk}/").content.decode()
    assert "Record an appeal received by letter or email" in page
    r = client.post(f"/staff/complaints/{c.pk}/appeal/", {"appealreq-grounds": ""})
    assert r.status_code == 400
    assert "Tell us why you are not satisfied" in r.content.decode()
    r = client.post(f"/staff/complaints/{c.pk}/appeal/", {"appealreq-grounds": "By letter."})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.APPEAL and c.appeal_requested_on == today
