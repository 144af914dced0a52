"""The public pages: the procedure, the formal form (with attachments, check your answers,
confirmation, PDF copy and email), the Lead School redirection, the informal form, spam
defences and hostile input."""

from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.models import Attachment, Complaint, Outcome, Route, Source, Status
from hubops.models import AuditEvent

from .conftest import form_data

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True).stdout


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def start(client, concerns="other"):
    return client.post("/complaints/formal/", {"concerns": concerns})


def test_procedure_page_explains_the_stages_and_how_weeks_are_counted(client, hub):
    page = client.get("/complaints/").content.decode()
    for text in (
        "Raise a concern informally",
        "Make a formal complaint",
        "within 1 school week",
        "within 4 school weeks",
        "Appeal",
        "Maths.PROGRAMME@education.gov.uk",
        "the first day of the spring term",
    ):
        assert text in page


def test_public_files_a_formal_complaint_with_an_attachment(
    client, hub, calendar, people, django_capture_on_commit_callbacks, settings
):
    start(client)
    upload = SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/complaints/formal/details/", {**form_data(date(2026, 1, 5)), "attachments": [upload]}
    )
    assert response.status_code == 302 and response.url == "/complaints/formal/check/"
    check = client.get("/complaints/formal/check/").content.decode()
    assert "Check your answers" in check and "evidence.pdf" in check
    assert "Pat O&#x27;Fictional" in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complaints/formal/check/")
    c = Complaint.objects.get()
    assert c.status == Status.FORMAL and c.route == Route.MHL and c.source == Source.FORM
    assert c.attachments.count() == 1
    sent = client.get(response.url).content.decode()
    assert c.reference in sent and "Complaint sent" in sent
    assert f"{c.ack_due_on:%-d %B %Y}" in sent and f"{c.response_due_on:%-d %B %Y}" in sent
    # The PDF copy, from the confirmation page ...
    copy = client.get("/complaints/sent/copy.pdf")
    assert copy["Content-Type"] == "application/pdf"
    text = pdf_text(copy.content)
    assert c.reference in text and "The session was cancelled" in text
    # ... and by email, with the private link; the handlers hear without personal details.
    to_complainant = [m for m in mail.outbox if m.to == ["pat@example.org"]][0]
    assert c.reference in to_complainant.subject
    assert to_complainant.attachments[0][0] == f"complaint-{c.reference}.pdf"
    assert "/complaints/follow/" in to_complainant.body
    to_handlers = [m for m in mail.outbox if "mhl@example.org" in m.to][0]
    assert "Pat" not in to_handlers.body and "cancelled" not in to_handlers.body
    # Only the token's hash is stored.
    token = to_complainant.body.split("/complaints/follow/")[1].split("/")[0]
    assert not Complaint.objects.filter(links__token_hash=token).exists()
    assert client.get(f"/complaints/follow/{token}/").status_code == 200


def test_empty_form_gives_an_error_summary_and_keeps_what_was_typed(client, hub):
    start(client)
    response = client.post(
        "/complaints/formal/details/", {"full_name": "Pat Fictional", "what_happened": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    for message in (
        "Enter what happened",
        "Enter the outcome you would like",
        "Enter the date the issue arose",
        "Enter an email address or a postal address so we can reply to you",
        "Select how you are connected to the hub",
    ):
        assert message in page
    assert 'value="Pat Fictional"' in page
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 not really a pdf", "must be a PDF, PNG, JPEG, Word"),
        ("empty.txt", b"", "is empty"),
        ("binary.txt", b"\x00\x01\x02\x03", "must be a PDF, PNG, JPEG, Word"),
        ("fake.docx", b"PK\x03\x04garbage", "must be a PDF, PNG, JPEG, Word"),
    ],
)
def test_odd_attachments_are_refused_with_a_clear_message(client, hub, name, content, message):
    start(client)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        "/complaints/formal/details/", {**form_data(date(2026, 1, 5)), "attachments": [upload]}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachment_types_are_sniffed_not_trusted(client, hub, calendar, settings):
    start(client)
    files = [
        SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        SimpleUploadedFile("letter.docx", docx_bytes()),
        SimpleUploadedFile("notes", "Café notes, naïve résumé".encode()),
    ]
    response = client.post(
        "/complaints/formal/details/", {**form_data(date(2026, 1, 5)), "attachments": files}
    )
    assert response.status_code == 302
    types = sorted(Attachment.objects.values_list("content_type", flat=True))
    assert types == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/jpeg",
        "image/png",
        "text/plain",
    ]
    assert all(not a.file.name.endswith(("scan.jpg", "notes")) for a in Attachment.objects.all())


def test_too_large_and_too_many_attachments(client, hub, settings):
    settings.COMPLAINTS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    start(client)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    page = client.post(
        "/complaints/formal/details/", {**form_data(date(2026, 1, 5)), "attachments": [big]}
    ).content.decode()
    assert "big.pdf is larger than 1 MB" in page
    many = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(6)]
    page = client.post(
        "/complaints/formal/details/", {**form_data(date(2026, 1, 5)), "attachments": many}
    ).content.decode()
    assert "Attach up to 5 files" in page


def test_complaint_about_the_lead_school_is_redirected_to_the_dfe_and_recorded(client, hub):
    response = start(client, "lead_school")
    page = client.get(response.url).content.decode()
    assert "Maths.PROGRAMME@education.gov.uk" in page
    c = Complaint.objects.get()
    assert c.outcome == Outcome.REDIRECTED and c.status == Status.CLOSED
    assert c.full_name == "" and c.email == ""
    assert AuditEvent.objects.filter(action="complaints.complaint.redirected").count() == 1
    client.get(response.url)  # a reload records nothing more
    assert Complaint.objects.count() == 1


def test_late_complaint_filed_in_the_holidays_is_accepted_and_flagged(
    client, hub, calendar, people, django_capture_on_commit_callbacks
):
    from complaints import services

    from .conftest import complaint_data

    # Sent Sat 27 Dec 2025 (Christmas holiday) about an issue on Mon 13 Oct 2025. 8 school
    # weeks: 20 Oct (1), [27 Oct half term], 3 Nov (2), 10 Nov (3), 17 Nov (4), 24 Nov (5),
    # 1 Dec (6), 8 Dec (7), 15 Dec (8) -> the window ended Mon 15 Dec 2025: it is late.
    with django_capture_on_commit_callbacks(execute=True):
        c = services.complaint_file(
            data=complaint_data(issue_date=date(2025, 10, 13)),
            received_on=date(2025, 12, 27),
            formal=True,
        ).complaint
    assert c.late and "15 December 2025" in c.late_note
    assert c.clock_starts_on == date(2026, 1, 5)
    assert c.ack_due_on == date(2026, 1, 12)


def test_honeypot_thanks_politely_and_keeps_nothing(client, hub):
    start(client)
    response = client.post(
        "/complaints/formal/details/", {**form_data(date(2026, 1, 5)), "website": "spam"}
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert client.get("/complaints/formal/check/").status_code == 302  # nothing kept
    response = client.post("/complaints/concern/", {"website": "http://spam.example"})
    assert "Thank you" in response.content.decode()
    assert not Complaint.objects.exists()


def test_rate_limit_per_address(client, hub, calendar, settings):
    settings.COMPLAINTS_SUBMISSIONS_PER_HOUR = 2
    data = {
        "full_name": "Robin Fictional",
        "email": "robin@example.org",
        "phone": "",
        "concerns": "other",
        "what_happened": "Something odd.",
    }
    codes = [client.post("/complaints/concern/", data).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert "Robin Fictional" in client.post("/complaints/concern/", data).content.decode()
    assert Complaint.objects.count() == 2


def test_informal_concern_form(client, hub, calendar, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/complaints/concern/",
            {
                "full_name": "Robin Fictional",
                "email": "robin@example.org",
                "concerns": "staff",
                "what_happened": "A rude email.",
            },
        )
    c = Complaint.objects.get()
    assert c.status == Status.INFORMAL and c.source == Source.INFORMAL_FORM
    assert c.ack_due_on is None
    assert "Concern sent" in client.get(response.url).content.decode()


def test_issue_date_in_the_future_is_refused(client, hub):
    start(client)
    page = client.post("/complaints/formal/details/", form_data(date(2099, 1, 1))).content.decode()
    assert "must be today or in the past" in page


TEXT = st.text(max_size=300)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=TEXT,
    email=TEXT,
    what=TEXT,
    day=st.text(max_size=5),
    month=st.text(max_size=5),
    year=st.text(max_size=6),
    concerns=st.sampled_from(["staff", "mhl", "sll", "other", "nonsense", ""]),
)
def test_hostile_input_never_causes_a_server_error(
    client, hub, name, email, what, day, month, year, concerns
):
    client.post("/complaints/formal/", {"concerns": concerns})
    data = {
        **form_data(date(2026, 1, 5)),
        "full_name": name,
        "email": email,
        "what_happened": what,
        "issue_date_day": day,
        "issue_date_month": month,
        "issue_date_year": year,
    }
    response = client.post("/complaints/formal/details/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 302 and response.url.endswith("/check/"):
        assert client.get("/complaints/formal/check/").status_code == 200
    response = client.post(
        "/complaints/concern/",
        {"full_name": name, "email": email, "concerns": concerns, "what_happened": what},
    )
    assert response.status_code in (200, 302, 429)
