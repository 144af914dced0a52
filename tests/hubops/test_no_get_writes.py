"""No GET creates or changes a record. Every URL the site routes (the admin aside) is opened
with GET, many times, and every row of every model is compared before and after: a prefetch, a
link preview, a crawler or a reload must leave the data exactly as it was.

- Public pages, opened 50 times each by a visitor without cookies and 50 times each by a
  signed-in teacher (PDF downloads 3 times: they take a second each), compare every table,
  sessions and the audit log included (the teacher's own session row is left out: it is their
  browser's state, not a record).
- Staff pages, opened 3 times each by someone holding every role, compare every table except the
  audit log: a staff member *reading* personal data (a request's detail, a letter, the complaints
  log) is recorded there on purpose, as an access log.

A URL added without a sample here fails ``test_every_url_is_covered``.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from complaints import services as complaint_services
from hubops.calendar_io import load_plans, parse_calendar
from hubops.roles import Role
from privacy import services as privacy_services
from tests.conftest import DATA
from tests.factories import PASSWORD, HubFactory, SchoolFactory, StaffFactory, UserFactory
from tests.workgroups.conftest import make_group
from workgroups import services as wg_services
from workgroups.models import Project, ProjectKind

pytestmark = pytest.mark.django_db

PUBLIC_REPEATS = 50
SLOW_REPEATS = 3
STAFF_REPEATS = 3
SKIP_PREFIXES = ("admin/", "^media/")


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def routes() -> list[str]:
    return [r for r in _walk(get_resolver()) if not r.startswith(SKIP_PREFIXES)]


def _fill(route: str, values: dict[str, str]) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    # allauth's regex routes
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
    return "/" + path.lstrip("^").rstrip("$")


def snapshot(exclude: set[str]) -> dict[str, list]:
    rows = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in exclude:
            continue
        rows[label] = sorted(map(repr, model._base_manager.values_list()))
    return rows


def assert_same(before: dict, after: dict, what: str) -> None:
    changed = {
        label: (len(before[label]), len(after[label]))
        for label in before
        if before[label] != after[label]
    }
    assert not changed, f"GETs of {what} changed these tables (rows before, after): {changed}"


@pytest.fixture
def world(db, settings, tmp_path):
    """One of everything the URLs take: a group, a registration, an invitation, a complaint
    with its private link, a data-rights request with its link."""
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    load_plans(parse_calendar((DATA / "calendar" / "term_dates_sheffield.json").read_text()))
    HubFactory()
    from hubops.models import AcademicYear

    year = AcademicYear.objects.get(name="2025/26")
    project = Project.objects.create(
        code="NCP 25-07", title="Fictional TfM", kind=ProjectKind.NCP, academic_year=year
    )
    group = make_group(project, code="WG-GET")
    teacher = UserFactory(email="teacher@example.org", full_name="Tai Fictional")
    # As sign-up leaves it (allauth's email page fills in a missing row on GET otherwise).
    EmailAddress.objects.create(user=teacher, email=teacher.email, verified=True, primary=True)
    today = date(2026, 1, 12)
    reg = wg_services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=SchoolFactory().pk,
        role_at_school="Teacher",
        today=today,
    )
    invitation = wg_services.colleague_invite(
        registration_id=reg.pk, actor=teacher, email="colleague@example.org"
    )
    filed = complaint_services.complaint_file(
        data={
            "full_name": "Pat Fictional",
            "email": "pat@example.org",
            "relationship": "participant",
            "concerns": "other",
            "about_kind": "work_group",
            "issue_date": date(2026, 1, 5),
            "what_happened": "The session was cancelled without notice.",
            "outcome_wanted": "An apology.",
        },
        received_on=today,
        formal=True,
    )
    data_request = privacy_services.create_request(
        kind="access", full_name="Sam Fictional", email="sam@example.org", received_on=today
    )
    staff = StaffFactory(email="everyone@example.org", roles=list(Role))
    session = group.sessions.first()
    return {
        "teacher": teacher,
        "staff": staff,
        "values": {
            "code": group.code,
            "reference": reg.reference,
            "token": "",  # chosen per route below
            "pk": str(reg.pk),
            "reg_pk": str(reg.pk),
            "session_pk": str(session.pk),
            "letter_id": "999999",
            "attachment_id": "999999",
            "year_id": str(year.pk),
            "kind": "acknowledgement",
            "action": "agree-agenda",
            "name": "submit",
            "key": "not-a-real-key",
            "uidb36": "zz",
        },
        "tokens": {
            "workgroups/invitations/": invitation.token,
            "complaints/follow/": filed.token,
            "privacy/requests/confirm/": data_request.verification_token,
        },
        "complaint_pk": str(filed.complaint.pk),
        "group_pk": str(group.pk),
        "request_pk": str(data_request.pk),
    }


def url_for(route: str, world: dict) -> str:
    values = dict(world["values"])
    for prefix, token in world["tokens"].items():
        if route.startswith(prefix):
            values["token"] = token
    # "pk" means a different record in each staff area.
    if route.startswith("staff/complaints/"):
        values["pk"] = world["complaint_pk"]
    elif route.startswith("staff/workgroups/"):
        values["pk"] = world["group_pk"]
    elif route.startswith("staff/privacy/"):
        values["pk"] = world["request_pk"]
    if route.startswith("staff/governance/checklist/"):
        values["code"] = "A1"
    return _fill(route, values)


def is_staff_route(route: str) -> bool:
    return route.startswith("staff/")


def is_slow(path: str) -> bool:
    return path.endswith((".pdf", ".zip", "/certificate/", "/pdf/"))


def _get_many(client: Client, path: str, times: int, *, cookieless: bool = False) -> None:
    for _ in range(times):
        if cookieless:
            client.cookies.clear()
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)


def test_every_url_is_covered(world):
    """Each routed URL can be filled in from the samples above (a new URL parameter fails)."""
    for route in routes():
        assert url_for(route, world).startswith("/")


def test_public_gets_change_nothing(world):
    public = [url_for(r, world) for r in routes() if not is_staff_route(r)]
    assert "/complaints/lead-school/" in public and "/complaints/formal/check/" in public
    before = snapshot(exclude=set())
    anonymous = Client()
    for path in public:
        _get_many(
            anonymous, path, SLOW_REPEATS if is_slow(path) else PUBLIC_REPEATS, cookieless=True
        )
    assert_same(before, snapshot(exclude=set()), "public pages without cookies")

    teacher = Client()
    teacher.login(email=world["teacher"].email, password=PASSWORD)
    before = snapshot(exclude={"sessions.Session"})
    for path in public:
        if path.startswith("/accounts/logout/"):
            continue  # a GET shows the "Sign out?" page; it must not sign this client out
        _get_many(teacher, path, SLOW_REPEATS if is_slow(path) else PUBLIC_REPEATS)
    assert_same(before, snapshot(exclude={"sessions.Session"}), "public pages signed in")


def test_staff_gets_change_nothing_but_the_access_log(world):
    staff_paths = [url_for(r, world) for r in routes() if is_staff_route(r)]
    assert "/staff/privacy/retention/" in staff_paths
    staff_paths.append("/staff/workgroups/exports/?format=csv")  # the old download link
    client = Client()
    client.login(email=world["staff"].email, password=PASSWORD)
    exclude = {"sessions.Session", "hubops.AuditEvent"}
    before = snapshot(exclude=exclude)
    for path in staff_paths:
        _get_many(client, path, STAFF_REPEATS)
    assert_same(before, snapshot(exclude=exclude), "staff pages")
