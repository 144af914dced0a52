"""A member of the public reads the published Strategic Board page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_reads_board_membership(live_server, page, axe):
    from governance.models import BoardInterest, BoardMember

    today = timezone.localdate()
    chair = BoardMember.objects.create(
        name="Morgan Fictional",
        organisation="Fictional Learning Trust",
        category="trust",
        independent=True,
        is_chair=True,
        term_starts_on=date(2024, 9, 1),
        term_ends_on=date(2027, 8, 31),
    )
    BoardInterest.objects.create(
        member=chair, declared_on=date(2025, 9, 10), description="Trustee of a fictional trust"
    )
    BoardMember.objects.create(
        name="Quinn Former",
        organisation="Old Fictional School",
        category="school_primary",
        independent=True,
        term_starts_on=date(2020, 9, 1),
        term_ends_on=today - timedelta(days=30),
    )
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Strategic Board").first.click()
    page.get_by_role("heading", name="Strategic Board", level=1).wait_for()
    current = page.get_by_role("table", name="Current members of the Strategic Board")
    row = current.get_by_role("row", name="Morgan Fictional")
    assert "Fictional Learning Trust" in row.inner_text()
    assert "Chair" in row.inner_text()
    assert "Trustee of a fictional trust" in row.inner_text()
    past = page.get_by_role("table", name="Former members who served in the past twelve months")
    assert "Quinn Former" in past.inner_text()
    axe(page)
