"""What a reader of a report PDF sees: the cover on page 1 and contents on page 2, a table of
several pages with its header row on every page, no word or figure broken inside a cell, charts
with labelled axes and values, and the PDF/UA structure a screen reader needs."""

from __future__ import annotations

import re

import pytest

from reports import charts, layout, services
from reports.models import ReportKind
from tests.pdfcheck import assert_accessible, page_texts

pytestmark = pytest.mark.django_db

COLUMNS = ["Budget line", "Kind", "Budget", "Forecast", "Actual", "Budget less forecast"]


def _long_report(author, year, rows: int = 90):
    report = services.create_report(kind=ReportKind.FINANCIAL, year=year, actor=author)
    report.figures = {
        "sections": [
            {
                "title": "Spending by line",
                "facts": [["Grant", "£1,249,500.00"], ["Spending risk", "No risk"]],
                "columns": COLUMNS,
                "rows": [
                    [
                        f"Participants' release time, line {i}",
                        "Variable project funding",
                        "£249,500.00",
                        "£1,249,500.00",
                        "£-12,000.50",
                        "100%",
                    ]
                    for i in range(rows)
                ],
                "chart": {
                    "title": "Spend by quarter: actual against forecast (£)",
                    "bars": [["Q1", 100000, 250000], ["Q2", 249500, 250000]],
                    "unit": "£",
                    "value_label": "Actual",
                    "target_label": "Forecast",
                },
            }
        ]
    }
    report.save(update_fields=["figures"])
    return report


def test_cover_is_page_one_and_contents_page_two(author, year, hub):
    report = services.create_report(kind=ReportKind.PROGRESS, year=year, actor=author)
    pages = page_texts(services.render_report(report))
    assert report.title in pages[0]
    assert "Draft for quality assurance" in pages[0]
    assert "Contents" not in pages[0]
    assert pages[1].lstrip().splitlines()[0:3] and "Contents" in pages[1]
    assert "Quality assurance and sign-off" in pages[1]


def test_a_table_of_several_pages_repeats_its_header_on_every_page(author, year, hub):
    report = _long_report(author, year)
    data = services.render_report(report)
    pages = page_texts(data, layout=True)
    table_pages = [p for p in pages if "Participants' release" in p]
    assert len(table_pages) >= 3, "the table spans several pages"
    header = re.compile(r"Budget line\s+Kind\s+Budget\s+Forecast\s+Actual\s+Budget less")
    for text in table_pages:
        # Read in order, each page has the header row before that page's first row.
        found = header.search(text)
        assert found, text[:400]
        assert found.start() < text.index("Participants' release")
    # Every row is there once, whole: none lost at a page break, none split across two pages.
    numbers = [int(n) for p in pages for n in re.findall(r"time, line (\d+)", p)]
    assert numbers == list(range(90))


def test_no_word_or_figure_is_broken_inside_a_cell(author, year, hub):
    report = _long_report(author, year, rows=12)
    text = "\n".join(page_texts(services.render_report(report), layout=True))
    for whole in ["£249,500.00", "£1,249,500.00", "£-12,000.50", "Participants'", "Variable"]:
        assert whole in text
    # Nothing hyphenated or cut: no line in the table ends with part of a word or figure.
    for fragment in ["Participan\n", "£249,50\n", "Publishe\n", "Budget les\n"]:
        assert fragment not in text
    for line in text.splitlines():
        assert not re.search(r"\w-$", line.strip()), f"hyphenated at line end: {line!r}"


def test_the_chart_stays_with_its_caption_and_has_labelled_axes_and_values(author, year, hub):
    report = _long_report(author, year, rows=1)
    pages = page_texts(services.render_report(report))
    chart_page = next(p for p in pages if "Figure: Spend by quarter" in p)
    for label in ["Actual", "Forecast", "Pounds (£)", "Q1", "Q2", "£0", "£250,000"]:
        assert label in chart_page
    assert "£100,000 of £250,000" in chart_page and "£249,500 of £250,000" in chart_page


def test_report_pdf_is_pdf_ua_with_scoped_table_headers(author, year, hub):
    report = _long_report(author, year, rows=3)
    found = assert_accessible(services.render_report(report), title=report.title)
    # The facts table: two column headers, then a row header per fact; the wide table's six
    # column headers.
    assert found["scopes"][:4] == ["/Column", "/Column", "/Row", "/Row"]
    assert found["scopes"][4:] == ["/Column"] * len(COLUMNS)
    assert "/Figure" in found["tags"]


def test_layout_finds_figure_columns_and_writes_dates_for_people():
    t = layout.table(
        ["Meeting", "Date", "Schools"],
        [["Autumn", "2026-12-08", 4], ["Spring", "2027-03-10", "1,204"]],
    )
    assert [c["figure"] for c in t["columns"]] == [False, False, True]
    assert t["rows"][0][1]["text"] == "8 December 2026"
    assert t["rows"][1][2] == {"text": "1,204", "figure": True}


def test_axis_steps_are_round_numbers():
    assert charts.nice_step(8) == 2
    assert charts.nice_step(249_500) == 50_000
    assert charts.nice_step(75) == 20
    assert charts.value_text(2, 3, "schools") == "2 of 3 schools"


@pytest.mark.parametrize("paragraphs", [2, 9, 16, 23, 30])
def test_no_heading_or_caption_is_left_at_the_foot_of_a_page(author, year, hub, paragraphs):
    """Narratives of different lengths move the sections up and down the pages: wherever a
    page breaks, it never ends with a heading or a chart's caption."""
    report = _long_report(author, year, rows=14)
    report.figures["sections"].insert(
        0,
        {
            "title": "Reach",
            "facts": [["Schools", 40]],
            "chart": {"title": "Reach against target", "bars": [["Primary", 20, 75]], "unit": "%"},
        },
    )
    report.narrative = {
        "commentary": "\n\n".join(
            f"Paragraph {i}: spending followed the plan agreed with the NCETM this term."
            for i in range(paragraphs)
        )
    }
    report.save(update_fields=["figures", "narrative"])
    headings = {"Commentary on spending and contingency", "Reach", "Spending by line"}
    headings |= {"Figure: Reach against target", "Figure: Spend by quarter: actual against"}
    for number, text in enumerate(page_texts(services.render_report(report), layout=True), 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        content = [line for line in lines if not re.search(r"Page \d+ of \d+", line)]
        last = content[-1] if content else ""
        assert not any(last.startswith(h) for h in headings), (number, last)
