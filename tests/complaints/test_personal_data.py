"""Complaints in the privacy registry: erasure is refused while a complaint is open, and a
closed complaint keeps its figures but loses the person; attachments are served only to the
people who may open the complaint."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.models import Attachment, Complaint, Outcome
from hubops.models import AuditEvent
from hubops.personal_data import Person
from privacy import services as privacy

from .conftest import complaint_data, login

pytestmark = pytest.mark.django_db


def test_erasure_is_refused_while_the_complaint_is_open(calendar, hub, people):
    c = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=True
    ).complaint
    report = privacy.erase_person(Person.for_email("pat@example.org"), today=date(2026, 1, 20))
    reasons = {r["model"]: r["reason"] for r in report.refused}
    assert "still open" in reasons["complaints.complaint"]
    assert Complaint.objects.get(pk=c.pk).full_name == "Pat O'Fictional"


def test_erasure_of_a_closed_complaint_keeps_the_figures(calendar, hub, people):
    c = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=True
    ).complaint
    services.store_attachment(data=b"my notes", original_name="pat.txt", complaint=c)
    path = c.attachments.get().file.path
    services.complaint_close(
        complaint_id=c.pk, actor=people["mhl"], outcome=Outcome.WITHDRAWN, today=date(2026, 1, 14)
    )
    exported = privacy.collect(Person.for_email("pat@example.org"))
    assert "complaints.complaint" in {s["model"] for s in exported}
    report = privacy.erase_person(Person.for_email("pat@example.org"), today=date(2026, 1, 20))
    assert report.refused == []
    c.refresh_from_db()
    assert c.full_name == "[erased]" and c.email == "" and c.what_happened == ""
    assert c.outcome == Outcome.WITHDRAWN and c.received_on == date(2026, 1, 12)
    assert not Attachment.objects.exists()
    import os

    assert not os.path.exists(path)


def test_attachments_are_served_only_to_those_who_may_open_the_complaint(
    client, calendar, hub, people
):
    c = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=True
    ).complaint
    a = services.store_attachment(
        data=b"%PDF-1.4 fictional", original_name="evidence.pdf", complaint=c
    )
    assert "/media/" not in a.file.name and "evidence" not in a.file.name
    login(client, people["staff"])  # hub staff: no complaint role
    assert client.get(f"/staff/complaints/{c.pk}/attachments/{a.pk}/").status_code == 403
    client.logout()
    login(client, people["head"])  # a complaint role, but not this complaint's route
    assert client.get(f"/staff/complaints/{c.pk}/attachments/{a.pk}/").status_code == 404
    client.logout()
    login(client, people["mhl"])
    response = client.get(f"/staff/complaints/{c.pk}/attachments/{a.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="evidence.pdf"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="complaints.attachment.downloaded").exists()


def test_an_uploaded_name_cannot_escape_the_folder(calendar, hub, people):
    c = services.complaint_file(
        data=complaint_data(), received_on=date(2026, 1, 12), formal=True
    ).complaint
    upload = SimpleUploadedFile("../../etc/passwd.txt", b"root")
    a = services.store_attachment(data=upload.read(), original_name=upload.name, complaint=c)
    assert a.file.name.startswith("complaints/attachments/") and ".." not in a.original_name
