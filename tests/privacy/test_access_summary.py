"""The access export's summary.pdf reads as a document for a person: field labels, dates as
people write them, grouped by why the hub holds the data with how long it keeps it, no record
split across pages, PDF/UA; data.json still has the whole."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from hubops.personal_data import Person
from privacy import services, summary
from tests.pdfcheck import assert_accessible, in_order, page_texts

from .test_access_erasure import person_everywhere  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(person_everywhere):  # noqa: F811
    archive = zipfile.ZipFile(
        io.BytesIO(services.access_export(Person.for_user(person_everywhere), reference="DSR-7"))
    )
    return archive.read("summary.pdf"), json.loads(archive.read("data.json"))


def test_labels_and_dates_are_for_people(export):
    pdf, _ = export
    text = "\n".join(page_texts(pdf))
    for raw in ["full_name", "user_permissions", "date_of_birth", "previous_names", "_at\n"]:
        assert raw not in text, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), "no ISO timestamps"
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", text), "no microseconds"
    assert "1 April 1985" in text  # the date of birth
    assert "Full name" in text and "Alexandra Fictionalperson" in text
    assert "Date of birth" in text


def test_grouped_by_purpose_with_retention(export):
    pdf, _ = export
    text = "\n".join(page_texts(pdf))
    assert in_order(text, "Your account", "Why we hold it:", "How long we keep it:")
    assert "Concerns and complaints" in text and "Your data protection requests" in text
    assert "The programme's lifetime plus 6 months." in text
    assert ".." not in text


def test_no_record_is_split_across_pages(export):
    pdf, payload = export
    pages = page_texts(pdf)
    expected = [
        (f"{kind['title']}: record {i} of {len(kind['records'])}", record[-1][0])
        for group in summary.grouped(payload["sections"])
        for kind in group["sections"]
        for i, record in enumerate(kind["records"], start=1)
    ]
    assert len(expected) == sum(len(s["rows"]) for s in payload["sections"])
    assert len(pages) > 2, "long enough to need page breaks"
    found = 0
    for page in pages:
        starts = [m.start() for m in re.finditer(r"[^\n]+: record \d+ of \d+", page)]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(page)
            caption = page[start:].split("\n", 1)[0]
            last_label = dict(expected)[caption]
            # The record's last field is on the same page as its caption.
            assert last_label in page[start:end], f"{caption} is split across pages"
            found += 1
    assert found == len(expected), "every record is in the summary, once"


def test_data_json_keeps_the_machine_readable_whole(export):
    _, payload = export
    user = next(s for s in payload["sections"] if s["model"] == "hubops.user")["rows"][0]
    assert user["full_name"] == "Alexandra Fictionalperson"
    assert user["date_of_birth"] == "1985-04-01"


def test_summary_is_pdf_ua(export):
    pdf, _ = export
    found = assert_accessible(pdf, title="Your personal data (DSR-7)")
    assert set(found["scopes"]) == {"/Row"}


def test_values_are_written_out():
    assert summary.value_text("2026-12-08") == "8 December 2026"
    assert summary.value_text("2026-12-08T14:05:09.123456+00:00") == "8 December 2026, 14:05"
    assert summary.value_text("2026-07-08T14:05:09+00:00") == "8 July 2026, 15:05"  # BST
    assert summary.value_text(True) == "Yes" and summary.value_text(None) == "None"
    assert summary.label_for(None, "led_work_group") == "Led work group"
