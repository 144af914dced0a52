"""A form body that is not UTF-8 is refused with a 400 that says why; nothing is stored."""

from __future__ import annotations

import pytest

from complaints.models import Complaint
from privacy.models import DataRequest
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"
FIELDS = b"&email=robin%40example.org&concerns=other&what_happened=Something+odd."


@pytest.fixture(autouse=True)
def hub(db):
    return HubFactory()


def test_raw_non_utf8_bytes_are_refused_with_a_clear_message(client):
    response = client.post(
        "/complaints/concern/", data=b"full_name=\xff\xfe\xfa" + FIELDS, content_type=URLENCODED
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your form could not be read" in page
    assert "character encoding other than UTF-8" in page
    assert not Complaint.objects.exists()


def test_percent_encoded_non_utf8_is_refused(client):
    response = client.post(
        "/privacy/requests/new/",
        data=b"kind=access&full_name=%FF%FE%FA&email=robin%40example.org",
        content_type=URLENCODED,
    )
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_a_declared_latin1_body_is_refused_not_stored_as_latin1(client):
    response = client.post(
        "/complaints/concern/",
        data="full_name=Zoë" + FIELDS.decode(),  # the test client encodes it as Latin-1
        content_type=URLENCODED + "; charset=iso-8859-1",
    )
    assert response.status_code == 400
    assert not Complaint.objects.filter(full_name__contains="ë").exists()
    assert not Complaint.objects.exists()


def test_a_multipart_field_that_is_not_utf8_is_refused(client):
    boundary = "----hubops"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="full_name"\r\n\r\n'.encode()
        + b"\xff\xfe\xfa\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/complaints/concern/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_utf8_names_are_welcome(client, settings):
    response = client.post(
        "/complaints/concern/",
        data="full_name=Zoë Ó Dálaigh".encode() + FIELDS,
        content_type=URLENCODED,
    )
    assert response.status_code == 302
    assert Complaint.objects.get().full_name == "Zoë Ó Dálaigh"
