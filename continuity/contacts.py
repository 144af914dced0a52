"""The key contacts for a bad day: who to call when hubops is down.

Read from every app's models (continuity sits above them all) into plain rows, so the file can
be rendered as one self-contained HTML page that prints on A4 and opens in any browser. The
file holds personal data: it is only ever written encrypted (:mod:`continuity.crypto`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from governance import selectors as governance_selectors
from hubops.models import Hub, User
from hubops.roles import Role
from workgroups import selectors as workgroup_selectors
from workgroups.models import GroupStatus, Registration, Session


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def _s(value) -> str:
    return "" if value is None else str(value)


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%a %-d %b %Y %H:%M")


def gather(now: dt.datetime) -> list[Table]:
    today = now.date()
    hub = Hub.current()
    tables = []

    outside = Table(
        "Outside the hub",
        ["Who", "Why", "Contact"],
        [
            [
                "DfE (data controller)",
                "Tell them of any breach the same day",
                getattr(settings, "HUBOPS_DFE_CONTACT_EMAIL", ""),
            ],
            [
                "Information Commissioner's Office",
                "Breach report within 72 hours",
                "ico.org.uk; 0303 123 1113",
            ],
            ["Action Fraud / NCSC", "Cyber crime", "0300 123 2040; report.ncsc.gov.uk"],
        ],
    )
    if hub:
        outside.rows.insert(0, [hub.name, "The hub", f"{hub.email} {hub.phone}".strip()])
    tables.append(outside)

    role_names = [r.value for r in Role]
    staff = (
        User.objects.filter(is_active=True)
        .filter(groups__name__in=role_names)
        .distinct()
        .prefetch_related("groups")
        .order_by("full_name", "email")
    )
    tables.append(
        Table(
            "Staff and their roles",
            ["Name", "Roles", "Email", "Phone"],
            [
                [u.full_name, ", ".join(sorted(g.name for g in u.groups.all())), u.email, u.phone]
                for u in staff
            ],
        )
    )
    team = governance_selectors.current_appointments(today)
    tables.append(
        Table(
            "Leadership and management team (current appointments)",
            ["Name", "Role", "Email", "Who covers"],
            [
                [a.person_name, a.role_title or a.get_role_display(), a.email, a.contingency_cover]
                for a in team
            ],
        )
    )
    leaders = governance_selectors.local_leaders()
    tables.append(
        Table(
            "Local leaders (LLME) and Work Group Leads",
            ["Name", "Email", "Phone", "School"],
            [
                [
                    ll.name,
                    ll.email or (ll.user.email if ll.user else ""),
                    ll.user.phone if ll.user else "",
                    ll.school.name if ll.school else "",
                ]
                for ll in leaders
            ],
        )
    )

    groups = workgroup_selectors.running_groups_with_people(now)
    sessions = Table(
        "Running Work Groups and their next sessions",
        ["Work Group", "Next session", "Where", "Leads"],
    )
    participants = Table(
        "Participants of running Work Groups",
        ["Work Group", "Name", "Email", "Phone", "School (URN)", "Role"],
    )
    schools: dict[int, list] = {}
    for group in groups:
        # Lists made by the prefetches above (to_attr).
        next_sessions = cast("list[Session]", group.upcoming)
        holding = cast("list[Registration]", group.places)
        if not next_sessions and group.status != GroupStatus.RUNNING:
            continue
        nxt = next_sessions[0] if next_sessions else None
        sessions.rows.append(
            [
                f"{group.code} {group.title}",
                _local(nxt.starts_at) if nxt else "No session booked",
                (nxt.venue or nxt.online_link or group.venue) if nxt else group.venue,
                "; ".join(f"{u.full_name} {u.email} {u.phone}".strip() for u in group.leads.all()),
            ]
        )
        for r in holding:
            phone = r.user.phone if r.user else ""
            participants.rows.append(
                [
                    group.code,
                    r.full_name,
                    r.email,
                    phone,
                    f"{r.school.name} ({r.school.urn})",
                    r.role_at_school,
                ]
            )
            row = schools.setdefault(
                r.school.urn, [r.school.name, _s(r.school.urn), r.school.town, []]
            )
            row[3].append(f"{r.full_name} <{r.email}>" if r.email else r.full_name)
    tables.append(sessions)
    tables.append(participants)
    tables.append(
        Table(
            "Schools' contacts (schools with a place in a running Work Group)",
            ["School", "URN", "Town", "Contacts"],
            [[n, u, t, "; ".join(sorted(set(c)))] for n, u, t, c in sorted(schools.values())],
        )
    )
    return tables


def render(tables: list[Table], *, now: dt.datetime) -> bytes:
    return render_to_string(
        "continuity/key_contacts.html",
        {"tables": tables, "made_at": _local(now), "hub": Hub.current()},
    ).encode("utf-8")
