"""Every PDF the complaints procedure makes is PDF/UA (tagged, en-GB, titled, fonts embedded,
table headers scoped) and reads in order: the letter, the copy of the complaint, the figures."""

from __future__ import annotations

from datetime import date

import pytest

from complaints import figures, services
from complaints.models import LetterKind
from hubops.models import AcademicYear
from tests.complaints.factories import ComplaintFactory
from tests.pdfcheck import assert_accessible, in_order, page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(calendar, hub, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ComplaintFactory()


def test_the_acknowledgement_letter(filed, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_acknowledge(
            complaint_id=filed.pk, actor=people["mhl"], today=date(2026, 1, 14)
        )
    letter = filed.letters.get(kind=LetterKind.ACKNOWLEDGEMENT)
    data = letter.pdf.read()
    assert_accessible(data, title=letter.subject)
    text = page_texts(data)[0]
    assert in_order(
        text, "Riverside Maths Hub", "Pat O'Fictional", "14 January 2026", filed.reference
    )


def test_the_copy_of_the_complaint(filed):
    data = services.copy_pdf(filed)
    found = assert_accessible(data, title=f"Complaint {filed.reference}")
    assert found["scopes"] and set(found["scopes"]) == {"/Row"}
    text = "\n".join(page_texts(data))
    assert in_order(
        text, f"Formal complaint {filed.reference}", "Name", "Pat O'Fictional", "What happened"
    )


def test_the_annual_figures(filed):
    AcademicYear.objects.get_or_create(
        name="2025/26", defaults={"starts_on": date(2025, 9, 1), "ends_on": date(2026, 8, 31)}
    )
    data = figures.figures_pdf("2025/26")
    found = assert_accessible(data, title="Complaints 2025/26")
    # The timeliness table's first row is all headers: column headers; the rest are row headers.
    assert "/Column" in found["scopes"] and "/Row" in found["scopes"]
    text = "\n".join(page_texts(data))
    assert in_order(text, "Complaints: annual figures 2025/26", "Received", "Stage reached")
