"""factory_boy factories for the core models. Fictional people only."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth.models import Group

from hubops.models import (
    AcademicYear,
    Hub,
    HubLocalAuthority,
    Phase,
    School,
    SchoolStatus,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"Fictional Primary School {n}")
    la_code = "307"
    la_name = "Ealing"
    type_code = "1"
    type_name = "Community school"
    type_group_code = "4"
    type_group_name = "Local authority maintained schools"
    phase = Phase.PRIMARY
    status = SchoolStatus.OPEN
    town = "Ealing"
    postcode = "W5 1AA"


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub
        skip_postgeneration_save = True

    name = "Riverside Maths Hub"
    code = "ZZ1"
    email = "hub@riverside-hub.example"

    @factory.post_generation
    def local_authorities(self, create, extracted, **kwargs):
        if not create:
            return
        for code, name in extracted or [("307", "Ealing"), ("304", "Brent")]:
            HubLocalAuthority.objects.create(hub=self, la_code=code, la_name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Alex Fictional{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                group, _ = Group.objects.get_or_create(name=str(role.value))
                self.groups.add(group)
        if create:
            self.save()


class StaffFactory(UserFactory):
    """A member of staff: someone who holds a role (Hub staff unless ``roles=`` says which).
    The staff flag follows the roles held (``hubops.services.user_sync_staff_flag``)."""

    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        UserFactory.roles.function(self, create, extracted or _default_staff_roles())


def _default_staff_roles():
    from hubops.roles import Role

    return [Role.HUB_STAFF]


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("name",)

    name = "2025/26"
    starts_on = date(2025, 9, 1)
    ends_on = date(2026, 8, 31)
