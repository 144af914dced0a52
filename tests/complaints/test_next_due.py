"""``Complaint.next_due_on``, the column the staff dashboard counts and lists on, is kept by the
database on every write and always equals the earliest deadline ``selectors.clocks`` shows."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from complaints import selectors
from complaints.models import Complaint, Status

pytestmark = pytest.mark.django_db

ACK, RESPONSE, EXTENDED, APPEAL = (
    date(2026, 3, 4),
    date(2026, 3, 20),
    date(2026, 3, 11),
    date(2026, 4, 2),
)


def _earliest(c: Complaint):
    return min((due for _, due in selectors.clocks(c)), default=None)


@pytest.mark.parametrize(
    ("status", "acknowledged", "responded", "extended", "decided"),
    list(
        product(
            [s.value for s in Status], [False, True], [False, True], [False, True], [False, True]
        )
    ),
)
def test_next_due_on_is_the_earliest_running_clock(
    status, acknowledged, responded, extended, decided
):
    c = Complaint.objects.create(
        reference="CMP-T1",
        status=status,
        outcome="upheld" if status == Status.CLOSED else "",
        received_on=date(2026, 3, 2),
        ack_due_on=ACK,
        acknowledged_on=date(2026, 3, 3) if acknowledged else None,
        response_due_on=RESPONSE,
        response_extended_to=EXTENDED if extended else None,
        responded_on=date(2026, 3, 9) if responded else None,
        appeal_due_on=APPEAL,
        appeal_decided_on=date(2026, 3, 30) if decided else None,
    )
    c.refresh_from_db()
    assert c.next_due_on == _earliest(c)


def test_next_due_on_follows_each_change_and_the_dashboard_counts_on_it(people):
    c = Complaint.objects.create(
        reference="CMP-T2",
        status=Status.FORMAL,
        received_on=date(2026, 3, 2),
        ack_due_on=ACK,
        response_due_on=RESPONSE,
    )
    due = Complaint.objects.filter(pk=c.pk).values_list("next_due_on", flat=True)
    assert due.get() == ACK
    Complaint.objects.filter(pk=c.pk).update(acknowledged_on=ACK)
    assert due.get() == RESPONSE
    c.refresh_from_db()
    c.response_extended_to = date(2026, 3, 27)
    c.save()
    assert due.get() == date(2026, 3, 27)

    # The day after the extended deadline it is overdue; the week before, it is due that week.
    mhl = people["mhl"]
    late = selectors.dashboard(mhl, date(2026, 3, 30))["counts"]
    assert (late["overdue"], late["week"]) == (1, 0)
    week = selectors.dashboard(mhl, date(2026, 3, 23))["counts"]
    assert (week["overdue"], week["week"]) == (0, 1)

    Complaint.objects.filter(pk=c.pk).update(
        responded_on=date(2026, 3, 26), status=Status.RESPONDED
    )
    assert due.get() is None
