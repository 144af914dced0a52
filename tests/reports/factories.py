"""factory_boy factories for the reports tests: the academic year, a running Teaching for
Mastery Work Group with its registrations (the figures a report takes), reporting deadlines and
the people who sign reports off. Fictional people only."""

from __future__ import annotations

from datetime import date

import factory

from complaints.models import AboutKind, Complaint, Outcome
from complaints.models import Status as ComplaintStatus
from governance.models import ReportDueDate, ReportKind
from hubops.models import AcademicYear
from hubops.roles import Role
from tests.factories import AcademicYearFactory, StaffFactory
from tests.workgroups.factories import ProjectFactory, RegistrationFactory, WorkGroupFactory
from workgroups.models import (
    GroupStatus,
    WorkGroup,
)


def running_group(year: AcademicYear, *, schools: int, capacity: int = 6) -> WorkGroup:
    """A running TfM Work Group ("WG-7") with one confirmed teacher from each of ``schools``
    schools."""
    project = ProjectFactory(title="Fictional TfM", academic_year=year)
    group = WorkGroupFactory(
        code="WG-7",
        title="Fictional group",
        project=project,
        capacity_schools=capacity,
        status=GroupStatus.RUNNING,
    )
    RegistrationFactory.create_batch(schools, work_group=group, email="")
    return group


class ReportDueDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDueDate

    kind = ReportKind.PROGRESS
    academic_year = factory.SubFactory(AcademicYearFactory)
    due_on = date(2026, 4, 17)
    label = "Spring term"


def author() -> object:
    return StaffFactory(full_name="Robin Fictional-Coordinator", roles=[Role.HUB_STAFF])


def mhl() -> object:
    return StaffFactory(full_name="Sam Fictional-Lead", email="mhl@example.org", roles=[Role.MHL])


def sll() -> object:
    return StaffFactory(full_name="Alex Fictional-Link", email="sll@example.org", roles=[Role.SLL])


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint as the figures count it (no letters or history): received in the year,
    with the dates of the steps it reached. Personal fields stay empty."""

    class Meta:
        model = Complaint

    status = ComplaintStatus.INFORMAL
    about_kind = AboutKind.WORK_GROUP
    received_on = date(2025, 10, 6)


def complaints_for_a_year() -> list[Complaint]:
    """Eight complaints across 2025/26: every stage, five outcomes, four themes, acknowledged
    and responded to on time, late and not yet due (as of 2026-06-01)."""
    made = [
        ComplaintFactory(
            received_on=date(2025, 9, 15),
            status=ComplaintStatus.CLOSED,
            outcome=Outcome.RESOLVED_INFORMALLY,
        ),
        ComplaintFactory(
            received_on=date(2025, 10, 2),
            about_kind=AboutKind.EVENT,
            status=ComplaintStatus.CLOSED,
            outcome=Outcome.RESOLVED_INFORMALLY,
        ),
        ComplaintFactory(
            received_on=date(2025, 11, 10),
            about_kind=AboutKind.SERVICE,
            status=ComplaintStatus.CLOSED,
            outcome=Outcome.UPHELD,
            formal_on=date(2025, 11, 12),
            ack_due_on=date(2025, 11, 19),
            acknowledged_on=date(2025, 11, 14),
            response_due_on=date(2025, 12, 10),
            responded_on=date(2025, 12, 8),
        ),
        ComplaintFactory(
            received_on=date(2025, 11, 20),
            status=ComplaintStatus.CLOSED,
            outcome=Outcome.NOT_UPHELD,
            formal_on=date(2025, 11, 21),
            ack_due_on=date(2025, 11, 28),
            acknowledged_on=date(2025, 12, 2),
            response_due_on=date(2026, 1, 9),
            responded_on=date(2026, 1, 16),
            appeal_requested_on=date(2026, 1, 20),
            appeal_due_on=date(2026, 2, 27),
            appeal_decided_on=date(2026, 2, 20),
        ),
        ComplaintFactory(
            received_on=date(2026, 2, 3),
            about_kind=AboutKind.DECISION,
            status=ComplaintStatus.CLOSED,
            outcome=Outcome.PARTLY_UPHELD,
            formal_on=date(2026, 2, 4),
            ack_due_on=date(2026, 2, 11),
            acknowledged_on=date(2026, 2, 9),
            response_due_on=date(2026, 3, 13),
            responded_on=date(2026, 3, 10),
        ),
        ComplaintFactory(
            received_on=date(2026, 5, 11),
            status=ComplaintStatus.FORMAL,
            formal_on=date(2026, 5, 12),
            ack_due_on=date(2026, 5, 19),
            acknowledged_on=date(2026, 5, 18),
            response_due_on=date(2026, 6, 30),
        ),
        ComplaintFactory(received_on=date(2026, 5, 28), status=ComplaintStatus.INFORMAL),
        ComplaintFactory(
            received_on=date(2026, 3, 2),
            status=ComplaintStatus.CLOSED,
            outcome=Outcome.REDIRECTED,
            about_kind="",
        ),
    ]
    return made
