"""Every stateful record's rules as one kind of table: a :class:`Machine` of :class:`Move` s.

A move names where it may start (``sources``), where it ends (``target``), who may make it
(``roles``: the actor names the app gives its people, e.g. ``{"mhl"}``; empty means anyone the
page lets in) and the ``guards`` that must hold (each returns a reason a person can read, or
``None``). The machine answers two questions the same way for the service and for the page:

- ``MACHINE.check(name, status, roles=..., subject=...)`` returns the move or raises
  :class:`IllegalMove` with every reason it is refused;
- ``MACHINE.available(status, roles=..., subject=...)`` lists the moves to offer as buttons.

A service that changes a status follows one shape (``<entity>_<verb>(*, id, actor, today)``):
lock the row, ``MACHINE.check``, change the fields, ``save(update_fields=...)``, write the audit
event, and put side effects (mail, tasks) on commit. :func:`transition` is that shape for the
common case. Pure: no ORM import here, so the tables are testable without a database.

Every refusal the rules make is a :class:`DomainError` (its message is shown to the person as
it is); apps subclass it for their own refusals, so one ``except DomainError`` catches them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: A guard looks at the subject (the record, or facts gathered about it) and returns why the
#: move cannot be made now, or ``None`` when it can.
Guard = Callable[[Any], "str | None"]


class DomainError(Exception):
    """A request the rules refuse; the message is for the person who tried it, as it is."""

    def __init__(self, message: str = "", *, reasons: Iterable[str] = ()):
        self.reasons = [r for r in reasons if r] or ([message] if message else [])
        super().__init__(message or " ".join(self.reasons))


class IllegalMove(DomainError):
    """The move is not in the machine from this status, not for this person, or a guard fails."""


class NotEligible(DomainError):
    """The person or record does not meet a rule (the reasons say which)."""


@dataclass(frozen=True)
class Move:
    name: str
    sources: frozenset[str]
    target: str
    label: str
    roles: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()
    #: The person must give a reason or comment (it is mailed or recorded).
    needs_comment: bool = False
    #: The page asks "Are you sure?" before the move (cancel, withdraw, erase).
    confirm: bool = False

    def allows(self, roles: Iterable[str] | None) -> bool:
        return not self.roles or roles is None or not self.roles.isdisjoint(roles)


def move(
    name: str,
    sources: str | Iterable[str],
    target: str,
    label: str = "",
    *,
    roles: str | Iterable[str] = (),
    guards: Iterable[Guard] = (),
    needs_comment: bool = False,
    confirm: bool = False,
) -> Move:
    """Build a :class:`Move`; ``sources`` and ``roles`` may be one name or several."""
    as_set = lambda v: frozenset({v}) if isinstance(v, str) else frozenset(v)  # noqa: E731
    return Move(
        name=name,
        sources=as_set(sources),
        target=target,
        label=label or name.replace("_", " ").capitalize(),
        roles=as_set(roles),
        guards=tuple(guards),
        needs_comment=needs_comment,
        confirm=confirm,
    )


@dataclass
class Machine:
    """The moves of one kind of record. ``noun`` is how a person names it ("complaint"),
    ``labels`` the status labels, ``who`` how to name each role in a refusal."""

    noun: str
    moves: tuple[Move, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    who: Mapping[str, str] = field(default_factory=dict)
    #: What a refusal raises: an app passes its own subclass of :class:`IllegalMove` (which
    #: also subclasses the app's error, so the app's ``except`` catches it).
    error: type[IllegalMove] = IllegalMove

    def __post_init__(self) -> None:
        names = [m.name for m in self.moves]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"{self.noun}: moves named twice: {sorted(duplicates)}")
        self._by_name = {m.name: m for m in self.moves}

    # -- reading the table -------------------------------------------------------------------

    def get(self, name: str) -> Move:
        try:
            return self._by_name[name]
        except KeyError:
            raise self.error(f"That is not something you can do to a {self.noun}.") from None

    def label(self, status: str) -> str:
        return str(self.labels.get(status, status))

    def targets(self, status: str) -> set[str]:
        """Every status reachable from ``status`` in one move, whoever makes it."""
        return {m.target for m in self.moves if status in m.sources}

    def statuses(self) -> set[str]:
        found: set[str] = set(self.labels)
        for m in self.moves:
            found |= m.sources | {m.target}
        return found

    def final(self, status: str) -> bool:
        return not self.targets(status)

    # -- the two questions -------------------------------------------------------------------

    def reasons(
        self, name: str, status: str, *, roles: Iterable[str] | None = None, subject: Any = None
    ) -> list[str]:
        """Why ``name`` cannot be made from ``status`` now (empty: it can)."""
        step = self.get(name)
        if status not in step.sources:
            return [
                f"This {self.noun} is {self.label(status).lower()}: "
                f"'{step.label}' is not possible now."
            ]
        if not step.allows(roles):
            names = sorted(self.who.get(r, r) for r in step.roles)
            return [f"Only {' or '.join(names)} can {step.label[:1].lower()}{step.label[1:]}."]
        found = [guard(subject) for guard in step.guards]
        return [reason for reason in found if reason]

    def check(
        self, name: str, status: str, *, roles: Iterable[str] | None = None, subject: Any = None
    ) -> Move:
        """The move, or :class:`IllegalMove` carrying every reason it is refused.

        ``roles=None`` skips the role check (the system, or a page that already gated)."""
        reasons = self.reasons(name, status, roles=roles, subject=subject)
        if reasons:
            raise self.error(" ".join(reasons), reasons=reasons)
        return self._by_name[name]

    def check_target(
        self, status: str, target: str, *, roles: Iterable[str] | None = None, subject: Any = None
    ) -> Move:
        """The first move from ``status`` to ``target`` that may be made, for services whose
        callers name where the record should end up rather than the move."""
        candidates = [m for m in self.moves if status in m.sources and m.target == target]
        if not candidates:
            raise self.error(
                f"A {self.noun} that is {self.label(status).lower()} cannot become "
                f"{self.label(target).lower()}."
            )
        first_reasons: list[str] = []
        for candidate in candidates:
            reasons = self.reasons(candidate.name, status, roles=roles, subject=subject)
            if not reasons:
                return candidate
            first_reasons = first_reasons or reasons
        raise self.error(" ".join(first_reasons), reasons=first_reasons)

    def available(
        self, status: str, *, roles: Iterable[str] | None = None, subject: Any = None
    ) -> list[Move]:
        """The moves this person can make now, in the table's order (for the buttons)."""
        return [
            m
            for m in self.moves
            if status in m.sources
            and m.allows(roles)
            and not any(guard(subject) for guard in m.guards)
        ]

    def describe(self) -> list[tuple[str, str, str, str]]:
        """Rows of (from, move, to, who) for the design document and the admin's help."""
        order = {status: index for index, status in enumerate(self.labels)}
        rows = []
        for m in self.moves:
            who = ", ".join(sorted(self.who.get(r, r) for r in m.roles)) or "anyone allowed in"
            for source in sorted(m.sources, key=lambda s: (order.get(s, len(order)), s)):
                rows.append((self.label(source), m.label, self.label(m.target), who))
        return rows

    def markdown(self) -> str:
        """The table as docs/DESIGN.md prints it (``tests/hubops/test_design_doc.py`` keeps the
        two the same)."""
        lines = ["| from | move | to | who |", "| --- | --- | --- | --- |"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.describe()]
        return "\n".join(lines)


def transition(
    obj: Any,
    machine: Machine,
    name: str,
    *,
    actor: Any,
    action: str,
    roles: Iterable[str] | None = None,
    subject: Any = None,
    status_field: str = "status",
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> Move:
    """The common shape of a status change, on a row the caller has locked inside its
    transaction: check the move, set the status and ``changes``, save only those fields, audit
    ``action`` with ``data``, and run ``on_commit`` after the transaction commits."""
    from django.db import transaction  # noqa: PLC0415 (keeps the tables importable pure)

    from hubops import audit  # noqa: PLC0415 (audit loads the models; the tables must not)

    step = machine.check(
        name, getattr(obj, status_field), roles=roles, subject=obj if subject is None else subject
    )
    before = getattr(obj, status_field)
    setattr(obj, status_field, step.target)
    fields = [status_field]
    for key, value in (changes or {}).items():
        setattr(obj, key, value)
        fields.append(key)
    if hasattr(obj, "updated_at"):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    audit.record(actor, obj, action, data={"from": before, "to": step.target, **(data or {})})
    if on_commit is not None:
        transaction.on_commit(on_commit)
    return step
