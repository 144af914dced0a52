"""Hub staff set and change when each report is due on /staff/reports/due-dates/ (issue #15
item 2), without the admin: the GOV.UK date input, errors that keep what was typed, the
reminders following a moved deadline, and a met deadline left as it was met."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from governance.models import ReportDueDate, ReportKind
from hubops.models import AuditEvent
from reports import reminders, services
from reports.models import Report
from tests.factories import PASSWORD, UserFactory
from tests.reports.factories import ReportDueDateFactory

pytestmark = pytest.mark.django_db

LIST = reverse("reports:due_dates")
NEW = reverse("reports:due_date_new")


def _date(day, month, year, name="due_on"):
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


def test_staff_add_a_deadline_and_see_it_listed(client, author, year, hub):
    client.force_login(author)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "kind": "progress",
            "academic_year": year.pk,
            "label": "Spring term",
            **_date(27, 3, 2026),
        },
    )
    assert response.status_code == 302 and response["Location"] == LIST
    page = client.get(LIST).text
    assert "Deadline added: Termly progress report Spring term due 27 March 2026." in page
    assert "27 March 2026" in page and "Not yet" in page
    due = ReportDueDate.objects.get()
    assert (due.kind, due.academic_year, due.due_on) == ("progress", year, date(2026, 3, 27))
    assert AuditEvent.objects.filter(
        action="governance.reportduedate.created", object_id=str(due.pk), actor=author
    ).exists()


def test_a_wrong_date_is_refused_with_what_was_typed(client, author, year, hub):
    client.force_login(author)
    response = client.post(
        NEW, {"kind": "annual", "academic_year": year.pk, "label": "Year end", **_date(31, 2, 2026)}
    )
    assert response.status_code == 400
    page = response.text
    assert "<title>Error: Add a reporting deadline" in page
    assert "There is a problem" in page and "Due date must be a real date" in page
    assert 'value="Year end"' in page and 'value="31"' in page
    response = client.post(NEW, {"label": "Nothing else"})
    assert "Choose the kind of report" in response.text
    assert (
        "Choose the academic year" in response.text
        and "Enter the date the report is due" in response.text
    )
    assert not ReportDueDate.objects.exists()


def test_the_same_deadline_twice_is_refused(client, author, year, hub):
    ReportDueDateFactory(academic_year=year, due_on=date(2026, 3, 27))
    client.force_login(author)
    response = client.post(
        NEW, {"kind": "progress", "academic_year": year.pk, **_date(27, 3, 2026)}
    )
    assert response.status_code == 400
    assert "A termly progress report for 2025/26 is already due on that day." in response.text
    assert ReportDueDate.objects.count() == 1


def test_moving_a_deadline_moves_its_reminders(
    client, author, mhl, sll, year, hub, django_capture_on_commit_callbacks
):
    due = ReportDueDateFactory(academic_year=year, due_on=date(2026, 4, 17), label="Spring")
    url = reverse("reports:due_date_change", args=[due.pk])
    client.force_login(author)
    form = client.get(url).text
    assert 'value="17"' in form and 'value="4"' in form and 'value="2026"' in form
    response = client.post(url, {"label": "Spring term", **_date(24, 4, 2026)})
    assert response.status_code == 302
    due.refresh_from_db()
    assert (due.due_on, due.label) == (date(2026, 4, 24), "Spring term")
    assert AuditEvent.objects.get(action="governance.reportduedate.changed").data == {
        "from": "2026-04-17",
        "to": "2026-04-24",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.report_due_sweep(today=date(2026, 4, 3)) == 0  # the old date's
        assert reminders.report_due_sweep(today=date(2026, 4, 10)) == 1
    assert "Report due on 24 April 2026" in mail.outbox[-1].subject


def test_a_met_deadline_stays_as_it_was_met(client, author, mhl, sll, year, hub):
    due = ReportDueDateFactory(academic_year=year, due_on=date(2026, 4, 17))
    report = services.create_report(kind="progress", year=year, actor=author, due_date=due)
    services.save_narrative(
        report.pk, actor=author, narrative={"delivery": "On plan.", "issues": "None."}
    )
    services.move(report.pk, "submit", actor=author)
    services.move(report.pk, "mhl_approve", actor=mhl)
    services.move(report.pk, "sign", actor=sll, password=PASSWORD)
    due.refresh_from_db()
    assert due.met_on is not None
    client.force_login(author)
    page = client.get(LIST).text
    assert reverse("reports:due_date_change", args=[due.pk]) not in page
    assert report.title in page  # met by
    response = client.post(reverse("reports:due_date_change", args=[due.pk]), _date(1, 5, 2026))
    assert response.status_code == 400
    assert "This deadline was met when its report was signed off" in response.text
    due.refresh_from_db()
    assert due.due_on == date(2026, 4, 17)


def test_a_new_draft_names_the_deadline_it_meets(client, author, year, hub):
    due = ReportDueDateFactory(academic_year=year, kind=ReportKind.FINANCIAL, label="Quarter 2")
    client.force_login(author)
    assert (
        "Financial report Quarter 2 due 17 April 2026" in client.get(reverse("reports:list")).text
    )
    response = client.post(
        reverse("reports:new"),
        {"kind": "progress", "academic_year": year.pk, "due_date": due.pk},
    )
    assert response.status_code == 400
    assert "That deadline is for a financial report." in response.text
    response = client.post(
        reverse("reports:new"),
        {"kind": "financial", "academic_year": year.pk, "due_date": due.pk},
    )
    assert response.status_code == 302
    assert Report.objects.get().due_date == due


def test_only_the_reports_roles_may_set_deadlines(client, year, hub):
    due = ReportDueDateFactory(academic_year=year)
    client.force_login(UserFactory())
    for url in (LIST, NEW, reverse("reports:due_date_change", args=[due.pk])):
        assert client.get(url).status_code == 403
    assert client.post(NEW, {"kind": "progress"}).status_code == 403
    assert client.get(reverse("reports:due_date_change", args=[999999])).status_code == 403
