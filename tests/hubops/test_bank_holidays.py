"""The ``holidays`` package agrees with GOV.UK's England and Wales list (a cached copy in
tests/data/calendar/bank-holidays.json), 2012-2028: every bank holiday, including substitute
days, the 2022 and 2023 one-off holidays and moved May Day holidays."""

import json
from datetime import date

from hubops.calendar import england_bank_holidays
from tests.conftest import DATA


def test_package_matches_gov_uk():
    events = json.loads((DATA / "calendar" / "bank-holidays.json").read_text())
    reference = {date.fromisoformat(e["date"]) for e in events["england-and-wales"]["events"]}
    years = range(min(reference).year, max(reference).year + 1)
    assert england_bank_holidays(years) == reference
    # The one-offs, named so a reader sees they are covered.
    assert {date(2022, 9, 19), date(2023, 5, 8), date(2020, 5, 8)} <= reference
