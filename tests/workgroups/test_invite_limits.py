"""A teacher's colleague invitation emails an address typed in: it is limited per teacher
and per recipient, like the anonymous forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from workgroups import services
from workgroups.models import Invitation

pytestmark = pytest.mark.django_db


def test_colleague_invitations_are_limited_per_recipient(
    client, group, schools, teacher, today, mailoutbox, settings
):
    settings.HUBOPS_MAIL_FORMS_PER_RECIPIENT = 2
    group.places_per_school = 50
    group.save(update_fields=["places_per_school"])
    reg = services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    client.login(email=teacher.email, password=PASSWORD)
    url = reverse("workgroups:confirmation", args=[reg.reference])
    codes = [client.post(url, {"email": "colleague@example.org"}).status_code for _ in range(4)]
    assert codes == [302, 302, 429, 429]
    assert Invitation.objects.filter(email="colleague@example.org").count() == 2
    assert sum("colleague@example.org" in m.to for m in mailoutbox) == 2
    # Another colleague can still be invited.
    assert client.post(url, {"email": "other@example.org"}).status_code == 302
