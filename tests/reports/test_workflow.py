"""The sign-off rules for each role, the frozen snapshot, the signed PDF and its hash."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.models import ReportDueDate, ReportKind
from hubops.models import AuditEvent
from reports import reminders, services, workflow
from reports.assemble import NARRATIVE
from reports.models import Report
from tests.factories import PASSWORD, UserFactory
from tests.reports.factories import RegistrationFactory, ReportDueDateFactory, running_group

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def group(year):
    return running_group(year, schools=3)


def _draft(author, year, kind=ReportKind.PROGRESS, *, written=True):
    report = services.create_report(kind=kind, year=year, actor=author, period="Spring term")
    if written:
        narrative = {
            key: f"The hub's account of {title.lower()}." for key, title in NARRATIVE[kind]
        }
        report = services.save_narrative(report.pk, actor=author, narrative=narrative)
    return report


def test_a_report_goes_to_qa_only_with_every_section_written(author, year, hub):
    report = _draft(author, year, written=False)
    services.save_narrative(report.pk, actor=author, narrative={"delivery": "On plan."})
    # A guard in the transition table now (issue #13): refused as an illegal move, same words.
    with pytest.raises(workflow.IllegalMove) as refused:
        services.move(report.pk, "submit", actor=author)
    assert str(refused.value) == (
        "Write every section before quality assurance. Not yet written: Issues and mitigating "
        "actions."
    )
    report.refresh_from_db()
    assert report.status == workflow.DRAFT
    services.save_narrative(
        report.pk, actor=author, narrative={"delivery": "On plan.", "issues": "None this term."}
    )
    assert services.move(report.pk, "submit", actor=author).status == workflow.SUBMITTED


def _to_sll(report, author, mhl):
    services.move(report.pk, "submit", actor=author)
    services.move(report.pk, "mhl_approve", actor=mhl)


def test_the_table_names_who_may_do_what():
    assert workflow.check("mhl_approve", workflow.SUBMITTED, {"mhl"}).target == (
        workflow.MHL_APPROVED
    )
    with pytest.raises(workflow.IllegalMove, match="Only the Senior Leadership Link can sign"):
        workflow.check("sign", workflow.MHL_APPROVED, {"staff", "mhl"})
    with pytest.raises(workflow.IllegalMove, match="Only the Maths Hub Lead can approve"):
        workflow.check("mhl_approve", workflow.SUBMITTED, {"staff", "sll"})
    with pytest.raises(workflow.IllegalMove, match="not possible now"):
        workflow.check("sign", workflow.DRAFT, {"sll"})
    assert workflow.available(workflow.ISSUED, {"sll"}) == []


def test_an_mhl_cannot_sign_and_an_sll_cannot_do_the_first_qa(author, mhl, sll, year, hub):
    report = _draft(author, year)
    services.move(report.pk, "submit", actor=author)
    with pytest.raises(workflow.IllegalMove):
        services.move(report.pk, "mhl_approve", actor=sll)
    services.move(report.pk, "mhl_approve", actor=mhl)
    with pytest.raises(workflow.IllegalMove):
        services.move(report.pk, "sign", actor=mhl, password=PASSWORD)
    assert Report.objects.get().status == workflow.MHL_APPROVED


def test_returns_need_a_comment_and_reach_the_author(
    author, mhl, sll, year, hub, django_capture_on_commit_callbacks
):
    report = _draft(author, year)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(report.pk, "submit", actor=author)
    assert mail.outbox[-1].to == [mhl.email]
    assert "Awaiting your quality assurance" in mail.outbox[-1].subject
    with pytest.raises(services.ReportError, match="Say what needs to change"):
        services.move(report.pk, "mhl_return", actor=mhl, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.move(report.pk, "mhl_approve", actor=mhl)
    assert mail.outbox[-1].to == [sll.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.move(report.pk, "sll_return", actor=sll, comment="Add the spring recruitment.")
    report.refresh_from_db()
    assert report.status == workflow.DRAFT
    assert mail.outbox[-1].to == [author.email]
    assert "Add the spring recruitment." in mail.outbox[-1].body
    assert [e.action for e in report.events.all()] == [
        "drafted",
        "narrative_saved",
        "submit",
        "mhl_approve",
        "sll_return",
    ]


def test_figures_under_review_do_not_change_with_the_data(author, mhl, year, hub, group):
    report = _draft(author, year)
    facts = dict(report.figures["sections"][0]["facts"])
    assert facts["Schools recruited"] == 3
    services.move(report.pk, "submit", actor=author)
    RegistrationFactory(work_group=group, full_name="Late Fictional")
    report.refresh_from_db()
    assert dict(report.figures["sections"][0]["facts"])["Schools recruited"] == 3
    with pytest.raises(services.ReportError, match="only be refreshed while"):
        services.refresh_figures(report.pk, actor=author)
    preview = pdf_text(services.render_report(report))
    assert re.search(r"Schools recruited\s+3\b", preview)
    services.move(report.pk, "mhl_return", actor=mhl, comment="Take the figures again.")
    services.refresh_figures(report.pk, actor=author)
    report.refresh_from_db()
    assert dict(report.figures["sections"][0]["facts"])["Schools recruited"] == 4


def test_signing_needs_the_password_and_freezes_the_pdf(author, mhl, sll, year, hub, group):
    report = _draft(author, year)
    services.save_narrative(
        report.pk, actor=author, narrative={"delivery": "On plan.", "issues": "None."}
    )
    _to_sll(report, author, mhl)
    with pytest.raises(services.ReportError, match="not your password"):
        services.move(report.pk, "sign", actor=sll, password="wrong")
    assert Report.objects.get().status == workflow.MHL_APPROVED
    services.move(report.pk, "sign", actor=sll, password=PASSWORD)
    report.refresh_from_db()
    assert report.status == workflow.ISSUED
    assert services.verify(report)
    text = pdf_text(report.pdf.open("rb").read())
    assert "Signed: Alex Fictional-Link" in text
    assert "Initial quality assurance by the Maths Hub Lead: Sam Fictional-Lead" in text
    assert "Riverside Maths Hub" in text and "Page 1 of" in text
    assert "Contents" in text and "On plan." in text
    info = subprocess.run(
        ["pdfinfo", "-"], input=report.pdf.open("rb").read(), capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"Tagged:\s+yes", info)  # PDF/UA: a tagged, accessible PDF
    # It cannot be signed again or edited.
    with pytest.raises(workflow.IllegalMove):
        services.move(report.pk, "sign", actor=sll, password=PASSWORD)
    with pytest.raises(services.ReportError):
        services.save_narrative(report.pk, actor=author, narrative={"delivery": "Changed"})
    before = report.pdf_sha256
    services.move(
        report.pk,
        "record_submission",
        actor=author,
        submitted_to="dfe",
        submitted_on=date(2026, 4, 1),
    )
    report.refresh_from_db()
    assert report.pdf_sha256 == before and services.verify(report)
    assert AuditEvent.objects.filter(action="reports.report.sign").count() == 1


def test_a_tampered_pdf_is_refused(client, author, mhl, sll, year, hub):
    report = _draft(author, year)
    _to_sll(report, author, mhl)
    services.move(report.pk, "sign", actor=sll, password=PASSWORD)
    report.refresh_from_db()
    path = report.pdf.path
    with open(path, "ab") as file:
        file.write(b"%tampered")
    assert not services.verify(report)
    client.force_login(sll)
    assert client.get(reverse("reports:pdf", args=[report.pk])).status_code == 404
    assert "does not match" in client.get(reverse("reports:detail", args=[report.pk])).text


def test_who_may_open_the_pages(client, author, year, hub):
    report = _draft(author, year)
    url = reverse("reports:detail", args=[report.pk])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.get(reverse("reports:list")).status_code == 403
    client.force_login(author)
    assert client.get(url).status_code == 200


def test_pages_refuse_wrong_moves_with_a_message(client, author, mhl, sll, year, hub):
    report = _draft(author, year)
    services.move(report.pk, "submit", actor=author)
    client.force_login(mhl)
    response = client.post(
        reverse("reports:move", args=[report.pk, "sign"]), {"password": PASSWORD}
    )
    assert response.status_code == 400
    assert "not possible now" in response.text
    response = client.post(reverse("reports:move", args=[report.pk, "nonsense"]))
    assert response.status_code == 400 and "not something you can do" in response.text
    client.force_login(sll)
    services.move(report.pk, "mhl_approve", actor=mhl)
    response = client.post(reverse("reports:move", args=[report.pk, "sign"]), {"password": ""})
    assert response.status_code == 400 and "Enter your password to sign." in response.text
    assert Report.objects.get().status == workflow.MHL_APPROVED


def test_new_report_form_errors(client, author, year, hub):
    client.force_login(author)
    response = client.post(reverse("reports:new"), {"kind": "evaluation", "academic_year": year.pk})
    assert response.status_code == 400 and "Enter the code of the Work Group" in response.text
    response = client.post(reverse("reports:new"), {"kind": "bogus", "academic_year": "x"})
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("kind", [k.value for k in ReportKind if k != ReportKind.EVALUATION])
def test_every_kind_drafts_and_renders(author, year, hub, group, kind):
    report = services.create_report(kind=kind, year=year, actor=author)
    text = pdf_text(services.render_report(report))
    assert ReportKind(kind).label in text
    assert "Draft for quality assurance: not signed off" in text


def test_evaluation_report_uses_the_standard_template(author, year, hub, group):
    report = services.create_report(
        kind=ReportKind.EVALUATION, year=year, actor=author, work_group=group
    )
    text = pdf_text(services.render_report(report))
    for outcome in ("Professional learning", "Practice development", "Pupil outcomes"):
        assert outcome in text
    assert "Evidence" in text and "Next steps" in text


def test_list_query_count(client, author, year, hub, django_assert_max_num_queries):
    for _ in range(15):
        _draft(author, year)
    client.force_login(author)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:list")).status_code == 200


def test_due_date_reminders_are_sent_once(
    author, mhl, sll, year, hub, django_capture_on_commit_callbacks
):
    due = ReportDueDateFactory(academic_year=year, due_on=date(2026, 4, 17), label="Spring")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.report_due_sweep(today=date(2026, 4, 3)) == 1
        assert reminders.report_due_sweep(today=date(2026, 4, 3)) == 0
        assert reminders.report_due_sweep(today=date(2026, 4, 10)) == 0
        assert reminders.report_due_sweep(today=date(2026, 4, 17)) == 1
    assert sorted(mail.outbox[0].to) == sorted([mhl.email, sll.email])
    assert "Report due on 17 April 2026" in mail.outbox[0].subject
    assert "due today" in mail.outbox[1].subject
    report = _draft(author, year)
    report.due_date = due
    report.save()
    _to_sll(report, author, mhl)
    services.move(report.pk, "sign", actor=sll, password=PASSWORD)
    due.refresh_from_db()
    assert due.met_on == timezone.localdate() and due.met_by == report.title
    assert AuditEvent.objects.filter(
        action="governance.reportduedate.met", object_id=str(due.pk)
    ).exists()
    ReportDueDate.objects.filter(pk=due.pk).update(due_on=date(2026, 5, 1))
    assert reminders.report_due_sweep(today=date(2026, 5, 1)) == 0  # issued: nothing to remind


def test_long_listings_are_summarised_per_project(author, year, hub, group, monkeypatch):
    from reports import assemble

    monkeypatch.setattr(assemble, "MAX_TABLE_ROWS", 0)
    report = services.create_report(kind=ReportKind.ANNUAL, year=year, actor=author)
    section = next(s for s in report.figures["sections"] if s["title"] == "Work Groups")
    assert section["columns"][:2] == ["Project", "Groups"]
    assert section["rows"] == [["NCP 25-07", 1, 6, 3, 3, 0]]
