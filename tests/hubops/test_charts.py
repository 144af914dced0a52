"""hubops.charts: SVG bar charts drawn on the server, each with a title, a description and the
same figures as a table; and the pages that show them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from hubops.charts import Series, axis_end, bar_chart, grouped_bar_chart, nice_max

SVG = "{http://www.w3.org/2000/svg}"


def test_a_grouped_chart_has_title_description_values_and_the_same_table():
    chart = grouped_bar_chart(
        title="Forecast <against> actual",
        description="Spend so far & the forecast.",
        categories=["Leadership", "Projects"],
        series=[Series("Forecast", [1000, 500]), Series("Actual", [900, None])],
        unit="£",
        axis_label="Pounds",
        slug="money",
    )
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output; every text escaped
    assert root.find(f"{SVG}title").text == "Forecast <against> actual"
    assert root.find(f"{SVG}desc").text == "Spend so far & the forecast."
    assert root.get("role") == "img" and "money-title" in root.get("aria-labelledby")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"£1,000", "£900", "£500", "none yet", "Leadership", "Pounds"} <= set(texts)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 3  # no bar for the missing actual
    widths = {r.find(f"{SVG}title").text: float(r.get("width")) for r in bars}
    assert widths["Leadership, Forecast: £1,000"] == pytest.approx(
        2 * widths["Projects, Forecast: £500"]
    )
    assert chart.table == {
        "headers": ["", "Forecast", "Actual"],
        "rows": [["Leadership", "£1,000", "£900"], ["Projects", "£500", "none yet"]],
    }
    assert "<script" not in str(chart.svg) and "style=" not in str(chart.svg)


def test_a_simple_chart_and_the_axis_end():
    chart = bar_chart(
        title="Complaints by stage",
        description="d",
        categories=["Stage 1", "Stage 2"],
        values=[3, 0],
        unit="",
    )
    assert chart.table["rows"] == [["Stage 1", "3"], ["Stage 2", "0"]]
    assert [nice_max(v) for v in (0, 3, 11, 99, 240, 1001)] == [1, 5, 20, 100, 250, 2000]
    # Small counts: whole-number ticks.
    assert [axis_end([v]) for v in (0, 3, 5, 11, 13)] == [4, 4, 8, 12, 20]
    assert axis_end([2.4]) == 2.5


# -- the pages --------------------------------------------------------------------------------


@pytest.fixture
def mhl(db, settings):
    from hubops.roles import Role
    from tests.factories import HubFactory, StaffFactory

    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    HubFactory()
    return StaffFactory(roles=[Role.MHL])


def figures_of(html: str, title: str) -> list[list[str]]:
    """The rows of the table that goes with the chart called ``title``."""
    section = html.split(f'<caption class="hub-table__caption hub-table__caption--s">{title}')[1]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_finance_page_charts_forecast_against_actual(client, mhl):
    from governance.models import BudgetLine, GrantYear, QuarterFigure
    from hubops.models import AcademicYear

    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    grant = GrantYear.objects.create(academic_year=year, amount=Decimal("400000"))
    line = BudgetLine.objects.create(grant=grant, kind="project", title="Projects", budget=4000)
    for q, actual in ((1, Decimal("800")), (2, None), (3, None), (4, None)):
        QuarterFigure.objects.create(line=line, quarter=q, forecast=Decimal(1000), actual=actual)
    client.force_login(mhl)
    html = client.get("/staff/governance/finance/", {"year": year.pk}).content.decode()
    assert "£200 under the forecast so far" in html
    assert figures_of(
        html, "Forecast against actual spend by budget line, quarters to date: the figures"
    ) == [["Projects", "£1,000", "£800"]]
    quarters = figures_of(html, "Forecast against actual spend by quarter: the figures")
    assert quarters[0] == ["Quarter 1", "£1,000", "£800"]
    assert quarters[1] == ["Quarter 2", "£1,000", "none yet"]
    assert '<title id="finance-lines-title">' in html


def test_compliance_page_charts_capacity_against_the_minimums(client, mhl):
    client.force_login(mhl)
    html = client.get("/staff/governance/").content.decode()
    rows = figures_of(html, "MHLM capacity against the minimum days a week: the figures")
    assert rows == [["Leadership", "0 days", "11 days"], ["Operational", "0 days", "10 days"]]


def test_complaints_figures_chart_stage_outcome_and_month(client, mhl):
    from complaints.models import Complaint, Status
    from hubops.models import AcademicYear

    AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    Complaint.objects.create(reference="CMP-A1", received_on=date(2025, 10, 3))
    Complaint.objects.create(
        reference="CMP-A2",
        received_on=date(2025, 10, 20),
        formal_on=date(2025, 10, 20),
        status=Status.CLOSED,
        outcome="upheld",
        closed_on=date(2025, 12, 1),
    )
    client.force_login(mhl)
    html = client.get("/staff/complaints/figures/", {"year": "2025/26"}).content.decode()
    stages = figures_of(html, "Complaints by the stage they reached, 2025/26: the figures")
    assert stages == [
        ["Stage 1: informal", "1"],
        ["Stage 2: formal", "1"],
        ["Stage 3: appeal", "0"],
    ]
    outcomes = dict(figures_of(html, "Complaints by outcome, 2025/26: the figures"))
    assert outcomes == {"Still open": "1", "Upheld": "1"}
    months = figures_of(html, "Complaints received by month, 2025/26: the figures")
    assert months[0] == ["Sep 2025", "0"] and months[1] == ["Oct 2025", "2"] and len(months) == 12


def test_work_group_list_charts_schools_against_places(client, mhl):
    from hubops.models import AcademicYear
    from tests.factories import SchoolFactory
    from workgroups.models import Project, Registration, WorkGroup

    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    project = Project.objects.create(code="P", title="P", kind="ncp", academic_year=year)
    group = WorkGroup.objects.create(
        code="WG-C",
        title="Fictional",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=3,
        recruitment="open",
        status="published",
    )
    Registration.objects.create(
        work_group=group,
        school=SchoolFactory(),
        full_name="Alex Fictional",
        role_at_school="Teacher",
        status="confirmed",
    )
    client.force_login(mhl)
    html = client.get("/staff/workgroups/").content.decode()
    rows = figures_of(html, "Schools registered against places, by Work Group: the figures")
    assert rows == [["WG-C: Fictional", "3 schools", "1 school"]]
