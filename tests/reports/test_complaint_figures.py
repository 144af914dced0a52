"""The complaint figures in the annual report (issue #16 item 8): by stage, outcome, theme and
month, and the time to respond against the deadline, each as a chart and a table, taken with
the draft's figures, legible in the PDF, kept with its heading, and tagged for PDF/UA."""

from __future__ import annotations

import io
import re
from datetime import date

import pikepdf
import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportKind
from tests.pdfcheck import assert_accessible, page_texts, structure_elements
from tests.reports.factories import ComplaintFactory, complaints_for_a_year

pytestmark = pytest.mark.django_db

TITLES = [
    "Complaints by the stage they reached, 2025/26",
    "Complaints by outcome, 2025/26",
    "Complaints by theme, 2025/26",
    "Complaints received by month, 2025/26",
    "Time to respond against the deadline, 2025/26",
]


@pytest.fixture
def annual(author, year, hub):
    complaints_for_a_year()
    return services.create_report(kind=ReportKind.ANNUAL, year=year, actor=author)


def _complaints(report) -> dict:
    return next(s for s in report.figures["sections"] if s["title"] == "Complaints")


def _chart(report, slug: str) -> dict:
    return next(c for c in _complaints(report)["charts"] if c["slug"] == slug)


def test_the_draft_stores_each_chart_with_its_figures(annual):
    assert [c["title"] for c in _complaints(annual)["charts"]] == TITLES
    stage = _chart(annual, "complaints-stage")
    assert stage["categories"] == ["Stage 1: informal", "Stage 2: formal", "Stage 3: appeal"]
    assert stage["series"][0]["values"] == [3, 3, 1]  # the redirected one is not counted
    # Themes are labelled as people read them, not as stored.
    themes = _chart(annual, "complaints-theme")
    assert dict(zip(themes["categories"], themes["series"][0]["values"], strict=True)) == {
        "A decision the hub made": 1,
        "An event": 1,
        "A service the hub provides": 1,
        "A Work Group": 4,
    }
    months = _chart(annual, "complaints-month")
    assert months["categories"][0] == "Sep 2025" and len(months["categories"]) == 12
    assert sum(months["series"][0]["values"]) == 8
    timely = _chart(annual, "complaints-timeliness")
    assert [s["name"] for s in timely["series"]] == ["On time", "Late", "Not yet due"]
    # Acknowledgements: three on time and one late; the appeal was decided in time.
    assert [s["values"][0] for s in timely["series"]] == [3, 1, 0]
    assert [s["values"][2] for s in timely["series"]] == [1, 0, 0]


def test_the_charts_do_not_move_while_the_report_is_reviewed(annual, author):
    ComplaintFactory(received_on=date(2026, 6, 3))
    annual.refresh_from_db()
    assert sum(_chart(annual, "complaints-month")["series"][0]["values"]) == 8
    text = "\n".join(page_texts(services.render_report(annual), layout=True))
    assert re.search(r"Jun 2026\s+0\b", text), "the PDF shows the figures taken with the draft"
    services.refresh_figures(annual.pk, actor=author)
    annual.refresh_from_db()
    assert sum(_chart(annual, "complaints-month")["series"][0]["values"]) == 9


def test_each_chart_is_in_the_pdf_with_its_heading_axis_values_and_table(annual):
    pages = page_texts(services.render_report(annual), layout=True)
    for title in TITLES:
        page = next(p for p in pages if f"Figure: {title[:30]}" in p.replace("\n", " "))
        # The caption, the picture (its axis title and a value) and the table of the same
        # figures are on one page: nothing is left at the foot of the page before.
        assert "The figures" in page, title
        assert "Complaints" in page
    stage = next(p for p in pages if "Figure: Complaints by the stage" in p)
    assert re.search(r"Stage reached\s+Complaints", stage)
    assert re.search(r"Stage 3: appeal\s+1\b", stage)
    timely = next(p for p in pages if "Figure: Time to respond" in p)
    assert re.search(r"Step\s+On time\s+Late\s+Not yet due", timely)
    assert re.search(r"Acknowledgements\s+3\s+1\s+0", timely)
    assert "On time" in timely and "Not yet due" in timely  # the chart's legend
    for page in pages:
        lines = [x.strip() for x in page.splitlines() if x.strip()]
        content = [x for x in lines if not re.search(r"Page \d+ of \d+", x)]
        assert not content[-1].startswith(("Figure:", "The figures")), content[-1]


def test_the_pdf_stays_pdf_ua_with_a_text_alternative_for_every_chart(annual):
    data = services.render_report(annual)
    found = assert_accessible(data, title=annual.title)
    assert "/Row" in found["scopes"] and "/Column" in found["scopes"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        alts = [str(e.get("/Alt", "")) for e in structure_elements(pdf) if e.S == "/Figure"]
    for title in TITLES:
        assert title in alts


def test_the_staff_page_shows_the_same_charts_as_tables(client, annual, author):
    client.force_login(author)
    page = client.get(reverse("reports:detail", args=[annual.pk])).text
    for title in TITLES:
        assert f"{title}: the figures" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="hub-chart__svg"') == 5


def test_a_report_drafted_before_the_charts_still_renders(author, year, hub):
    report = services.create_report(kind=ReportKind.COMPLAINTS, year=year, actor=author)
    section = _complaints(report)
    del section["charts"]
    report.save(update_fields=["figures"])
    text = "\n".join(page_texts(services.render_report(report)))
    assert "Received" in text and "Figure: Complaints by" not in text
