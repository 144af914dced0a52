from datetime import date

import pytest

from governance import demo, selectors
from governance.models import Appointment, BoardMeeting, BoardMember
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_fictional(year):
    hub = HubFactory()
    demo.load(hub=hub, today=date(2026, 1, 15))
    demo.load(hub=hub, today=date(2026, 1, 15))
    assert Appointment.objects.count() == 8
    assert BoardMember.objects.count() == 10
    assert BoardMeeting.objects.count() == 3
    assert all(m.name.endswith("Demo") for m in BoardMember.objects.all())
    assert selectors.board_makeup_on(date(2026, 1, 15)).ok
    assert selectors.team_compliance_on(date(2026, 1, 15)).ok
    rows = {r.objective.code: r for r in selectors.checklist(year, date(2026, 1, 15))}
    assert rows["board-agenda-notes"].status == "at_risk"
