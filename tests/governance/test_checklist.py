"""The Grant Offer Letter checklist: every Annex B objective, computed where hubops can."""

import re
from datetime import UTC, date, datetime

import pytest

from governance import selectors, services
from governance.models import (
    Appointment,
    BoardMember,
    ChecklistEntry,
    MeetingStatus,
    MeetingTerm,
    ObjectiveStatus,
)
from governance.objectives import OBJECTIVES
from tests.conftest import DATA

pytestmark = pytest.mark.django_db


def rows_by_code(year, today):
    return {r.objective.code: r for r in selectors.checklist(year, today)}


def test_every_annex_b_bullet_is_an_objective():
    # Annex B of the DfE's Lead School specification, kept word for word in tests/data/domain/.
    annex_b = (DATA / "domain" / "annex_b_2022_23.txt").read_text(encoding="utf-8")
    assert annex_b.startswith("Annex B: Grant Offer Letter")
    bullets = [line for line in annex_b.splitlines() if line.startswith("·")]
    assert len(bullets) == len(OBJECTIVES) == 41
    for bullet, objective in zip(bullets, OBJECTIVES, strict=True):
        first_words = " ".join(re.findall(r"[A-Za-z]+", bullet)[:4])
        assert " ".join(re.findall(r"[A-Za-z]+", objective.text)[:4]) == first_words


def test_compliant_records_are_met(year, team, board):
    rows = rows_by_code(year, date(2026, 1, 15))
    for code in (
        "team-roles",
        "team-capacity",
        "team-contingency",
        "team-job-descriptions",
        "board-chair",
        "board-balance",
        "board-published",
    ):
        assert rows[code].status == ObjectiveStatus.MET, (code, rows[code].evidence)
    assert rows["board-three-meetings"].status == ObjectiveStatus.MISSING
    assert rows["llme-development"].evidence == ["Not yet assessed by staff."]


def test_project_manager_leaving_mid_year_is_missing_with_reason(year, team, board):
    pm = Appointment.objects.get(person_name="Robin Fictional")
    pm.ends_on = date(2026, 2, 27)
    pm.save()
    before = rows_by_code(year, date(2026, 2, 1))["team-roles"]
    assert before.status == ObjectiveStatus.AT_RISK
    assert (
        "Robin Fictional (Maths Hub Project Manager) leaves on 27 February 2026." in before.evidence
    )
    after = rows_by_code(year, date(2026, 3, 2))
    assert after["team-roles"].status == ObjectiveStatus.MISSING
    assert any("neither a Maths Hub Co-ordinator nor" in e for e in after["team-roles"].evidence)
    assert after["team-capacity"].status == ObjectiveStatus.AT_RISK


def test_board_with_too_many_lead_school_members_fails_balance(year, team, board):
    BoardMember.objects.filter(name__in=["Bea Primary", "Cal Primary", "Dee Secondary"]).update(
        independent=False
    )
    row = rows_by_code(year, date(2026, 1, 15))["board-balance"]
    assert row.status == ObjectiveStatus.MISSING
    assert row.evidence == [
        "Only 5 of 10 members are independent of the Lead School; most members must be."
    ]


def test_meeting_whose_notes_chair_has_not_agreed_is_at_risk(year, board, staff, sll, chair):
    before, after = date(2025, 11, 1), date(2025, 11, 24)
    m = services.meeting_schedule(
        academic_year_id=year.pk,
        today=date(2025, 9, 1),
        term=MeetingTerm.AUTUMN,
        held_on=date(2025, 11, 20),
        actor=staff,
    )
    services.meeting_draft_agenda(meeting_id=m.pk, actor=sll, agenda="1", today=before)
    services.meeting_agree_agenda(meeting_id=m.pk, actor=chair, today=before)
    services.meeting_record_attendance(
        meeting_id=m.pk, actor=staff, today=after, present_ids={board[0].pk}
    )
    services.meeting_draft_notes(meeting_id=m.pk, actor=staff, notes="Notes", today=after)
    services.meeting_agree_notes(meeting_id=m.pk, actor=sll, today=after, agreed_on=after)
    row = rows_by_code(year, date(2026, 1, 15))["board-agenda-notes"]
    assert row.status == ObjectiveStatus.AT_RISK
    assert row.evidence == ["The notes of 20 November 2025 are not yet agreed by the Chair."]
    assert m.__class__.objects.get(pk=m.pk).status == MeetingStatus.NOTES_DRAFTED


def test_staff_written_objective(year, staff):
    services.checklist_entry_save(
        academic_year_id=year.pk,
        today=date(2026, 1, 15),
        objective="comms-external",
        status="met",
        evidence="Newsletter each half term.",
        actor=staff,
    )
    row = rows_by_code(year, date(2026, 1, 15))["comms-external"]
    assert (row.status, row.evidence, row.computed) == (
        "met",
        ["Newsletter each half term."],
        False,
    )
    with pytest.raises(services.GovernanceError, match="computed"):
        services.checklist_entry_save(
            academic_year_id=year.pk,
            today=date(2026, 1, 15),
            objective="team-roles",
            status="met",
            evidence="",
            actor=staff,
        )
    assert ChecklistEntry.objects.count() == 1


# -- objectives computed from the other apps' records ---------------------------------------


def test_evaluation_reports_follow_the_leads_reports(year):
    from workgroups.models import (
        GroupStatus,
        LeadReport,
        Project,
        ProjectKind,
        ReportStatus,
        WorkGroup,
    )

    during, after = date(2026, 3, 2), date(2026, 9, 7)
    assert rows_by_code(year, during)["plan-evaluation-reports"].status == ObjectiveStatus.AT_RISK
    project = Project.objects.create(
        code="NCP 25-01", title="Fictional project", kind=ProjectKind.NCP, academic_year=year
    )
    group = WorkGroup.objects.create(
        code="WG-9",
        title="Fictional",
        project=project,
        status=GroupStatus.COMPLETED,
        capacity_schools=10,
    )
    row = rows_by_code(year, after)["plan-evaluation-reports"]
    assert row.status == ObjectiveStatus.MISSING
    assert row.evidence == ["WG-9: the Lead's evaluation report is not submitted."]
    LeadReport.objects.create(work_group=group, status=ReportStatus.SUBMITTED)
    row = rows_by_code(year, after)["plan-evaluation-reports"]
    assert row.status == ObjectiveStatus.MET
    assert row.computed


def test_participation_returns_are_met_by_an_export_in_the_year(year):
    from workgroups.models import ParticipationExport

    row = rows_by_code(year, date(2026, 3, 2))["data-participation"]
    assert (row.status, row.evidence) == (
        ObjectiveStatus.AT_RISK,
        ["No participation return has been exported in 2025/26."],
    )
    export = ParticipationExport.objects.create(file_format="csv", people_count=42, row_count=42)
    ParticipationExport.objects.filter(pk=export.pk).update(at=datetime(2026, 2, 27, 9, tzinfo=UTC))
    row = rows_by_code(year, date(2026, 3, 2))["data-participation"]
    assert row.status == ObjectiveStatus.MET
    assert "(42 people)" in row.evidence[0]


def test_the_dpia_must_be_signed_off_and_reviewed_on_time(year):
    from privacy.models import DPIA

    assert rows_by_code(year, date(2026, 3, 2))["data-dpia"].status == ObjectiveStatus.MISSING
    dpia = DPIA.objects.create(
        title="Work Groups DPIA", screening="s", risks="r", measures="m", review_on=date(2026, 3, 1)
    )
    assert rows_by_code(year, date(2026, 3, 2))["data-dpia"].status == ObjectiveStatus.MISSING
    dpia.signed_off_by, dpia.signed_off_on = "Alex Fictional", date(2025, 3, 1)
    dpia.save()
    row = rows_by_code(year, date(2026, 3, 2))["data-dpia"]
    assert row.status == ObjectiveStatus.AT_RISK
    assert row.evidence[0].endswith("review due 1 March 2026. The review is overdue.")
    dpia.review_on = date(2027, 3, 1)
    dpia.save()
    assert rows_by_code(year, date(2026, 3, 2))["data-dpia"].status == ObjectiveStatus.MET


def test_reporting_objectives_follow_signed_reports(year):
    """The checklist reads governance's own record of each deadline, which the reports app
    fills through ``report_due_date_met`` when the SLL signs (tests/reports covers that)."""
    from governance.models import ReportDueDate, ReportKind

    assert rows_by_code(year, date(2026, 3, 2))["plan-annual-reporting"].status == (
        ObjectiveStatus.AT_RISK
    )
    due = ReportDueDate.objects.create(
        kind=ReportKind.PROGRESS, academic_year=year, due_on=date(2026, 3, 27)
    )
    assert rows_by_code(year, date(2026, 3, 2))["plan-progress-reports"].status == (
        ObjectiveStatus.MET
    )
    row = rows_by_code(year, date(2026, 4, 1))["plan-progress-reports"]
    assert row.status == ObjectiveStatus.MISSING
    assert row.evidence[0] == "The progress report due 27 March 2026 is not signed off."
    services.report_due_date_met(
        due_date_id=due.pk, met_on=date(2026, 3, 26), met_by="Spring progress report", actor=None
    )
    assert rows_by_code(year, date(2026, 4, 1))["plan-progress-reports"].status == (
        ObjectiveStatus.MET
    )
    # A second sign-off for the same deadline does not move the day it was met.
    services.report_due_date_met(
        due_date_id=due.pk, met_on=date(2026, 4, 20), met_by="Reissued", actor=None
    )
    due.refresh_from_db()
    assert (due.met_on, due.met_by) == (date(2026, 3, 26), "Spring progress report")


def test_a_report_signed_after_its_deadline_is_at_risk_and_says_when(year):
    from governance.models import ReportDueDate, ReportKind

    due = ReportDueDate.objects.create(
        kind=ReportKind.PROGRESS, academic_year=year, due_on=date(2026, 3, 27)
    )
    services.report_due_date_met(
        due_date_id=due.pk, met_on=date(2026, 4, 2), met_by="Spring", actor=None
    )
    row = rows_by_code(year, date(2026, 4, 10))["plan-progress-reports"]
    assert row.status == ObjectiveStatus.AT_RISK
    assert "The progress report due 27 March 2026 was signed off late, on 2 April 2026." in (
        row.evidence
    )
