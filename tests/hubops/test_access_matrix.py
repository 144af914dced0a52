"""The access matrix (``tests/access_matrix.txt``) checked cell by cell: every URL pattern in the
URLconf, requested as every role, must give the answer the table states. A URL pattern with no
row fails the test and names itself; so does a row for a pattern that no longer exists.

How the URLconf is walked (``url_patterns()``), recursively from ``get_resolver()``:

- allauth's own views (the view's module is ``allauth.*``: sign-up, login, password reset,
  e-mail and MFA pages) are skipped: they are allauth's, answer the same to everyone, and are
  covered by tests/hubops/test_accounts.py. Our account pages (``hubops.account_urls``) are in.
- In the admin (namespace ``admin``), the index, every model's changelist and every view we
  added to a ModelAdmin (``get_urls``) are in. Django's own machinery is skipped: login and
  logout (allauth's), password change, autocomplete, jsi18n, view_on_site, the app index, the
  catch-all, and each model's add/change/delete/history pages, which pass the same
  ``ModelAdmin.has_*_permission`` gate as its changelist.
- ``^media/`` exists only with DEBUG on and is not routed in production.

Every role has TOTP set up, so the MFA middleware does not mask the access decision;
``test_without_mfa_every_role_holder_is_sent_to_set_it_up`` checks the other side. Every
request runs in a savepoint that is rolled back, so a POST that succeeds changes nothing for
the next role. The test is one loop over reused clients: about 2,000 requests.

To write a row for a new URL, run the test with ``ACCESS_MATRIX_OBSERVED=/tmp/rows.txt``: it
writes what every role actually got, one table row per URL, to check against what they should
get before pasting it into the table."""

from __future__ import annotations

import fnmatch
import os
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Delivery, Letter, LetterKind, Status
from governance.models import BoardMeeting, ReportDueDate
from hubops.models import AcademicYear, CalendarPeriod, PeriodKind, SchoolImport
from hubops.roles import Role, ensure_roles
from privacy.models import DPIA, Breach, DataRequest, PrivacyNotice, RetentionRun
from reports.models import Report
from tests.factories import HubFactory, SchoolFactory, UserFactory
from tests.governance.factories import (
    AppointmentFactory,
    BoardMemberFactory,
    BudgetLineFactory,
    GrantYearFactory,
    SLAFactory,
)
from workgroups.models import (
    Attendance,
    AttendanceStatus,
    GroupStatus,
    Invitation,
    InvitationKind,
    LeadReport,
    Project,
    ProjectKind,
    Recruitment,
    Registration,
    RegStatus,
    Session,
    WorkGroup,
)

pytestmark = pytest.mark.django_db

MATRIX_FILE = Path(__file__).resolve().parent.parent / "access_matrix.txt"
ROLES = (
    "anon",
    "teacher",
    "teacher2",
    "hub",
    "mhl",
    "sll",
    "wgl",
    "handler",
    "dpl",
    "chair",
    "head",
    "senior",
    "panel",
    "super",
    "subject",
)


def read_matrix(path: Path = MATRIX_FILE) -> dict[str, tuple[str, str]]:
    """{url name: (method, "cell cell ...")} from the table; its header must name ``ROLES``."""
    rows: dict[str, tuple[str, str]] = {}
    header = None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, method, *cells = line.split()
        if header is None:
            header = (key, method, *cells)
            assert header == ("url", "method", *ROLES), f"{path.name}: header must name {ROLES}"
            continue
        assert key not in rows, f"{path.name}:{number}: {key} has two rows"
        rows[key] = (method, " ".join(cells))
    return rows


MATRIX = read_matrix()

ADMIN_SKIPPED_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    None,
}
ADMIN_GENERATED_SUFFIXES = ("_add", "_change", "_delete", "_history")


# Walking the URLconf --------------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=None):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p, route, ns)
        elif isinstance(p, URLPattern):
            yield namespace, p, route


def url_patterns() -> list[tuple[str, URLPattern, str]]:
    """(key, pattern, route) for every pattern the matrix must cover, by the rules above."""
    out = []
    for namespace, p, route in _walk(get_resolver()):
        module = getattr(p.callback, "__module__", "") or ""
        if module.startswith("allauth."):
            continue
        if route.startswith("^media/"):
            continue
        if namespace == "admin" and (
            p.name in ADMIN_SKIPPED_NAMES or p.name.endswith(ADMIN_GENERATED_SUFFIXES)
        ):
            continue
        key = f"{namespace}:{p.name}" if namespace else p.name
        out.append((key, p, route))
    return out


def row_for(key: str):
    if key in MATRIX:
        return MATRIX[key]
    for pattern, row in MATRIX.items():
        if "*" in pattern and fnmatch.fnmatchcase(key, pattern):
            return row
    return None


# The fixture world ----------------------------------------------------------------------------


def _person(key: str, roles=(), **extra):
    user = UserFactory(
        email=f"{key}@example.org", full_name=f"{key.title()} Fictional", roles=list(roles), **extra
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def build_world(settings, tmp_path) -> tuple[dict, dict]:
    """One of everything a URL can name, and one user per column of the matrix."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_roles()
    hub = HubFactory()
    school = SchoolFactory()
    year = AcademicYear.objects.create(
        name="2025/26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)
    )
    people = {
        "teacher": _person("teacher", school=school),
        "teacher2": _person("teacher2", school=SchoolFactory()),
        "hub": _person("hub", [Role.HUB_STAFF]),
        "mhl": _person("mhl", [Role.MHL]),
        "sll": _person("sll", [Role.SLL]),
        "wgl": _person("wgl", [Role.WORK_GROUP_LEAD]),
        "handler": _person("handler", [Role.COMPLAINTS_HANDLER]),
        "dpl": _person("dpl", [Role.DATA_PROTECTION_LEAD]),
        "chair": _person("chair", [Role.BOARD_CHAIR]),
        "head": _person("head", [Role.LEAD_SCHOOL_HEAD]),
        "senior": _person("senior", [Role.LEAD_SCHOOL_SENIOR_LEADER]),
        "panel": _person("panel", [Role.LEAD_SCHOOL_SENIOR_LEADER]),
        "super": _person("super", is_superuser=True),
        # A complaints handler whom the fixture complaint is about.
        "subject": _person("subject", [Role.COMPLAINTS_HANDLER]),
    }
    assert set(people) | {"anon"} == set(ROLES)
    for key, user in people.items():
        if not key.startswith("teacher"):
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
            )

    # Work Groups: one group led by the Work Group Lead, the teacher registered on it.
    project = Project.objects.create(
        code="NCP 25-07",
        title="Fictional Teaching for Mastery",
        kind=ProjectKind.NCP,
        academic_year=year,
        phase="primary",
        is_tfm=True,
        tfm_stage="development",
    )
    group = WorkGroup.objects.create(
        code="WG-1",
        title="Fictional fractions group",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=4,
        recruitment=Recruitment.OPEN,
        status=GroupStatus.RUNNING,
        completion_min_sessions=1,
        venue="Fictional Hall",
    )
    group.leads.add(people["wgl"])
    start = timezone.now() - timedelta(days=7)
    session = Session.objects.create(
        work_group=group, starts_at=start, ends_at=start + timedelta(hours=1), venue="Hall"
    )
    registration = Registration.objects.create(
        work_group=group,
        user=people["teacher"],
        full_name=people["teacher"].full_name,
        email=people["teacher"].email,
        school=school,
        role_at_school="Teacher",
        status=RegStatus.COMPLETED,
    )
    Attendance.objects.create(
        session=session, registration=registration, status=AttendanceStatus.PRESENT
    )
    invitation = Invitation.objects.create(
        work_group=group, kind=InvitationKind.STAFF, email="teacher2@example.org"
    )
    LeadReport.objects.create(work_group=group)

    # Complaints: one at the appeal stage, routed to the MHL, about the "subject" handler, with
    # "panel" on its panel, an attachment, a letter and a live private link for the complainant.
    complaint = complaint_services.complaint_file(
        data={
            "full_name": "Pat Fictional",
            "email": "pat@example.org",
            "concerns": "other",
            "about_kind": "work_group",
            "what_happened": "The session was cancelled without notice.",
            "outcome_wanted": "Better notice.",
        },
        received_on=date(2026, 1, 12),
        formal=True,
    ).complaint
    complaint.status = Status.APPEAL
    complaint.appeal_requested_on = date(2026, 3, 2)
    complaint.appeal_due_on = date(2026, 4, 13)
    complaint.save(update_fields=["status", "appeal_requested_on", "appeal_due_on"])
    complaint.subjects.add(people["subject"])
    complaint.panel.add(people["panel"])
    attachment = complaint_services.store_attachment(
        data=b"%PDF-1.4 fictional", original_name="evidence.pdf", complaint=complaint
    )
    letter = Letter.objects.create(
        complaint=complaint,
        kind=LetterKind.ACKNOWLEDGEMENT,
        subject="We have your complaint",
        body="Dear Pat",
        pdf=ContentFile(b"%PDF-1.4 letter", name="letter.pdf"),
        sha256="0" * 64,
        delivery=Delivery.EMAIL,
        sent_on=date(2026, 1, 13),
    )
    follow_token = complaint_services.link_issue(complaint)

    # Privacy: a request from someone with no other part in the world, a retention run.
    PrivacyNotice.objects.create(
        version=1, body="We collect your name.", published_on=year.starts_on
    )
    requester = _person("requester")
    data_request = DataRequest.objects.create(
        reference="DR-ACCESS1",
        kind="access",
        full_name=requester.full_name,
        email=requester.email,
        user=requester,
        received_on=date(2026, 3, 10),
        due_on=date(2026, 4, 10),
        verification_token="access-matrix-token",
    )
    run = RetentionRun.objects.create(as_of=date(2026, 3, 10))
    # Privacy: a breach with its ICO decision recorded (so it may be closed), and a DPIA.
    breach = Breach.objects.create(
        reference="BR-ACCESS1",
        found_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        ico_deadline=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        what_happened="A fictional register sent to the wrong school.",
        data_categories="names",
        people_count=3,
        records_count=3,
        likely_consequences="Low.",
        measures_taken="Recalled.",
        ico_not_notified_reason="Unlikely to risk people's rights.",
    )
    dpia = DPIA.objects.create(
        title="Fictional DPIA", screening="s", risks="r", measures="m", review_on=date(2027, 3, 1)
    )

    meeting = BoardMeeting.objects.create(
        academic_year=year, term="autumn", held_on=date(2025, 11, 20), location="Fictional Hall"
    )
    # governance: a board member, an MHLM appointment, an LLME with an SLA, a grant with a line.
    board_member = BoardMemberFactory()
    appointment = AppointmentFactory()
    sla = SLAFactory(starts_on=year.starts_on, ends_on=year.ends_on)
    BudgetLineFactory(grant=GrantYearFactory(academic_year=year))
    report = Report.objects.create(
        kind="progress", academic_year=year, title="Autumn progress", created_by=people["hub"]
    )
    # reports: a reporting deadline, for the page that changes it.
    due_date = ReportDueDate.objects.create(
        kind="progress", academic_year=year, due_on=date(2026, 3, 27), label="Spring term"
    )
    gias_import = SchoolImport.objects.create(filename="edubase.csv", uploaded_by=people["super"])
    # hubops calendar (term dates page, written with workgroups): one period of the year.
    period = CalendarPeriod.objects.create(
        academic_year=year,
        kind=PeriodKind.TERM,
        name="Autumn term",
        starts_on=date(2025, 9, 3),
        ends_on=date(2025, 12, 19),
    )

    namespaced = {
        "workgroups": {
            "pk": registration.pk,
            "reference": registration.reference,
            "token": invitation.token,
            "code": group.code,
        },
        "workgroups_staff": {
            "pk": group.pk,
            "reg_pk": registration.pk,
            "session_pk": session.pk,
        },
        "complaints": {"token": follow_token, "letter_id": letter.pk},
        "complaints_staff": {
            "pk": complaint.pk,
            "attachment_id": attachment.pk,
            "letter_id": letter.pk,
            "kind": LetterKind.ACKNOWLEDGEMENT.value,
        },
        "privacy": {"token": data_request.verification_token},
        "privacy_staff": {"pk": data_request.pk},
        "privacy_staff:retention_approve": {"pk": run.pk},
        **{
            f"privacy_staff:{name}": {"pk": breach.pk}
            for name in (
                "breach_detail",
                "breach_ico_notified",
                "breach_ico_not_notified",
                "breach_close",
            )
        },
        "privacy_staff:dpia_edit": {"pk": dpia.pk},
        "governance_staff": {
            "pk": meeting.pk,
            "year_id": year.pk,
            "code": "team-internal-induction",
            "action": "papers-circulated",
        },
        "governance_staff:member_extend": {"pk": board_member.pk},
        "governance_staff:member_end": {"pk": board_member.pk},
        "governance_staff:appointment_end": {"pk": appointment.pk},
        "governance_staff:sla_new": {"pk": sla.leader_id},
        "governance_staff:sla_renew": {"pk": sla.pk},
        "governance_staff:sla_end": {"pk": sla.pk},
        "reports": {"pk": report.pk, "name": "submit"},
        "reports:due_date_change": {"pk": due_date.pk},
        # A code no certificate has: the public verify page answers "not genuine" to anyone.
        "certificates": {"code": "NOTACERTIFICATE"},
        # No SLA awaits renewal in the fixture world: the gate answers before the lookup.
        "continuity_staff": {"pk": 999999},
        "admin": {"import_id": gias_import.pk},
        # hubops: running a sweep early (it runs for real inside the cell's rolled-back savepoint).
        "staff_sweep_run": {"name": "complaints-sweeps"},
        # hubops calendar (term dates page, written with workgroups)
        "staff_calendar_period_new": {"year_id": year.pk},
        "staff_calendar_period": {"year_id": year.pk, "pk": period.pk},
        "staff_calendar_period_delete": {"year_id": year.pk, "pk": period.pk},
    }
    assert hub.pk
    return people, namespaced


def _kwargs(key: str, pattern: URLPattern, values: dict) -> dict:
    names = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    namespace = key.rsplit(":", 1)[0] if ":" in key else ""
    chosen = {**values.get(namespace, {}), **values.get(key, {})}
    missing = [n for n in names if n not in chosen]
    assert not missing, f"{key}: no fixture value for {missing}: add one in build_world()"
    return {n: chosen[n] for n in names}


# Reading a response ---------------------------------------------------------------------------

LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/")


def observe(response, method: str) -> str:
    """What a person would notice: ok, login (sent to sign in), mfa (sent to set up MFA),
    302 (sent somewhere else), or the refusal's status code."""
    code = response.status_code
    if code in (301, 302):
        target = response["Location"]
        if target.startswith(LOGIN_PREFIXES):
            return "login"
        if target.startswith("/accounts/2fa/"):
            return "mfa"
        return "ok" if method == "POST" else "302"
    if code in (403, 404, 405):
        return str(code)
    if method == "POST" and code in (200, 400):
        return "ok"  # the gate let it through; the (empty) form was then refused or shown
    return "ok" if code == 200 else str(code)


def _request(client: Client, method: str, path: str):
    # Each cell asks "may this role open it?", not "how many times?": the rate limits' counters
    # (rolled back with the savepoint in the database cache, kept by Redis) start afresh.
    # Sessions are cached_db: they fall back to the database.
    cache.clear()
    with transaction.atomic():
        response = client.post(path) if method == "POST" else client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def _clients(people) -> dict[str, Client]:
    clients = {"anon": Client()}
    for key, user in people.items():
        clients[key] = Client()
        clients[key].force_login(user)
    return clients


def _guess_method(client, key, pattern, values) -> str:
    """For a pattern with no row yet: POST if a GET is refused as not allowed."""
    path = reverse(key, kwargs=_kwargs(key, pattern, values))
    return "POST" if _request(client, "GET", path).status_code == 405 else "GET"


def _staff_home_mismatches(clients) -> list[str]:
    """The staff home links only to pages the matrix says the role may open (each app's
    ``workspace.py`` offers its links through ``hubops.ports``)."""
    problems = []
    for role, client in clients.items():
        if MATRIX["staff_dashboard"][1].split()[ROLES.index(role)] != "ok":
            continue
        page = client.get(reverse("staff_dashboard")).content.decode()
        for href in sorted(set(re.findall(r'href="(/staff/[^"#?]*)', page))):
            try:
                match = resolve(href)
            except Resolver404:
                problems.append(f"/staff/ as {role}: links to {href}, which is no page")
                continue
            key = match.view_name
            row = row_for(key)
            if row is None or row[1].split()[ROLES.index(role)] != "ok":
                problems.append(
                    f"/staff/ as {role}: links to {href} ({key}), which the matrix says is not "
                    "theirs"
                )
    return problems


# The tests ------------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    keys = [key for key, _, _ in url_patterns()]
    missing = [key for key in keys if row_for(key) is None]
    assert not missing, (
        "URL patterns with no row in tests/access_matrix.txt (say who may open each): "
        + ", ".join(missing)
    )
    stale = [
        k
        for k in MATRIX
        if ("*" not in k and k not in keys)
        or ("*" in k and not any(fnmatch.fnmatchcase(x, k) for x in keys))
    ]
    assert not stale, "Rows for URL patterns that no longer exist: " + ", ".join(stale)
    for key, (method, cells) in MATRIX.items():
        assert method in ("GET", "POST"), key
        assert len(cells.split()) == len(ROLES), f"{key}: {len(cells.split())} cells"


def test_every_cell_of_the_access_matrix(settings, tmp_path):
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    people, values = build_world(settings, tmp_path)
    clients = _clients(people)
    wrong, unlisted, observed, timings = [], [], [], []
    patterns = url_patterns()
    for key, pattern, _route in patterns:
        row = row_for(key)
        if row is None:
            unlisted.append(key)
        method, cells = row or (_guess_method(clients["super"], key, pattern, values), "")
        path = reverse(key, kwargs=_kwargs(key, pattern, values))
        seen = []
        started = time.perf_counter()
        expected_cells = cells.split() or ["?"] * len(ROLES)
        for role, expected in zip(ROLES, expected_cells, strict=True):
            got = observe(_request(clients[role], method, path), method)
            seen.append(got)
            if row is not None and got != expected:
                wrong.append(f"{key} ({method} {path}) as {role}: expected {expected}, got {got}")
        observed.append(f"{key:<41}{method:<7}" + " ".join(f"{c:<5}" for c in seen).rstrip())
        timings.append((time.perf_counter() - started, key))
        if row is not None and seen != expected_cells:
            wrong.append(f"    observed row for {key}: {' '.join(seen)!r}")
    wrong += _staff_home_mismatches(clients)
    if os.environ.get("ACCESS_MATRIX_OBSERVED"):
        Path(os.environ["ACCESS_MATRIX_OBSERVED"]).write_text("\n".join(observed))
        print(sorted(timings, reverse=True)[:10])
    assert not unlisted, "URL patterns with no row: " + ", ".join(unlisted)
    assert not wrong, f"{len(wrong)} cells differ:\n" + "\n".join(wrong)
    assert len(patterns) * len(ROLES) > 1000


def test_without_mfa_every_role_holder_is_sent_to_set_it_up(settings, tmp_path):
    """The same world with every authenticator removed: each staff role, the panel member and
    the superuser are sent to set up MFA on every /staff/ and /admin/ URL in the walk."""
    settings.HUBOPS_REQUIRE_STAFF_MFA = True
    people, values = build_world(settings, tmp_path)
    Authenticator.objects.all().delete()
    clients = _clients(people)
    checked = 0
    for key, pattern, _route in url_patterns():
        method, cells = row_for(key)
        path = reverse(key, kwargs=_kwargs(key, pattern, values))
        if not path.startswith(("/staff/", "/admin/")):
            continue
        for role, expected in zip(ROLES, cells.split(), strict=True):
            if role in ("anon", "teacher", "teacher2") or expected in ("login",):
                continue
            response = clients[role].get(path)
            assert observe(response, "GET") == "mfa", f"{key} as {role}"
            checked += 1
    assert checked > 500
