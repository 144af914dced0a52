"""Reports on hubops.workflow: the table's guard for unwritten sections (the page says what is
missing instead of offering a button that would be refused), the split services, the one
family of errors, and the thin task over the due-date sweep."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from governance.models import ReportKind
from hubops.workflow import DomainError
from reports import services, tasks, workflow
from reports.narrative import NARRATIVE
from tests.reports.factories import ReportDueDateFactory

pytestmark = pytest.mark.django_db


def _draft(author, year, **narrative):
    report = services.report_create(kind=ReportKind.PROGRESS, year=year, actor=author)
    if narrative:
        services.report_narrative_save(report_id=report.pk, actor=author, narrative=narrative)
        report.refresh_from_db()
    return report


def test_every_kind_of_report_has_its_sections():
    assert set(NARRATIVE) == set(ReportKind.values)


def test_the_errors_are_one_family():
    assert issubclass(workflow.ReportError, DomainError)
    assert issubclass(workflow.IllegalMove, DomainError)
    assert services.ReportError is workflow.ReportError


def test_the_page_says_which_sections_are_missing_instead_of_offering_submit(
    client, author, year, hub
):
    report = _draft(author, year, delivery="On plan.")
    assert [m.name for m in workflow.available(report.status, {"staff"}, report)] == []
    client.force_login(author)
    page = client.get(reverse("reports:detail", args=[report.pk])).text
    assert "Submit for quality assurance</strong> is not possible yet." in page
    assert "Not yet written: Issues and mitigating actions." in page
    assert ">Submit for quality assurance</button>" not in page
    services.report_narrative_save(
        report_id=report.pk, actor=author, narrative={"delivery": "On plan.", "issues": "None."}
    )
    page = client.get(reverse("reports:detail", args=[report.pk])).text
    assert ">Submit for quality assurance</button>" in page and "not possible yet" not in page


def test_a_posted_submit_of_an_unwritten_report_is_refused_with_the_reason(
    client, author, year, hub
):
    report = _draft(author, year)
    client.force_login(author)
    response = client.post(reverse("reports:move", args=[report.pk, "submit"]))
    assert response.status_code == 400
    assert "<title>Error: " in response.text
    assert "Not yet written: Delivery against the plan, Issues and mitigating actions." in (
        response.text
    )


def test_a_return_is_the_one_the_status_and_person_allow(
    author, mhl, sll, year, hub, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hub.example"
    report = _draft(author, year, delivery="On plan.", issues="None.")
    services.report_submit(report_id=report.pk, actor=author)
    with pytest.raises(workflow.IllegalMove, match="Only the Maths Hub Lead can return"):
        services.report_return(report_id=report.pk, actor=sll, comment="Too soon.")
    with pytest.raises(workflow.ReportError, match="Say what needs to change"):
        services.report_return(report_id=report.pk, actor=mhl, comment="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report_id=report.pk, actor=mhl, comment="Add the spring figures.")
    report.refresh_from_db()
    assert report.status == workflow.DRAFT
    assert [e.action for e in report.events.all()][-1] == "mhl_return"
    returned = mail.outbox[-1]
    assert returned.to == [author.email]
    assert f"https://hub.example/staff/reports/{report.pk}/" in returned.body


def test_the_task_is_a_thin_wrapper_of_the_sweep(mhl, sll, year, hub, monkeypatch):
    ReportDueDateFactory(academic_year=year, due_on=date(2026, 4, 17))
    calls = []
    monkeypatch.setattr(
        tasks.reminders, "report_due_sweep", lambda *, today: calls.append(today) or 7
    )
    assert tasks.report_reminders_task() == 7
    assert len(calls) == 1 and isinstance(calls[0], date)
