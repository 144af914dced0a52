"""The personal-data declaration API.

Each app declares its personal data in ``<app>/personal_data.py`` (hubops, whose
``personal_data`` is this module, in ``hubops/personal_data_declarations.py``); :func:`discover`
finds those modules (``autodiscover_modules``, like ``admin.py``) and the ``privacy`` app builds
access exports, erasure and retention from them. ``privacy`` never imports the other apps,
and the other apps never import ``privacy``: both sides meet here.

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

After the per-model step, erasure searches every text column (CharField, TextField,
JSONField; not choices or secrets) of every declared model for the person's names, previous
names, email, phone and TRN (:meth:`Person.pattern`) and redacts them, in anyone's record: a
note on someone else's complaint keeps the note and loses the name. In another person's row
the fields that identify *that* person (their name, email, phone) are left alone (a namesake
keeps their name), unless the declaration lists them in ``third_party`` (who a complaint is
about). ``keep_text={field: reason or callable(obj) -> reason}`` keeps a field whole (a
signed, frozen record) and the report says why.

Export: by default the declared personal fields of each row (plus ``export_extra`` fields that
give context, e.g. a work group's title); ``export(obj) -> dict`` overrides it. The access
export passes the person: other accounts a row links to, ``third_party`` fields, other
people's email addresses, and those people's names where the row's text repeats them, become
``[another person]``.

Tests: give ``example=callable(user)`` that creates this model's rows for ``user`` (a user with
every profile field filled in). The privacy tests call every declaration's ``example`` to build
one person with data in every app, then check that the access export holds every declared
field and that erasure leaves no trace of the person in any text column of the database.

Restriction of processing (GDPR Art. 18) lives in :mod:`hubops.restriction` and the sharing
log's hook in :mod:`hubops.disclosures` (both filled by ``privacy`` at start-up); their functions
are importable from here too. :func:`record_view` / :func:`views_of` audit who has seen a
person's record. This module imports nothing that loads the models at import time, so any
module may import it.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.module_loading import autodiscover_modules

# Restriction and disclosures were declared here; callers may still import them from here.
from .disclosures import record_disclosure, set_disclosure_recorder
from .restriction import (
    exclude_restricted,
    is_restricted,
    restricted_emails,
    restricted_user_ids,
    set_restriction_provider,
)

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
    """One data subject: a user account and/or an email address, plus the identifiers that
    may appear in free text (names, previous names, email, phone, TRN), which erasure looks
    for in every declared text field and redacts."""

    email: str = ""
    user: Any = None
    names: tuple[str, ...] = ()
    trn: str = ""
    phone: str = ""

    @classmethod
    def for_user(cls, user: Any) -> Person:
        names = tuple(
            n.strip() for n in [user.full_name, *user.previous_names.split(",")] if n and n.strip()
        )
        return cls(email=user.email, user=user, names=names, trn=user.trn, phone=user.phone or "")

    @classmethod
    def for_email(cls, email: str, name: str = "") -> Person:
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is not None:
            person = cls.for_user(user)
            if name and name not in person.names:
                return person.with_name(name)
            return person
        return cls(email=email.strip().lower(), names=(name,) if name else ())

    def with_name(self, name: str) -> Person:
        return Person(self.email, self.user, (*self.names, name), self.trn, self.phone)

    @property
    def phone_digits(self) -> str:
        return "".join(ch for ch in self.phone if ch.isdigit())

    @property
    def needles(self) -> list[str]:
        """Strings that identify the person in free text."""
        candidates = (self.email, self.trn, self.phone, self.phone_digits, *self.names)
        return list(dict.fromkeys(s for s in candidates if s and len(s) >= 3))

    def search_terms(self) -> list[str]:
        """What to look for with ``icontains``: the needles, and how JSON stores them
        (``json.dumps`` writes "ë" as ``\\u00eb``)."""
        terms = [*self.needles, *(json.dumps(n)[1:-1] for n in self.needles)]
        return list(dict.fromkeys(terms))

    def pattern(self) -> re.Pattern | None:
        """One pattern that finds any of the person's identifiers in text: names and email
        case-insensitively and as whole words, the TRN and phone number as whole numbers
        (the phone with or without spaces, dashes or brackets)."""
        parts = []
        for needle in [self.email, *self.names]:
            if needle and len(needle) >= 3:
                parts.append(rf"(?<!\w){re.escape(needle)}(?!\w)")
        if self.trn and len(self.trn) >= 3:
            parts.append(rf"(?<!\d){re.escape(self.trn)}(?!\d)")
        digits = self.phone_digits
        if len(digits) >= 6:
            parts.append(r"(?<!\d)" + r"[\s\-().]{0,2}".join(digits) + r"(?!\d)")
        if not parts:
            return None
        # Longest first, so a full name is taken before any shorter name inside it.
        parts.sort(key=len, reverse=True)
        return re.compile("|".join(parts), re.IGNORECASE)

    def redact(self, value: Any) -> Any:
        """``value`` with every identifier of the person replaced by ``[redacted]`` (strings,
        and the strings inside lists and dicts)."""
        pattern = self.pattern()
        return _redact(value, pattern) if pattern is not None else value


def _redact(value: Any, pattern: re.Pattern) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, dict):
        return {_redact(k, pattern): _redact(v, pattern) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v, pattern) for v in value]
    return value


# Text columns erasure searches: every CharField, TextField and JSONField of a declared model,
# except choices, keys and secrets (random strings that could match a number by chance).
SECRET_CATEGORIES = {
    "credential or security data",
    "online identifier (IP address, browser, session)",
}


def free_text_fields(declaration: Declaration) -> list[models.Field]:
    model = declaration.model
    out: list[models.Field] = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField | models.JSONField):
            continue
        if f.primary_key or getattr(f, "choices", None):
            continue
        if str(declaration.personal.get(f.name, "")) in SECRET_CATEGORIES:
            continue
        out.append(f)
    return out


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
    # Text fields erasure leaves as they are when they name the person, with the reason
    # (a frozen, signed record): field -> reason, or callable(obj) -> reason or None.
    keep_text: dict[str, Any] = field(default_factory=dict)
    # Fields that hold someone else's data (the person a complaint is about): left out of
    # the subject's access export.
    third_party: tuple[str, ...] = ()

    # -- model ------------------------------------------------------------------------------
    @property
    def model(self) -> type[models.Model]:
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
    def export_row(self, obj: models.Model, person: Person | None = None) -> dict[str, Any]:
        """One row of the access export. With ``person``, only their data: links to other
        people's accounts, declared third-party fields and other people's email addresses are
        left out (``[another person]``)."""
        if self.export is not None:
            row = self.export(obj)
        else:
            row = {"id": obj.pk}
            for name in [*self.personal, *self.export_extra]:
                row[name] = _plain(obj, name)
        if person is None:
            return row
        # Who else this row names: its third-party fields and the other accounts it links
        # to. Their values are left out, and so are their names where the text repeats them.
        others: set[str] = set()
        for name in self.third_party:
            value = getattr(obj, name, None)
            if isinstance(value, str) and value.strip():
                others.add(value.strip())
            if name in row and row[name] not in (None, "", []):
                row[name] = ANOTHER_PERSON
        if self.export is None:
            for name in self.personal:
                other = _other_people(obj, name, person, others)
                if other is not None:
                    row[name] = other
        row = _without_other_emails(row, person)
        others = {o for o in others if len(o) >= 3 and o.lower() not in _own_names(person)}
        if others:
            pattern = re.compile(
                "|".join(rf"(?<!\w){re.escape(o)}(?!\w)" for o in sorted(others, key=len)[::-1]),
                re.IGNORECASE,
            )
            row = _replace(row, pattern, ANOTHER_PERSON)
        return row

    def keep_text_reason(self, obj: models.Model, name: str) -> str | None:
        reason = self.keep_text.get(name)
        return reason(obj) if callable(reason) else reason

    # -- erasure ----------------------------------------------------------------------------
    def replacement(self, obj: models.Model, name: str) -> Any:
        if name in self.anonymise:
            value = self.anonymise[name]
            return value(obj) if callable(value) else value
        f: Any = obj._meta.get_field(name)
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
            f: Any = obj._meta.get_field(name)
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
            f: Any = obj._meta.get_field(name)
            setattr(
                obj, f.attname if f.is_relation else name, _fk_value(self.replacement(obj, name))
            )
        obj.save(update_fields=[obj._meta.get_field(n).name for n in names])
        for name in self.personal:
            if obj._meta.get_field(name).many_to_many:
                getattr(obj, name).clear()


ANOTHER_PERSON = "[another person]"
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _is_user_relation(f: Any) -> bool:
    return bool(f.is_relation and f.related_model) and (
        f.related_model._meta.label == settings.AUTH_USER_MODEL
    )


def _own_names(person: Person) -> set[str]:
    return {n.lower() for n in (*person.names, person.email) if n}


def _identifies(user: Any) -> set[str]:
    return {v for v in (str(user), user.email, getattr(user, "full_name", "")) if v}


def _other_people(obj: models.Model, name: str, person: Person, others: set[str]) -> Any:
    """For a field linking to user accounts: the export value with other people's accounts
    replaced by ``[another person]`` (their names added to ``others``); None when the field
    is not such a link."""
    try:
        f: Any = obj._meta.get_field(name)
    except Exception:
        return None
    if not _is_user_relation(f):
        return None
    own = getattr(person.user, "pk", None)
    if f.many_to_many:
        out = []
        for u in getattr(obj, name).all():
            if u.pk == own:
                out.append(str(u))
            else:
                others.update(_identifies(u))
                out.append(ANOTHER_PERSON)
        return out
    pk = getattr(obj, f.attname)
    if pk is None:
        return None
    if pk == own:
        return str(getattr(obj, name))
    others.update(_identifies(getattr(obj, name)))
    return ANOTHER_PERSON


def _replace(value: Any, pattern: re.Pattern, by: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(by, value)
    if isinstance(value, dict):
        return {k: _replace(v, pattern, by) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replace(v, pattern, by) for v in value]
    return value


def _without_other_emails(value: Any, person: Person) -> Any:
    own = (person.email or "").lower()
    if isinstance(value, str):
        return EMAIL_RE.sub(
            lambda m: m.group(0) if m.group(0).lower() == own else ANOTHER_PERSON, value
        )
    if isinstance(value, dict):
        return {k: _without_other_emails(v, person) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_other_emails(v, person) for v in value]
    return value


def _fk_value(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _plain(obj: models.Model, name: str) -> Any:
    """A JSON-friendly value of a field (or attribute path ``a__b``)."""
    value: Any = obj
    for part in name.split("__"):
        if value is None:
            return None
        try:
            f: Any = value._meta.get_field(part) if isinstance(value, models.Model) else None
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


#: The modules :func:`discover` imports in each installed app: ``personal_data``, and for
#: hubops (whose ``personal_data`` is this API) ``personal_data_declarations``.
DECLARATION_MODULES = ("personal_data", "personal_data_declarations")
_discovered = False


def discover() -> None:
    global _discovered
    if _discovered:
        return
    autodiscover_modules(*DECLARATION_MODULES)
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


# Who has seen a record ----------------------------------------------------------------------------


def record_view(actor: Any, obj: models.Model, *, exported: bool = False) -> None:
    """Audit that ``actor`` saw (or exported) one person's full record; staff see the list
    with :func:`views_of`. Call it from the view that shows or exports the record."""
    from .audit import record  # noqa: PLC0415 (audit loads the models; this module must not)

    verb = "exported" if exported else "viewed"
    record(actor, obj, f"{obj._meta.label_lower}.{verb}")


def views_of(obj: models.Model) -> models.QuerySet:
    """Who has seen or exported this record, newest first."""
    from .models import AuditEvent  # noqa: PLC0415 (as above)

    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action__regex=r"\.(viewed|exported|downloaded)$",
    ).order_by("-at", "-pk")


__all__ = [
    "ANOTHER_PERSON",
    "ERASED",
    "REDACTED",
    "Category",
    "Declaration",
    "Erase",
    "Person",
    "Retention",
    "classifiable_fields",
    "declarable_models",
    "declaration_for",
    "discover",
    "exclude_restricted",
    "free_text_fields",
    "is_restricted",
    "personal_models",
    "record_disclosure",
    "record_view",
    "register",
    "registry",
    "restricted_emails",
    "restricted_user_ids",
    "set_disclosure_recorder",
    "set_restriction_provider",
    "unclassified_fields",
    "views_of",
]
