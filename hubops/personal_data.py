"""The personal-data declaration API, and the hubops models' own declarations.

Each app declares its personal data in ``<app>/personal_data.py``; the ``privacy`` app discovers
those modules (``autodiscover_modules("personal_data")``) and builds access exports, erasure and
retention from them. ``privacy`` never imports the other apps, and the other apps never import
``privacy``: both sides meet here.

Declaring a model (in ``workgroups/personal_data.py``, say)::

    from hubops.personal_data import Category, Erase, Retention, register

    register(
        "workgroups.Registration",
        personal={
            "user": Category.IDENTIFIER,
            "email": Category.EMAIL,
            "full_name": Category.NAME,
            "dietary_needs": Category.FREE_TEXT,
        },
        not_personal=["work_group", "status", "created_at", "updated_at"],
        user_field="user",              # how to find one person's rows ...
        email_field="email",            # ... by user and/or by email (case-insensitive)
        erase=Erase.ANONYMISE,          # keep the row so attendance counts still add up
        anonymise={"email": "", "full_name": "[erased]", "user": None},
        keep_if=lambda reg: "open complaint" if reg.has_open_complaint else None,
        retention=Retention.programme("created_at"),
    )

Every concrete field of every installed model must be named in ``personal`` or
``not_personal`` (an automatic primary key counts as not personal): ``unclassified_fields()``
lists the gaps, and the registry test fails on any. Models that hold no personal data at all are
declared with ``register(label, not_personal="__all__")``.

Rows are found with ``Q(<user_field>=user) | Q(<email_field>__iexact=email)``; ``user_field``
and ``email_field`` may be lookup paths (``"registration__user"``). Give ``find=`` for anything
more involved: ``find(person) -> QuerySet``.

Erasure, per row:
- ``Erase.DELETE`` deletes it;
- ``Erase.ANONYMISE`` overwrites the personal fields with replacement values (``anonymise=``
  maps field to a value or to ``callable(obj) -> value``; fields not given get a default: blank
  for optional text, ``[erased]`` for required text, ``None`` for nullable fields, the same
  value for a required foreign key (a registration's school, kept for per-school figures),
  ``erased-<model>-<pk>@erased.invalid`` for email fields) and keeps the row, so that anonymous
  figures stay right;
- ``Erase.REDACT`` calls ``redact(person) -> int`` (the audit log: redacted, never deleted);
- ``Erase.KEEP`` keeps it, with ``keep_reason`` (a legal obligation, say).
``keep_if(obj) -> str | None`` refuses erasure of one row with a reason ("open complaint"); the
refusal and its reason are reported to the person. ``erase_with(person, today) -> dict`` replaces
the whole erasure step for a model when it needs custom handling.

Export: by default the declared personal fields of each row (plus ``export_extra`` fields that
give context, e.g. a work group's title); ``export(obj) -> dict`` overrides it.

Tests: give ``example=callable(user)`` that creates this model's rows for ``user`` (a user with
every profile field filled in). The privacy tests call every declaration's ``example`` to build
one person with data in every app, then check that the access export holds every declared
field and that erasure leaves no trace of the person in any text column of the database.

Restriction of processing (GDPR Art. 18): :func:`is_restricted`, :func:`restricted_user_ids`,
:func:`restricted_emails` and :func:`exclude_restricted` are for other apps' export and email
selectors; restricted people are also dropped from every email by a ``hubops.emails`` recipient
filter, installed when ``privacy`` sets the restriction provider at start-up. This module imports
nothing but ``django.db.models`` at import time, so any module may import it. Disclosures (GDPR
Art. 30 record of sharing) are logged through :func:`record_disclosure`, which ``privacy``
implements; :func:`record_view` / :func:`views_of` audit who has seen a person's record.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

REDACTED = "[redacted]"
ERASED = "[erased]"


class Category(enum.StrEnum):
    """What kind of personal data a field holds (the privacy notice's list, plus technical
    identifiers)."""

    NAME = "name"
    PREVIOUS_NAMES = "previous names"
    DATE_OF_BIRTH = "date of birth"
    EMAIL = "email address"
    PHONE = "phone number"
    ADDRESS = "postal address"
    TRN = "Teacher Reference Number"
    SCHOOL = "school or employer"
    ROLE = "job title or role"
    FREE_TEXT = "free text written by or about the person"
    IDENTIFIER = "identifier linking to the person"
    CREDENTIAL = "credential or security data"
    ONLINE = "online identifier (IP address, browser, session)"
    PARTICIPATION = "participation and attendance"
    PREFERENCE = "preferences and consents"
    SPECIAL = "special category data (health, access needs)"
    COMPLAINT = "complaint details"
    OTHER = "other personal data"


class Erase(enum.StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    REDACT = "redact"
    KEEP = "keep"


@dataclass(frozen=True)
class Retention:
    """How long rows are kept. ``kind``:

    - ``"programme"``: the programme's lifetime plus ``months`` (the privacy notice: six);
      a row is due once ``programme end + months`` has passed and its ``date_field`` is on or
      before the programme end (or empty);
    - ``"after"``: ``months`` after the row's ``date_field``;
    - ``"keep"``: kept while it is needed (``rule`` says why), never destroyed by the schedule;
    - ``"none"``: not personal data, no rule.
    """

    kind: str
    rule: str
    date_field: str | None = None
    months: int = 0

    @classmethod
    def programme(cls, date_field: str | None = None, months: int = 6) -> Retention:
        return cls(
            "programme",
            f"The programme's lifetime plus {months} months",
            date_field,
            months,
        )

    @classmethod
    def after(cls, date_field: str, months: int, rule: str = "") -> Retention:
        return cls("after", rule or f"{months} months after {date_field}", date_field, months)

    @classmethod
    def keep(cls, rule: str) -> Retention:
        return cls("keep", rule)

    @classmethod
    def none(cls) -> Retention:
        return cls("none", "Not personal data")


@dataclass(frozen=True)
class Person:
    """One data subject: a user account and/or an email address, plus identifiers that may
    appear in free text (used to redact the audit log)."""

    email: str = ""
    user: Any = None
    names: tuple[str, ...] = ()
    trn: str = ""

    @classmethod
    def for_user(cls, user: Any) -> Person:
        names = tuple(
            n.strip() for n in [user.full_name, *user.previous_names.split(",")] if n and n.strip()
        )
        return cls(email=user.email, user=user, names=names, trn=user.trn)

    @classmethod
    def for_email(cls, email: str, name: str = "") -> Person:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is not None:
            person = cls.for_user(user)
            if name and name not in person.names:
                return Person(person.email, user, (*person.names, name), person.trn)
            return person
        return cls(email=email.strip().lower(), names=(name,) if name else ())

    @property
    def needles(self) -> list[str]:
        """Strings that identify the person in free text."""
        return [s for s in (self.email, self.trn, *self.names) if s and len(s) >= 3]


@dataclass
class Declaration:
    label: str  # "app_label.modelname", lower case
    personal: dict[str, Category]
    not_personal: set[str] | str
    user_field: str | None = None
    email_field: str | None = None
    find: Callable[[Person], models.QuerySet] | None = None
    export: Callable[[models.Model], dict[str, Any]] | None = None
    export_extra: tuple[str, ...] = ()
    erase: Erase = Erase.DELETE
    anonymise: dict[str, Any] = field(default_factory=dict)
    keep_if: Callable[[models.Model], str | None] | None = None
    keep_reason: str = ""
    redact: Callable[[Person], int] | None = None
    erase_with: Callable[[Person, dt.date], dict[str, Any]] | None = None
    retention: Retention = field(default_factory=Retention.none)
    # Narrows the rows the retention schedule may destroy (e.g. not staff accounts).
    retention_scope: Callable[[models.QuerySet], models.QuerySet] | None = None
    description: str = ""
    example: Callable[[Any], Any] | None = None

    # -- model ------------------------------------------------------------------------------
    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.label)

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.personal)

    @property
    def findable(self) -> bool:
        return bool(self.find or self.user_field or self.email_field)

    # -- finding ----------------------------------------------------------------------------
    def rows(self, person: Person) -> models.QuerySet:
        model = self.model
        if self.find is not None:
            return self.find(person)
        query = models.Q()
        matched = False
        if self.user_field and person.user is not None and person.user.pk is not None:
            query |= models.Q(**{self.user_field: person.user})
            matched = True
        if self.email_field and person.email:
            query |= models.Q(**{f"{self.email_field}__iexact": person.email})
            matched = True
        if not matched:
            return model._default_manager.none()
        return model._default_manager.filter(query).distinct()

    # -- export -----------------------------------------------------------------------------
    def export_row(self, obj: models.Model) -> dict[str, Any]:
        if self.export is not None:
            return self.export(obj)
        out: dict[str, Any] = {"id": obj.pk}
        for name in [*self.personal, *self.export_extra]:
            out[name] = _plain(obj, name)
        return out

    # -- erasure ----------------------------------------------------------------------------
    def replacement(self, obj: models.Model, name: str) -> Any:
        if name in self.anonymise:
            value = self.anonymise[name]
            return value(obj) if callable(value) else value
        f = obj._meta.get_field(name)
        if isinstance(f, models.EmailField):
            if f.unique:
                return f"erased-{obj._meta.model_name}-{obj.pk}@erased.invalid"
            return "" if f.blank else f"erased-{obj._meta.model_name}-{obj.pk}@erased.invalid"
        if isinstance(f, models.JSONField):
            return {} if not f.null else None
        if f.null:
            return None
        if f.is_relation:
            # A required link (a registration's school): kept, so per-school figures stay
            # right; once the name, email and TRN are gone it no longer identifies the person.
            return getattr(obj, f.attname)
        if isinstance(f, models.CharField | models.TextField):
            return "" if f.blank else ERASED[: f.max_length or None]
        if isinstance(f, models.BooleanField):
            return False
        raise ValueError(
            f"{self.label}.{name}: give a replacement value in anonymise= (no safe default)"
        )

    def is_anonymised(self, obj: models.Model) -> bool:
        """Whether every personal field already holds its replacement value (so the retention
        schedule does not anonymise the row again)."""
        for name in self.personal:
            f = obj._meta.get_field(name)
            if f.many_to_many:
                continue
            try:
                value = _fk_value(self.replacement(obj, name))
            except ValueError:
                return False
            if getattr(obj, f.attname) != value:
                return False
        return True

    def anonymise_row(self, obj: models.Model) -> None:
        names = [n for n in self.personal if not obj._meta.get_field(n).many_to_many] + [
            n for n in self.anonymise if n not in self.personal
        ]
        for name in names:
            f = obj._meta.get_field(name)
            setattr(
                obj, f.attname if f.is_relation else name, _fk_value(self.replacement(obj, name))
            )
        obj.save(update_fields=[obj._meta.get_field(n).name for n in names])
        for name in self.personal:
            f = obj._meta.get_field(name)
            if f.many_to_many:
                getattr(obj, name).clear()


def _fk_value(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _plain(obj: models.Model, name: str) -> Any:
    """A JSON-friendly value of a field (or attribute path ``a__b``)."""
    value: Any = obj
    for part in name.split("__"):
        if value is None:
            return None
        try:
            f = value._meta.get_field(part) if isinstance(value, models.Model) else None
        except Exception:
            f = None
        if f is not None and f.many_to_many:
            return [str(o) for o in getattr(value, part).all()]
        if f is not None and getattr(f, "choices", None) and not f.is_relation:
            value = getattr(value, f"get_{part}_display")()
            continue
        value = getattr(value, part, None)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "(binary data)"
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    if isinstance(value, int | float | str | bool | list | dict) or value is None:
        return value
    return str(value)


# The registry -------------------------------------------------------------------------------------

_REGISTRY: dict[str, Declaration] = {}


def _label(model: str | type[models.Model]) -> str:
    if isinstance(model, str):
        return model.lower()
    return model._meta.label_lower


def register(
    model: str | type[models.Model],
    *,
    personal: dict[str, Category] | None = None,
    not_personal: Iterable[str] | str = (),
    **options: Any,
) -> Declaration:
    """Declare one model's personal data. ``model`` is ``"app_label.ModelName"`` (or the
    class). ``not_personal="__all__"`` declares a model with no personal data. Registering a
    model twice replaces the earlier declaration."""
    label = _label(model)
    declaration = Declaration(
        label=label,
        personal={k: Category(v) for k, v in (personal or {}).items()},
        not_personal="__all__" if not_personal == "__all__" else set(not_personal),
        **options,
    )
    if declaration.personal and "retention" not in options:
        raise ValueError(f"{label}: personal data needs a retention rule (retention=...)")
    _REGISTRY[label] = declaration
    return declaration


def registry() -> dict[str, Declaration]:
    """Every declaration, after discovering each installed app's ``personal_data`` module."""
    discover()
    return dict(sorted(_REGISTRY.items()))


def declaration_for(model: str | type[models.Model]) -> Declaration | None:
    discover()
    return _REGISTRY.get(_label(model))


_discovered = False


def discover() -> None:
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("personal_data")
    _discovered = True


def classifiable_fields(model: type[models.Model]) -> list[str]:
    """The fields a declaration must classify: every concrete and many-to-many field the
    model defines, except an automatic primary key."""
    names = []
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if f.primary_key and f.auto_created:
            continue
        names.append(f.name)
    return names


def declarable_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app (auto-created many-to-many tables are
    covered by the field that creates them)."""
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if not m._meta.abstract and not m._meta.proxy and not m._meta.auto_created
    ]


def unclassified_fields() -> list[str]:
    """``app.model.field`` for every field no declaration classifies, every model with no
    declaration, and every declared field that no longer exists. Empty when the registry is
    complete."""
    reg = registry()
    problems: list[str] = []
    for model in declarable_models():
        label = model._meta.label_lower
        declaration = reg.get(label)
        fields = classifiable_fields(model)
        if declaration is None:
            problems.append(f"{label}: no personal-data declaration")
            continue
        if declaration.not_personal == "__all__":
            if declaration.personal:
                problems.append(f"{label}: both personal fields and not_personal='__all__'")
            continue
        declared = set(declaration.personal) | set(declaration.not_personal)
        for name in fields:
            if name not in declared:
                problems.append(f"{label}.{name}: not classified as personal or not personal")
        for name in declared - set(fields) - {"id"}:
            problems.append(f"{label}.{name}: declared but the model has no such field")
        both = set(declaration.personal) & set(declaration.not_personal)
        for name in sorted(both):
            problems.append(f"{label}.{name}: classified as both personal and not personal")
        if declaration.personal and not declaration.findable and declaration.erase != Erase.KEEP:
            problems.append(f"{label}: personal data but no way to find one person's rows")
    return problems


def personal_models() -> list[Declaration]:
    return [d for d in registry().values() if d.holds_personal_data]


# Hooks that privacy implements -------------------------------------------------------------------

_restriction_provider: Callable[[], tuple[set[int], set[str]]] | None = None
_disclosure_recorder: Callable[..., Any] | None = None


def set_restriction_provider(provider: Callable[[], tuple[set[int], set[str]]]) -> None:
    """``provider() -> (user ids, lower-case emails)`` of people whose processing is
    restricted. Set by ``privacy`` at start-up."""
    global _restriction_provider
    _restriction_provider = provider
    _install_email_filter()


def set_disclosure_recorder(recorder: Callable[..., Any]) -> None:
    global _disclosure_recorder
    _disclosure_recorder = recorder


def _restricted() -> tuple[set[int], set[str]]:
    if _restriction_provider is None:
        return set(), set()
    return _restriction_provider()


def restricted_user_ids() -> set[int]:
    """Ids of users whose processing is restricted: leave them out of exports and
    processing."""
    return _restricted()[0]


def restricted_emails() -> set[str]:
    """Lower-case email addresses of restricted people (users and non-users)."""
    return _restricted()[1]


def is_restricted(email_or_user: Any) -> bool:
    if email_or_user is None:
        return False
    ids, emails = _restricted()
    if isinstance(email_or_user, str):
        return email_or_user.strip().lower() in emails
    return email_or_user.pk in ids or (getattr(email_or_user, "email", "") or "").lower() in emails


def exclude_restricted(
    queryset: models.QuerySet, *, user_field: str | None = None, email_field: str | None = None
) -> models.QuerySet:
    """``queryset`` without the rows of restricted people, matched by user and/or email."""
    ids, emails = _restricted()
    if user_field and ids:
        queryset = queryset.exclude(**{f"{user_field}__in": ids})
    if email_field and emails:
        for email in emails:
            queryset = queryset.exclude(**{f"{email_field}__iexact": email})
    return queryset


def record_disclosure(
    *,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    data_categories: Iterable[str],
    people_count: int,
    actor: Any = None,
    disclosed_on: dt.date | None = None,
    source: str = "",
) -> Any:
    """Log one disclosure of personal data (an export sent to the DfE, say) in the sharing
    log. Call it from the service that builds the export, inside its transaction. A no-op
    returning None when the privacy app is not installed."""
    if _disclosure_recorder is None:
        return None
    return _disclosure_recorder(
        recipient=recipient,
        purpose=purpose,
        lawful_basis=lawful_basis,
        data_categories=list(data_categories),
        people_count=people_count,
        actor=actor,
        disclosed_on=disclosed_on,
        source=source,
    )


def record_view(actor: Any, obj: models.Model, *, exported: bool = False) -> None:
    """Audit that ``actor`` saw (or exported) one person's full record; staff see the list
    with :func:`views_of`. Call it from the view that shows or exports the record."""
    from .audit import record

    verb = "exported" if exported else "viewed"
    record(actor, obj, f"{obj._meta.label_lower}.{verb}")


def views_of(obj: models.Model) -> models.QuerySet:
    """Who has seen or exported this record, newest first."""
    from .models import AuditEvent

    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action__regex=r"\.(viewed|exported|downloaded)$",
    ).order_by("-at", "-pk")


def _drop_restricted(addresses: list[str]) -> list[str]:
    emails = restricted_emails()
    if not emails:
        return addresses
    return [a for a in addresses if a.strip().lower() not in emails]


def _install_email_filter() -> None:
    from . import emails

    if _drop_restricted not in emails.RECIPIENT_FILTERS:
        emails.RECIPIENT_FILTERS.append(_drop_restricted)


# The hubops models' declarations -----------------------------------------------------------------


def _user_rows(person: Person) -> models.QuerySet:
    from .models import User

    query = models.Q(pk__in=[])
    if person.user is not None and person.user.pk is not None:
        query |= models.Q(pk=person.user.pk)
    if person.email:
        query |= models.Q(email__iexact=person.email)
    return User.objects.filter(query)


def _redact_audit(person: Person) -> int:
    from .audit import redact_person

    return redact_person(user=person.user, needles=person.needles)


def _audit_rows(person: Person) -> models.QuerySet:
    from .models import AuditEvent

    # Every key here is indexed (the actor, the record, the normalised address of the person a
    # record is about): the export's cost does not grow with the whole log. Erasure still
    # searches free text for the person's names (``audit.redact_person``).
    query = models.Q()
    if person.user is not None:
        query |= models.Q(actor=person.user)
        query |= models.Q(object_type="hubops.user", object_id=str(person.user.pk))
    if person.email:
        query |= models.Q(subject_email=person.email.strip().lower())
    if not query:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(query)


def _reminder_rows(person: Person) -> models.QuerySet:
    from .models import ReminderLog

    if not person.email:
        return ReminderLog.objects.none()
    address = person.email.strip().lower()
    # Reminders to one person carry their address in the indexed ``email`` column. Reminders to
    # several people (a role) leave it blank; among those, match the whole address in the
    # comma-separated list (never a substring: ``sam@x`` must not find ``xsam@x``).
    whole = r"(^|,\s*)" + re.escape(address) + r"\s*(,|$)"
    return ReminderLog.objects.filter(
        models.Q(email=address) | models.Q(email="", recipients__iregex=whole)
    )


def _redact_reminders(person: Person) -> int:
    rows = list(_reminder_rows(person))
    for row in rows:
        kept = [
            a.strip()
            for a in row.recipients.split(",")
            if a.strip() and a.strip().lower() != person.email.lower()
        ]
        row.recipients = ", ".join([*kept, REDACTED])
        row.email = ""
        row.save(update_fields=["recipients", "email"])
    return len(rows)


register(
    "hubops.User",
    description="Your account: name, contact details, school and Teacher Reference Number.",
    personal={
        "email": Category.EMAIL,
        "full_name": Category.NAME,
        "previous_names": Category.PREVIOUS_NAMES,
        "date_of_birth": Category.DATE_OF_BIRTH,
        "phone": Category.PHONE,
        "trn": Category.TRN,
        "school": Category.SCHOOL,
        "password": Category.CREDENTIAL,
        "last_login": Category.ONLINE,
        "date_joined": Category.PARTICIPATION,
        "groups": Category.ROLE,
        "user_permissions": Category.ROLE,
    },
    not_personal=["is_staff", "is_active", "is_superuser"],
    find=_user_rows,
    export=lambda u: {
        "id": u.pk,
        "email": u.email,
        "full_name": u.full_name,
        "previous_names": u.previous_names,
        "date_of_birth": u.date_of_birth.isoformat() if u.date_of_birth else None,
        "phone": u.phone,
        "trn": u.trn,
        "school": str(u.school) if u.school_id else None,
        "password": "(stored as a one-way hash; not shown)",
        "last_login": u.last_login.isoformat() if u.last_login else None,
        "date_joined": u.date_joined.isoformat(),
        "groups": sorted(u.groups.values_list("name", flat=True)),
        "user_permissions": sorted(u.user_permissions.values_list("codename", flat=True)),
    },
    # Keep the row (other records point at it) but leave nothing that identifies the person;
    # the account can no longer sign in.
    erase=Erase.ANONYMISE,
    anonymise={
        "email": lambda u: f"erased-user-{u.pk}@erased.invalid",
        "full_name": ERASED,
        "previous_names": "",
        "password": lambda u: "!erased",
        "last_login": None,
        "is_active": False,
        "date_joined": lambda u: u.date_joined,
    },
    retention=Retention.programme("date_joined"),
    # The notice's rule is for participants' data: the schedule never closes staff accounts
    # (they are closed by hand when someone leaves, or erased on request).
    retention_scope=lambda users: users.filter(is_staff=False, is_superuser=False),
)

register("hubops.Hub", not_personal="__all__", description="The hub's own contact details.")
register("hubops.HubLocalAuthority", not_personal="__all__")
register("hubops.School", not_personal="__all__", description="Schools from GIAS.")
register("hubops.AcademicYear", not_personal="__all__")
register("hubops.CalendarPeriod", not_personal="__all__")
register(
    "hubops.SchoolImport",
    description="GIAS school files you uploaded in the admin.",
    personal={"uploaded_by": Category.IDENTIFIER},
    not_personal=[
        "uploaded_at",
        "filename",
        "file",
        "la_codes",
        "status",
        "rows_done",
        "rows_total",
        "result",
        "error",
        "finished_at",
    ],
    user_field="uploaded_by",
    export_extra=["uploaded_at", "filename", "status"],
    erase=Erase.ANONYMISE,
    anonymise={"uploaded_by": None},
    retention=Retention.programme("uploaded_at"),
)

register(
    "hubops.AuditEvent",
    description="The audit log: who did what, when. Redacted, never deleted.",
    personal={
        "actor": Category.IDENTIFIER,
        "actor_label": Category.EMAIL,
        "object_label": Category.NAME,
        "data": Category.OTHER,
        "subject_email": Category.EMAIL,
    },
    not_personal=["at", "action", "object_type", "object_id"],
    find=_audit_rows,
    export=lambda e: {
        "id": e.pk,
        "at": e.at.isoformat(),
        "actor": e.actor_label,
        "action": e.action,
        "record": e.object_label,
        "data": e.data,
    },
    erase=Erase.REDACT,
    redact=_redact_audit,
    retention=Retention.keep(
        "Kept as the hub's accountability record; personal data in it is redacted on erasure."
    ),
)

register(
    "hubops.ReminderLog",
    description="Reminders sent to you.",
    personal={"recipients": Category.EMAIL, "email": Category.EMAIL},
    not_personal=["object_type", "object_id", "kind", "due_on", "sent_at"],
    find=_reminder_rows,
    erase=Erase.REDACT,
    redact=_redact_reminders,
    retention=Retention.programme("sent_at"),
)
