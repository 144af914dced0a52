"""The catalogue, a group's page and the staff list of groups: their work does not grow with
the hub (the same queries at a small hub and at one twenty times its size, the large demo's
loaders at a reduced scale), a copy served from the shared cache reads nothing but who is
asking, and a shared copy never carries one person's page to another."""

from __future__ import annotations

from io import StringIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hubops.management.commands.load_demo import DEMO_PASSWORD, Command, large_fictional_schools
from hubops.models import School, User
from tests.conftest import _page_queries
from workgroups import caching, services
from workgroups import demo as workgroups_demo
from workgroups.models import Registration, WorkGroup

pytestmark = pytest.mark.django_db

TEACHER = "teacher@demo.hub.example"
MHL = "maths-hub-lead@demo.hub.example"
HUB_STAFF = "hub-staff@demo.hub.example"
LEAD = "work-group-lead@demo.hub.example"

# (who, url, queries when served from the shared cache: none for a visitor, the account for
# a signed-in teacher, the account and its roles for staff)
PAGES = [
    (None, "/workgroups/", 0),
    (None, "/workgroups/?phase=primary&page=2", 0),
    (None, "/workgroups/?la=307&open=on", 0),
    (TEACHER, "/workgroups/", 1),
    (TEACHER, "/workgroups/?format=online&page=2", 1),
    (TEACHER, "/workgroups/?project=NCP+DEMO-L2", 1),
    (None, "/workgroups/WG-L002/", 0),
    (TEACHER, "/workgroups/WG-L002/", 1),
    (MHL, "/staff/workgroups/", 2),
    (MHL, "/staff/workgroups/?page=2", 2),
    (LEAD, "/staff/workgroups/", 2),
]


def _silent(label, done, total):
    """load_demo's progress bar, silenced: these tests count queries, not bars."""


@pytest.fixture
def demo_hub(settings):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    command = Command(stdout=StringIO(), stderr=StringIO())
    hub = command.load_hub()
    command.load_calendar(timezone.localdate())
    command.load_accounts(hub)
    School.objects.bulk_create(School(**values) for values in large_fictional_schools()[:60])
    return hub


def grow(monkeypatch, hub, *, groups: int, schools_per_group: int) -> None:
    """The large demo's Work Groups at the scale given (idempotent: a bigger scale adds to
    it); the demo Work Group Lead leads every one of them."""
    monkeypatch.setattr(workgroups_demo, "LARGE_GROUPS", groups)
    monkeypatch.setattr(workgroups_demo, "LARGE_WITH_PARTICIPANTS", max(groups - 5, 1))
    monkeypatch.setattr(workgroups_demo, "LARGE_SCHOOLS_PER_GROUP", schools_per_group)
    workgroups_demo.load_large(hub=hub, today=timezone.localdate(), progress=_silent)
    User.objects.get(email=LEAD).led_work_groups.add(*WorkGroup.objects.all())


def signed_in(who: str | None) -> Client:
    client = Client()
    if who is not None:
        assert client.login(email=who, password=DEMO_PASSWORD)
    return client


def queries(client: Client, url: str) -> int:
    """The page's own queries (not the embedded database cache's)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(_page_queries(captured.captured_queries))


def measure() -> dict:
    """For each page: the queries it makes when it is built (after a change: the catalogue's
    cache version is bumped, as every change to groups and registrations does) and when it is
    served again from the cache."""
    counts = {}
    for who, url, _ in PAGES:
        client = signed_in(who)
        caching.bump_catalogue_version()
        built = queries(client, url)
        counts[who, url] = (built, queries(client, url))
    return counts


def test_the_pages_make_the_same_queries_at_a_twenty_times_larger_hub(demo_hub, monkeypatch):
    grow(monkeypatch, demo_hub, groups=8, schools_per_group=1)
    small = measure()
    grow(monkeypatch, demo_hub, groups=160, schools_per_group=10)
    assert WorkGroup.objects.count() == 160 and Registration.objects.count() == 155 * 10 * 2
    large = measure()
    assert large == small
    for who, url, from_cache in PAGES:
        built, again = large[who, url]
        assert again == from_cache, (who, url)
        assert built <= 12, (who, url)


def test_a_teacher_is_served_the_copy_another_teacher_was_built(demo_hub, monkeypatch):
    grow(monkeypatch, demo_hub, groups=8, schools_per_group=1)
    other = User.objects.create_user(
        email="sam.other@example.org", password=DEMO_PASSWORD, full_name="Sam Other-Teacher"
    )
    first = signed_in(TEACHER)
    second = Client()
    second.force_login(other)
    for url in ("/workgroups/", "/workgroups/?phase=primary", "/workgroups/WG-L003/"):
        caching.bump_catalogue_version()
        built_for_first = first.get(url).content
        caching.bump_catalogue_version()
        built_for_second = second.get(url).content
        # Built afresh for each, the pages are the same bytes: nothing in them is personal,
        # so one shared copy may serve both.
        assert built_for_first == built_for_second, url
        assert b"Sam Other-Teacher" not in built_for_first and b"sam.other" not in built_for_first
        assert second.get(url).content == built_for_second
        page = built_for_second.decode()
        assert "Sign out" in page and "Sign in" not in page
        assert 'href="/staff/"' not in page


def test_each_audience_keeps_its_own_header(demo_hub, monkeypatch):
    grow(monkeypatch, demo_hub, groups=8, schools_per_group=1)
    staff, teacher, visitor = signed_in(MHL), signed_in(TEACHER), Client()
    for url in ("/workgroups/", "/workgroups/WG-L004/"):
        assert 'href="/staff/"' in staff.get(url).text  # built first, for staff
        page = teacher.get(url).text
        assert 'href="/staff/"' not in page and "Sign out" in page
        page = visitor.get(url).text
        assert "Sign in" in page and "Sign out" not in page


def test_a_message_is_shown_to_its_reader_only(demo_hub, monkeypatch):
    grow(monkeypatch, demo_hub, groups=8, schools_per_group=1)
    teacher = User.objects.get(email=TEACHER)
    reader = Client()
    response = reader.post("/accounts/login/", {"login": TEACHER, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = reader.get("/workgroups/").text
    assert f"Successfully signed in as {teacher.full_name}." in page
    assert "Successfully signed in" not in reader.get("/workgroups/").text  # shown once
    colleague = User.objects.create_user(email="kim@example.org", password=DEMO_PASSWORD)
    other = Client()
    other.force_login(colleague)
    page = other.get("/workgroups/").text
    assert "Successfully signed in" not in page and teacher.full_name not in page


def test_places_change_on_every_cached_page(demo_hub, monkeypatch):
    grow(monkeypatch, demo_hub, groups=12, schools_per_group=1)
    group = WorkGroup.objects.get(code="WG-L005")
    group.capacity_schools = 2
    group.save()
    teacher, staff = signed_in(TEACHER), signed_in(MHL)
    detail = f"/workgroups/{group.code}/"
    assert "1 of 2 schools" in teacher.get(detail).text
    assert "1 of 2 schools" in Client().get(detail).text
    assert "WG-L005: Fictional Work Group 5" in staff.get("/staff/workgroups/").text
    assert '<td class="hub-table__cell">1 of 2</td>' in staff.get("/staff/workgroups/").text
    school = School.objects.filter(urn__gte=991001).exclude(
        pk__in=group.registrations.values("school")
    )[0]
    services.registration_create(
        group_id=group.pk,
        user=User.objects.create_user(email="new.teacher@example.org", password=DEMO_PASSWORD),
        school_id=school.pk,
        role_at_school="Class teacher",
        today=timezone.localdate(),
    )
    assert "None: new schools join the waiting list" in teacher.get(detail).text
    assert "None: new schools join the waiting list" in Client().get(detail).text
    assert '<td class="hub-table__cell">2 of 2</td>' in staff.get("/staff/workgroups/").text


def test_a_lead_is_served_only_their_own_list(demo_hub, monkeypatch):
    grow(monkeypatch, demo_hub, groups=8, schools_per_group=1)
    mine = WorkGroup.objects.get(code="WG-L001")
    User.objects.get(email=LEAD).led_work_groups.set([mine])
    other_lead = User.objects.create_user(email="lee@example.org", password=DEMO_PASSWORD)
    other_lead.groups.add(*User.objects.get(email=LEAD).groups.all())
    other_lead.led_work_groups.set([WorkGroup.objects.get(code="WG-L002")])
    page = signed_in(LEAD).get("/staff/workgroups/").text
    assert "WG-L001:" in page and "WG-L002:" not in page
    other = Client()
    other.force_login(User.objects.get(pk=other_lead.pk))
    page = other.get("/staff/workgroups/").text
    assert "WG-L002:" in page and "WG-L001:" not in page
    page = signed_in(HUB_STAFF).get("/staff/workgroups/").text
    assert "WG-L001:" in page and "WG-L002:" in page


def test_a_page_with_a_csrf_token_is_never_shared(db):
    built = []

    def page_with_a_form() -> str:
        built.append(1)
        return f'<form method="post"><input type="hidden" {caching.PERSONAL_MARK} value="x">'

    def plain_page() -> str:
        built.append(1)
        return "<p>The same for everyone.</p>"

    for _ in range(2):
        caching.versioned("test:form", page_with_a_form, 60)
    assert len(built) == 2  # built for each visitor: one person's token is theirs alone
    built.clear()
    for _ in range(2):
        caching.versioned("test:plain", plain_page, 60)
    assert len(built) == 1
