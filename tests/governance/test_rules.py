"""The compliance rules at their edges (pure, no database)."""

from datetime import date
from decimal import Decimal

from governance import rules as r

ON = date(2026, 1, 15)


def team(**overrides):
    """A compliant team: 11 leadership days and 10 operational days exactly."""
    base = [
        r.AppointmentFact("Alex Fictional", r.SLL, r.LEADERSHIP, Decimal("1"), date(2025, 9, 1)),
        r.AppointmentFact("Sam Example", r.MHL, r.LEADERSHIP, Decimal("4"), date(2025, 9, 1)),
        r.AppointmentFact(
            "Jo Sample", r.AMHL_PRIMARY, r.LEADERSHIP, Decimal("2"), date(2025, 9, 1)
        ),
        r.AppointmentFact(
            "Kim Test", r.AMHL_SECONDARY, r.LEADERSHIP, Decimal("2"), date(2025, 9, 1)
        ),
        r.AppointmentFact("Lee Demo", r.AMHL_POST16, r.LEADERSHIP, Decimal("1"), date(2025, 9, 1)),
        r.AppointmentFact(
            "Pat Placeholder", r.HT_ADVOCATE_PRIMARY, r.LEADERSHIP, Decimal("1"), date(2025, 9, 1)
        ),
        r.AppointmentFact(
            "Robin Fictional", r.PROJECT_MANAGER, r.OPERATIONAL, Decimal("5"), date(2025, 9, 1)
        ),
        r.AppointmentFact(
            "Chris Fictional", "other_operational", r.OPERATIONAL, Decimal("5"), date(2025, 9, 1)
        ),
    ]
    return base


def test_compliant_team_with_exactly_eleven_and_ten_days_passes():
    result = r.team_compliance(team(), ON)
    assert result.leadership_days == Decimal("11")
    assert result.operational_days == Decimal("10")
    assert result.ok, result.problems


def test_ten_and_a_half_leadership_days_fails_with_reason():
    appointments = team()
    appointments[0] = r.AppointmentFact(
        "Alex Fictional", r.SLL, r.LEADERSHIP, Decimal("0.5"), date(2025, 9, 1)
    )
    result = r.team_compliance(appointments, ON)
    assert not result.ok
    assert result.problems == ["Leadership capacity is 10.5 days a week; at least 11 are required."]


def test_project_manager_leaving_mid_year_leaves_role_vacant_from_next_day():
    appointments = team()
    appointments[6] = r.AppointmentFact(
        "Robin Fictional",
        r.PROJECT_MANAGER,
        r.OPERATIONAL,
        Decimal("5"),
        date(2025, 9, 1),
        ends_on=date(2026, 2, 27),
    )
    on_last_day = r.team_compliance(appointments, date(2026, 2, 27))
    assert not on_last_day.operational_lead_missing
    assert [a.person for a in on_last_day.ending_soon] == ["Robin Fictional"]
    next_day = r.team_compliance(appointments, date(2026, 2, 28))
    assert next_day.operational_lead_missing
    assert any("neither a Maths Hub Co-ordinator nor" in p for p in next_day.problems)
    assert any("Operational capacity is 5 days" in p for p in next_day.problems)


def test_role_vacant_for_one_day_between_appointments():
    appointments = team()
    appointments[1] = r.AppointmentFact(
        "Sam Example",
        r.MHL,
        r.LEADERSHIP,
        Decimal("4"),
        date(2025, 9, 1),
        ends_on=date(2026, 3, 31),
    )
    appointments.append(
        r.AppointmentFact("Dana Fictional", r.MHL, r.LEADERSHIP, Decimal("4"), date(2026, 4, 2))
    )
    labels = {r.MHL: "Maths Hub Lead"}
    assert r.team_compliance(appointments, date(2026, 3, 31)).ok
    gap = r.team_compliance(appointments, date(2026, 4, 1), role_labels=labels)
    assert gap.missing_roles == [r.MHL]
    assert "No one is named as Maths Hub Lead." in gap.problems
    assert r.team_compliance(appointments, date(2026, 4, 2)).ok


def test_coordinator_is_an_alternative_to_project_manager():
    appointments = team()
    appointments[6] = r.AppointmentFact(
        "Robin Fictional", r.COORDINATOR, r.OPERATIONAL, Decimal("5"), date(2025, 9, 1)
    )
    assert r.team_compliance(appointments, ON).ok


def test_induction_outstanding_is_listed_but_not_a_failure():
    appointments = team()
    appointments[2] = r.AppointmentFact(
        "Jo Sample",
        r.AMHL_PRIMARY,
        r.LEADERSHIP,
        Decimal("2"),
        date(2025, 9, 1),
        needs_induction=True,
    )
    result = r.team_compliance(appointments, ON)
    assert result.ok
    assert [a.person for a in result.induction_outstanding] == ["Jo Sample"]


def test_appointment_starting_tomorrow_does_not_count_today():
    appointments = team()
    appointments[1] = r.AppointmentFact(
        "Sam Example", r.MHL, r.LEADERSHIP, Decimal("4"), ON.replace(day=16)
    )
    assert r.MHL in r.team_compliance(appointments, ON).missing_roles


# -- the board ------------------------------------------------------------------------------------


def member(name, category, independent=True, chair=False, ends=None):
    return r.MemberFact(name, category, independent, chair, date(2024, 9, 1), ends)


def good_board():
    return [
        member("Alex Chair", r.TRUST, chair=True),
        member("B Primary", r.SCHOOL_PRIMARY),
        member("C Primary", r.SCHOOL_PRIMARY),
        member("D Secondary", r.SCHOOL_SECONDARY),
        member("E Secondary", r.SCHOOL_SECONDARY),
        member("F College", r.COLLEGE_POST16),
        member("G Uni", r.UNIVERSITY),
        member("H NCETM", r.NCETM),
        member("I SLL", r.BOARD_SLL, independent=False),
        member("J MHL", r.BOARD_HUB_LEAD, independent=False),
    ]


def test_good_board_passes():
    result = r.board_makeup(good_board(), ON)
    assert result.ok, result.failures


def test_too_many_lead_school_members_fails_majority_rule():
    board = good_board()
    board[1:5] = [member(f"Lead School {i}", r.SCHOOL_PRIMARY, independent=False) for i in range(4)]
    result = r.board_makeup(board, ON)
    assert result.failures == [
        "Only 4 of 10 members are independent of the Lead School; most members must be."
    ]


def test_exactly_half_independent_is_not_a_majority():
    board = good_board()[:8]  # 8 members, 8 independent; make 4 not independent
    board = [
        member(m.name, m.category, independent=i >= 4, chair=m.is_chair)
        for i, m in enumerate(board)
    ]
    result = r.board_makeup(board, ON)
    assert "Only 4 of 8 members" in result.failures[-1] or any(
        "Only 4 of 8" in f for f in result.failures
    )
    assert "The Chair is not independent of the Lead School." in result.failures


def test_each_rule_gives_its_own_reason():
    board = [
        member("A", r.SCHOOL_PRIMARY),
        member("B", r.MATHS_ED_ORG),
        member("C", r.MATHS_ED_ORG),
        member("D", r.MATHS_ED_ORG),
    ]
    failures = r.board_makeup(board, ON).failures
    assert failures == [
        "The board has no Chair.",
        "1 members come from schools and colleges; at least 5 are required.",
        "School and college members cover 1 phase(s) (primary); they must come from across "
        "phases (at least two).",
        "3 members come from maths education organisations; no more than 2 may.",
        "The board has no employer or university member.",
        "The board has no NCETM member.",
        "The Lead School's Senior Leadership Link is not on the board.",
        "The Maths Hub Lead is not on the board.",
    ]


def test_two_maths_education_organisations_are_allowed():
    board = good_board() + [member("X", r.MATHS_ED_ORG), member("Y", r.MATHS_ED_ORG)]
    assert r.board_makeup(board, ON).ok


def test_terms_ending_warned_and_ended_members_not_counted():
    board = good_board()
    board[7] = member("H NCETM", r.NCETM, ends=ON.replace(month=3))
    result = r.board_makeup(board, ON)
    assert result.ok
    assert [m.name for m in result.terms_ending] == ["H NCETM"]
    later = r.board_makeup(board, ON.replace(month=3, day=16))
    assert "The board has no NCETM member." in later.failures


def test_quorum():
    assert r.quorum_size(10) == 5
    assert r.quorum_size(11) == 6
    assert r.quorum_size(4) == 3
    assert not r.is_quorate(4, 10)
    assert r.is_quorate(5, 10)
    assert not r.is_quorate(0, 0)
