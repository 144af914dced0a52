"""factory_boy factories for governance records. Fictional people and organisations only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from governance.models import (
    Appointment,
    BoardMember,
    BudgetKind,
    BudgetLine,
    GrantYear,
    InductionStatus,
    LocalLeader,
    QuarterFigure,
    ServiceLevelAgreement,
    StakeholderCategory,
    TeamGroup,
    TeamRole,
)
from tests.factories import AcademicYearFactory


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person_name = factory.Sequence(lambda n: f"Alex Fictional{n}")
    role = TeamRole.MHL
    group = TeamGroup.LEADERSHIP
    days_per_week = Decimal("1")
    starts_on = date(2025, 9, 1)
    job_description = "Per NCETM role guidance."
    contingency_cover = "Covered by the MHL."
    induction_status = InductionStatus.NOT_NEEDED


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    name = factory.Sequence(lambda n: f"Member Fictional{n}")
    organisation = factory.Sequence(lambda n: f"Fictional School {n}")
    category = StakeholderCategory.SCHOOL_PRIMARY
    independent = True
    is_chair = False
    term_starts_on = date(2024, 9, 1)
    term_ends_on = date(2027, 8, 31)


class LocalLeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalLeader

    name = factory.Sequence(lambda n: f"Leader Fictional{n}")
    email = factory.Sequence(lambda n: f"leader{n}@example.org")


class SLAFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLevelAgreement

    leader = factory.SubFactory(LocalLeaderFactory)
    starts_on = date(2025, 9, 1)
    ends_on = date(2026, 8, 31)
    deliverables = "Lead one Work Group: plan, six sessions, evaluation report."
    release_days = Decimal("6")
    payment = Decimal("1800")
    hub_signed_on = date(2025, 9, 1)
    leader_signed_on = date(2025, 9, 1)


class GrantYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantYear
        django_get_or_create = ("academic_year",)

    academic_year = factory.SubFactory(AcademicYearFactory)
    amount = Decimal("400000")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        skip_postgeneration_save = True

    grant = factory.SubFactory(GrantYearFactory)
    kind = BudgetKind.PROJECT
    title = factory.Sequence(lambda n: f"Project funding {n}")
    budget = Decimal("12000")

    @factory.post_generation
    def quarters(self, create, extracted, **kwargs):
        """A forecast of a quarter of the budget in each quarter (``quarters=False``: none)."""
        if create and extracted is not False:
            QuarterFigure.objects.bulk_create(
                QuarterFigure(line=self, quarter=q, forecast=self.budget / 4) for q in range(1, 5)
            )
