"""``manage.py load_demo``: an obviously fictional demo hub, for ``make run`` and for trying
the system out. Idempotent: a second run creates nothing new (it puts the demo accounts'
passwords and roles back if someone changed them). Refuses to run with DEBUG off.

What it makes:
- the hub "Riverside Maths Hub (demo)" (code ZZ1) serving seven west London local authorities;
- schools: the real GIAS sample files in ``hubops/demo_data/gias/`` (through ``import_gias``) and
  40 fictional schools in the hub's area (URNs 990001 onwards, "... Demo ... School");
- the school calendar for the academic year containing today;
- a staff account for each role, a teacher account (not staff) and a superuser, all at
  ``@demo.hub.example`` with the password ``demo-password-1``, email addresses verified.

Other apps add their own demo data by providing ``<app>/demo.py`` with a function
``load(*, hub, today)``; it is called after the core data exists, in INSTALLED_APPS order, and
must be idempotent too.

``--size large`` adds a large hub's scale on top, for benchmarks and scale tests: 400 more
fictional schools here, then each app's ``load_large(*, hub, today, progress)`` (Work Groups:
300 groups, 20,000 registrations and 100,000 session reminders due in the next two days;
complaints: 2,000 open; privacy: 500 data-rights requests). It writes with ``bulk_create`` in
one transaction per app, so it takes a minute or two, shows a progress bar on stderr and is
idempotent like the rest (everything is keyed on codes and references).
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

from allauth.account.models import EmailAddress
from dateutil.easter import easter
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.base import CommandError as _CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from hubops.demo_accounts import DEMO_DOMAIN, DEMO_PASSWORD, demo_accounts, role_email
from hubops.models import AcademicYear, CalendarPeriod, Hub, HubLocalAuthority, School
from hubops.roles import Role, ensure_roles
from hubops.selectors import CALENDAR_CACHE_KEY

HUB_NAME = "Riverside Maths Hub (demo)"
HUB_CODE = "ZZ1"

# DfE local authority codes of the demo hub's area.
LOCAL_AUTHORITIES = [
    ("307", "Ealing"),
    ("304", "Brent"),
    ("205", "Hammersmith and Fulham"),
    ("310", "Harrow"),
    ("312", "Hillingdon"),
    ("313", "Hounslow"),
    ("207", "Kensington and Chelsea"),
]

# The GIAS sample files that hold schools (the children's centres file holds no schools).
# Real public GIAS rows shipped with the demo (see hubops/demo_data/README.md).
DEMO_GIAS_DIR = Path(__file__).resolve().parents[2] / "demo_data" / "gias"
GIAS_FILES = ["gias_full_header_8_schools.csv", "gias_2019_quoted_4_schools.csv"]

FICTIONAL_URN_START = 990001
LARGE_URN_START = 991001
LARGE_SCHOOLS = 400
_PLACES = [
    "Riverside",
    "Brookfield",
    "Willowmere",
    "Oakhollow",
    "Larkspur",
    "Fernbank",
    "Heronsgate",
    "Kestrel Park",
    "Millbrook",
    "Ashdown Vale",
]
_KINDS = [
    ("Demo Primary School", "primary", "1", "Community school", "4"),
    ("Demo Infant School", "primary", "2", "Voluntary aided school", "4"),
    ("Demo Academy", "secondary", "28", "Academy sponsor led", "10"),
    ("Demo High School", "secondary", "1", "Community school", "4"),
]
_TYPE_GROUPS = {"4": "Local authority maintained schools", "10": "Academies"}

# Obviously fictional people, one per account.
_NAMES = [
    "Alex Fictional",
    "Sam Example",
    "Jo Placeholder",
    "Chris Sample",
    "Pat Madeup",
    "Robin Invented",
    "Lee Pretend",
    "Morgan Notreal",
    "Casey Imaginary",
    "Ari Demo",
]


def fictional_schools() -> list[dict]:
    """40 fictional schools spread over the hub's local authorities."""
    schools = []
    for index in range(40):
        place = _PLACES[index % len(_PLACES)]
        suffix, phase, type_code, type_name, group = _KINDS[index // len(_PLACES)]
        la_code, la_name = LOCAL_AUTHORITIES[index % len(LOCAL_AUTHORITIES)]
        schools.append(
            {
                "urn": FICTIONAL_URN_START + index,
                "name": f"{place} {suffix}",
                "la_code": la_code,
                "la_name": la_name,
                "type_code": type_code,
                "type_name": type_name,
                "type_group_code": group,
                "type_group_name": _TYPE_GROUPS[group],
                "phase": phase,
                "status": "open",
                "town": la_name,
                "postcode": f"ZZ{index // 10 + 1} {index % 10}ZZ",
            }
        )
    return schools


def large_fictional_schools() -> list[dict]:
    """The large hub's extra fictional schools, spread over the hub's local authorities."""
    schools = []
    for index in range(LARGE_SCHOOLS):
        place = _PLACES[index % len(_PLACES)]
        suffix, phase, type_code, type_name, group = _KINDS[index % len(_KINDS)]
        la_code, la_name = LOCAL_AUTHORITIES[index % len(LOCAL_AUTHORITIES)]
        schools.append(
            {
                "urn": LARGE_URN_START + index,
                "name": f"{place} {suffix} No. {index + 1}",
                "la_code": la_code,
                "la_name": la_name,
                "type_code": type_code,
                "type_name": type_name,
                "type_group_code": group,
                "type_group_name": _TYPE_GROUPS[group],
                "phase": phase,
                "status": "open",
                "town": la_name,
                "postcode": f"ZZ{index // 100 + 5} {index % 10}ZY",
            }
        )
    return schools


class Progress:
    """A progress bar on stderr: ``progress(label, done, total)``; a line per finished step."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.label = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        total = max(total, 1)
        filled = self.WIDTH * min(done, total) // total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{label:<34} [{bar}] {done:>7,}/{total:,}", ending=end)
        self.stream.flush()


# The calendar ---------------------------------------------------------------------------------


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def academic_year_start(today: date) -> int:
    """The calendar year in which the academic year containing ``today`` starts."""
    return today.year if today.month >= 9 else today.year - 1


def demo_calendar(start_year: int) -> list[tuple[str, str, date, date]]:
    """A typical English school year from 1 September ``start_year``: three terms with a
    one-week half term each, two weeks at Christmas and Easter, summer to 31 August.
    Returns (kind, name, first day, last day) tuples."""
    end_year = start_year + 1
    mon, fri = 0, 4
    autumn_start = _next_weekday(date(start_year, 9, 2))
    autumn_half = _weekday_on_or_before(date(start_year, 10, 31), mon)
    autumn_end = _weekday_on_or_before(date(start_year, 12, 19), fri)
    spring_start = _next_weekday(date(end_year, 1, 5))
    spring_half = _weekday_on_or_after(date(end_year, 2, 13), mon)
    easter_sunday = easter(end_year)
    easter_first = easter_sunday - timedelta(days=6)  # the Monday before Good Friday
    easter_last = easter_sunday + timedelta(days=5)  # the Friday after Easter Monday
    summer_half = _weekday_on_or_before(date(end_year, 5, 31), mon)
    summer_end = _weekday_on_or_before(date(end_year, 7, 23), fri)
    return [
        ("term", "Autumn term", autumn_start, autumn_end),
        ("half_term", "Autumn half term", autumn_half, autumn_half + timedelta(days=4)),
        (
            "holiday",
            "Christmas holiday",
            autumn_end + timedelta(days=1),
            spring_start - timedelta(days=1),
        ),
        ("term", "Spring term", spring_start, easter_first - timedelta(days=3)),
        ("half_term", "Spring half term", spring_half, spring_half + timedelta(days=4)),
        (
            "holiday",
            "Easter holiday",
            easter_first - timedelta(days=2),
            easter_last + timedelta(days=2),
        ),
        ("term", "Summer term", easter_last + timedelta(days=3), summer_end),
        ("half_term", "Summer half term", summer_half, summer_half + timedelta(days=4)),
        ("holiday", "Summer holiday", summer_end + timedelta(days=1), date(end_year, 8, 31)),
    ]


class Command(BaseCommand):
    help = "Load the fictional demo hub (idempotent). Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--gias-dir",
            default=str(DEMO_GIAS_DIR),
            help="Folder with the GIAS sample files (default: hubops/demo_data/gias).",
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Pretend today is YYYY-MM-DD."
        )
        parser.add_argument(
            "--size",
            choices=["small", "large"],
            default="small",
            help="large: add a large hub's scale (300 Work Groups, 20,000 registrations, "
            "2,000 open complaints, 500 data-rights requests) for benchmarks.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo refuses to run with DEBUG off: the demo accounts share a published "
                "password. Set DEBUG=true (never on a live hub) to load the demo."
            )

        today = options["today"] or timezone.localdate()
        self.import_real_schools(Path(options["gias_dir"]))
        with transaction.atomic():
            hub = self.load_hub()
            self.load_calendar(today)
            self.load_accounts(hub)
        self.load_app_demos(hub, today)
        if options["size"] == "large":
            self.load_large(hub, today)
        self.print_logins()

    # -- pieces -------------------------------------------------------------------------------

    def import_real_schools(self, folder: Path) -> None:
        for name in GIAS_FILES:
            path = folder / name
            if not path.exists():
                self.stderr.write(f"Skipped {path}: the file is not there.")
                continue
            try:
                call_command("import_gias", str(path), stdout=self.stdout, stderr=self.stderr)
            except _CommandError as error:
                if "Unknown command" in str(error):
                    self.stderr.write("Skipped the GIAS files: there is no import_gias command.")
                    return
                # The demo still works without these schools: say why and carry on.
                self.stderr.write(f"Skipped {path.name}: {error}")

    def load_hub(self):
        for values in fictional_schools():
            School.objects.update_or_create(urn=values["urn"], defaults=values)
        hub, _ = Hub.objects.get_or_create(
            code=HUB_CODE,
            defaults={
                "name": HUB_NAME,
                "email": f"hub@{DEMO_DOMAIN}",
                "phone": "020 7946 0000",
                "address": "Riverside Demo Primary School\n1 Example Lane\nLondon\nZZ1 0ZZ",
                "website": "https://hub.example/",
            },
        )
        if hub.lead_school_id is None:
            hub.lead_school = School.objects.get(urn=FICTIONAL_URN_START)
            hub.save(update_fields=["lead_school"])
        for la_code, la_name in LOCAL_AUTHORITIES:
            HubLocalAuthority.objects.get_or_create(
                hub=hub, la_code=la_code, defaults={"la_name": la_name}
            )
        return hub

    def load_calendar(self, today: date) -> None:
        start = academic_year_start(today)
        year, created = AcademicYear.objects.get_or_create(
            name=f"{start}/{str(start + 1)[-2:]}",
            defaults={"starts_on": date(start, 9, 1), "ends_on": date(start + 1, 8, 31)},
        )
        if created or not year.periods.exists():
            CalendarPeriod.objects.bulk_create(
                CalendarPeriod(
                    academic_year=year, kind=kind, name=name, starts_on=first, ends_on=last
                )
                for kind, name, first, last in demo_calendar(start)
            )
            cache.delete(CALENDAR_CACHE_KEY)

    def load_accounts(self, hub) -> None:
        ensure_roles()
        User = get_user_model()
        roles = {role_email(role): role for role in Role}
        for index, (email, _label) in enumerate(demo_accounts()):
            role = roles.get(email)
            user, _ = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": _NAMES[index % len(_NAMES)],
                    "is_staff": email != f"teacher@{DEMO_DOMAIN}",
                    "is_superuser": email == f"admin@{DEMO_DOMAIN}",
                    "school": hub.lead_school if email.startswith("teacher@") else None,
                },
            )
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if role is not None:
                user.groups.add(Group.objects.get(name=role.value))
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )

    def load_app_demos(self, hub, today: date) -> None:
        for config in apps.get_app_configs():
            if not Path(config.path).is_relative_to(Path(settings.BASE_DIR)):
                continue
            if not module_has_submodule(config.module, "demo"):
                continue
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "load"):
                module.load(hub=hub, today=today)
                self.stdout.write(f"Loaded the {config.label} demo data.")

    def load_large(self, hub, today: date) -> None:
        progress = Progress(self.stderr)
        schools = large_fictional_schools()
        with transaction.atomic():
            have = set(
                School.objects.filter(urn__gte=LARGE_URN_START).values_list("urn", flat=True)
            )
            School.objects.bulk_create(
                [School(**values) for values in schools if values["urn"] not in have],
                batch_size=500,
            )
        progress("Schools", len(schools), len(schools))
        for config in apps.get_app_configs():
            if not Path(config.path).is_relative_to(Path(settings.BASE_DIR)):
                continue
            if not module_has_submodule(config.module, "demo"):
                continue
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "load_large"):
                with transaction.atomic():
                    module.load_large(hub=hub, today=today, progress=progress)
                self.stdout.write(f"Loaded the {config.label} large-hub data.")
        if connection.vendor == "postgresql":
            # Bulk loads leave the planner's statistics behind (it would plan the lists for a
            # handful of rows); autovacuum catches up later, a benchmark must not wait for it.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"The demo hub is ready: {HUB_NAME}."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, label in demo_accounts():
            self.stdout.write(f"  {email:<42} {label}")
