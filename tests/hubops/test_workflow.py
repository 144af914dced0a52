"""The generic machine every app's workflow is written in (hubops/workflow.py), and the staff
page helpers (hubops/staff.py). The apps' own tables are tested in their own tests; here a
small table shows what a person is told and which buttons they get."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from hubops.staff import gate, get_for_user_or_404, post_action
from hubops.workflow import DomainError, IllegalMove, Machine, move


@dataclass
class Door:
    painted: bool


def _unpainted(door: Door) -> str | None:
    return None if door.painted else "Paint the door before you open it."


DOORS = Machine(
    noun="door",
    moves=(
        move("open", "shut", "open", "Open the door", roles="keyholder", guards=[_unpainted]),
        move("shut", "open", "shut", "Shut the door"),
        move("lock", ("shut", "open"), "locked", "Lock it", roles="keyholder", confirm=True),
    ),
    labels={"shut": "Shut", "open": "Open", "locked": "Locked"},
    who={"keyholder": "the keyholder"},
)


def test_a_move_from_the_wrong_status_says_what_the_record_is_now():
    with pytest.raises(IllegalMove) as refused:
        DOORS.check("shut", "locked")
    assert str(refused.value) == "This door is locked: 'Shut the door' is not possible now."


def test_a_move_by_the_wrong_person_names_who_may_make_it():
    with pytest.raises(IllegalMove) as refused:
        DOORS.check("lock", "shut", roles={"visitor"})
    assert str(refused.value) == "Only the keyholder can lock it."


def test_a_failing_guard_gives_its_reason_and_a_passing_one_lets_the_move_through():
    with pytest.raises(IllegalMove) as refused:
        DOORS.check("open", "shut", roles={"keyholder"}, subject=Door(painted=False))
    assert refused.value.reasons == ["Paint the door before you open it."]
    step = DOORS.check("open", "shut", roles={"keyholder"}, subject=Door(painted=True))
    assert step.target == "open"


def test_available_offers_only_the_buttons_that_would_work():
    unpainted = [m.name for m in DOORS.available("shut", roles={"keyholder"}, subject=Door(False))]
    assert unpainted == ["lock"]
    painted = [m.name for m in DOORS.available("shut", roles={"keyholder"}, subject=Door(True))]
    assert painted == ["open", "lock"]
    assert [m.name for m in DOORS.available("shut", roles={"visitor"}, subject=Door(True))] == []


def test_check_target_finds_the_move_by_where_it_ends():
    assert DOORS.check_target("open", "locked", roles={"keyholder"}).name == "lock"
    with pytest.raises(IllegalMove, match="A door that is locked cannot become open"):
        DOORS.check_target("locked", "open")


def test_an_unknown_move_and_a_table_that_names_a_move_twice_are_refused():
    with pytest.raises(IllegalMove, match="not something you can do to a door"):
        DOORS.check("paint", "shut")
    with pytest.raises(ValueError, match="moves named twice"):
        Machine(noun="x", moves=(move("a", "s", "t"), move("a", "t", "s")))


def test_the_table_describes_itself_and_knows_its_final_states():
    assert ("Shut", "Lock it", "Locked", "the keyholder") in DOORS.describe()
    assert DOORS.final("locked") and not DOORS.final("shut")
    assert DOORS.statuses() == {"shut", "open", "locked"}


def test_every_app_s_refusals_are_one_family_that_a_page_can_show():
    from complaints.workflow import ComplaintError
    from complaints.workflow import IllegalMove as ComplaintMove
    from continuity.services import ContinuityError
    from governance.workflow import GovernanceError
    from privacy.workflow import TransitionError
    from reports.services import ReportError
    from workgroups.workflow import IllegalMove as WorkGroupMove
    from workgroups.workflow import NotEligible, WorkGroupError

    for error in (ComplaintError, ContinuityError, GovernanceError, TransitionError, ReportError):
        assert issubclass(error, DomainError), error
    for error in (ComplaintMove, WorkGroupMove):
        assert issubclass(error, IllegalMove), error
    assert issubclass(NotEligible, WorkGroupError)


def test_an_app_s_machine_refuses_with_the_app_s_own_error():
    class DoorError(DomainError):
        """A refusal of the door app."""

    class DoorMove(DoorError, IllegalMove):
        """A move the door machine refuses."""

    doors = Machine(noun="door", moves=DOORS.moves, labels=DOORS.labels, error=DoorMove)
    with pytest.raises(DoorError, match="not possible now"):
        doors.check("shut", "locked")
    with pytest.raises(DoorMove):
        doors.check_target("locked", "open")


# -- hubops/staff.py -----------------------------------------------------------------------


def _request(method="get", data=None, user=None):
    factory = RequestFactory()
    request = getattr(factory, method)("/staff/x/", data or {})
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request._messages = FallbackStorage(request)
    request.user = user
    return request


class _Anon:
    is_authenticated = False


class _Person:
    is_authenticated = True

    def __init__(self, allowed: bool):
        self.allowed = allowed


def test_gate_sends_strangers_to_sign_in_and_refuses_the_wrong_people_with_a_reason():
    view = gate(lambda user: user.allowed, "Only keyholders can see this page.")(
        lambda request: HttpResponse("inside")
    )
    anonymous = view(_request(user=_Anon()))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    with pytest.raises(PermissionDenied, match="Only keyholders"):
        view(_request(user=_Person(allowed=False)))
    assert view(_request(user=_Person(allowed=True))).content == b"inside"


def test_get_for_user_or_404_hides_what_the_person_may_not_see():
    records = {(1, 7): "door 7"}

    def selector(user, pk):
        return records.get((user, pk))

    assert get_for_user_or_404(selector, 1, "7") == "door 7"
    for user, pk in [(2, "7"), (1, "8"), (1, "seven")]:
        with pytest.raises(Http404):
            get_for_user_or_404(selector, user, pk, "No door of yours has that number.")


class NameForm(forms.Form):
    name = forms.CharField()


def _form(data):
    return NameForm(data)


def test_post_action_keeps_what_was_typed_when_the_service_refuses():
    request = _request("post", {"name": "Blue door"})
    form = _form(request.POST)
    seen = {}

    def rerender(**forms):
        seen.update(forms)
        return HttpResponse("again")

    def refuse(data):
        raise IllegalMove("Paint the door before you open it.")

    response = post_action(
        request, form=form, run=refuse, success="Opened.", redirect_to="/x/", rerender=rerender
    )
    assert response.status_code == 400
    assert seen["form"].data["name"] == "Blue door"
    assert seen["error"] == "Paint the door before you open it."


def test_post_action_redirects_with_a_message_when_the_service_succeeds():
    request = _request("post", {"name": "Blue door"})
    done = []
    response = post_action(
        request,
        form=_form(request.POST),
        run=lambda data: done.append(data["name"]) or 7,
        success=lambda pk: f"Door {pk} opened.",
        redirect_to=lambda pk: f"/doors/{pk}/",
        rerender=lambda **forms: HttpResponse("again"),
    )
    assert (response.status_code, response["Location"]) == (302, "/doors/7/")
    assert done == ["Blue door"]
    assert [str(m) for m in request._messages] == ["Door 7 opened."]


def test_post_action_rerenders_an_invalid_form_without_calling_the_service():
    request = _request("post", {})
    calls = []
    response = post_action(
        request,
        form=_form(request.POST),
        run=calls.append,
        success="Opened.",
        redirect_to="/x/",
        rerender=lambda **forms: HttpResponse("again"),
    )
    assert response.status_code == 400 and calls == []
