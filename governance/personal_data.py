"""Personal data held by governance: every field of every model classified, how to find one
person's rows, export them, erase them (anonymising, so counts, capacity and attendance figures
stay right), and how long they are kept.

``hubops/personal_data.py`` (the registry API) did not exist when this was written, so this
module is plain data and functions; the privacy app's discovery can wrap them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from . import models as m

PERSONAL = "personal"
NOT_PERSONAL = "not personal"
ERASED = "[erased]"

# model -> {field: classification}; a test checks every concrete field is here.
FIELDS: dict[type, dict[str, str]] = {
    m.Appointment: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "person_name": PERSONAL,
        "email": PERSONAL,
        "user": PERSONAL,
        "role": PERSONAL,
        "role_title": PERSONAL,
        "group": NOT_PERSONAL,
        "days_per_week": PERSONAL,
        "starts_on": PERSONAL,
        "ends_on": PERSONAL,
        "job_description": NOT_PERSONAL,
        "line_manager": PERSONAL,
        "induction_status": PERSONAL,
        "contingency_cover": PERSONAL,
    },
    m.BoardMember: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "name": PERSONAL,
        "email": PERSONAL,
        "user": PERSONAL,
        "organisation": PERSONAL,
        "category": NOT_PERSONAL,
        "independent": PERSONAL,
        "is_chair": PERSONAL,
        "term_starts_on": PERSONAL,
        "term_ends_on": PERSONAL,
    },
    m.BoardInterest: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "member": PERSONAL,
        "declared_on": PERSONAL,
        "description": PERSONAL,
    },
    m.AgendaTemplate: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "term": NOT_PERSONAL,
        "items": NOT_PERSONAL,
    },
    m.BoardMeeting: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "academic_year": NOT_PERSONAL,
        "term": NOT_PERSONAL,
        "held_on": NOT_PERSONAL,
        "location": NOT_PERSONAL,
        "status": NOT_PERSONAL,
        "papers_due_on": NOT_PERSONAL,
        "papers_circulated_on": NOT_PERSONAL,
        "agenda": NOT_PERSONAL,
        "agenda_drafted_by": PERSONAL,
        "agenda_drafted_at": NOT_PERSONAL,
        "agenda_agreed_by": PERSONAL,
        "agenda_agreed_at": NOT_PERSONAL,
        # Minutes name attendees: a locked public-body record, kept whole (see RETENTION).
        "notes": PERSONAL,
        "notes_drafted_by": PERSONAL,
        "notes_drafted_at": NOT_PERSONAL,
        "notes_chair_agreed_by": PERSONAL,
        "notes_chair_agreed_at": NOT_PERSONAL,
        "notes_sll_agreed_by": PERSONAL,
        "notes_sll_agreed_at": NOT_PERSONAL,
        "notes_pdf": PERSONAL,
        "notes_sha256": NOT_PERSONAL,
        "quorate": NOT_PERSONAL,
    },
    m.BoardPaper: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "meeting": NOT_PERSONAL,
        "title": NOT_PERSONAL,
        "document": NOT_PERSONAL,
    },
    m.BoardAttendance: {
        "id": NOT_PERSONAL,
        "meeting": NOT_PERSONAL,
        "member": PERSONAL,
        "present": PERSONAL,
        "apologies": PERSONAL,
    },
    m.BoardAction: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "meeting": NOT_PERSONAL,
        "description": NOT_PERSONAL,
        "owner_name": PERSONAL,
        "owner": PERSONAL,
        "due_on": NOT_PERSONAL,
        "done_on": NOT_PERSONAL,
    },
    m.LocalLeader: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "name": PERSONAL,
        "email": PERSONAL,
        "user": PERSONAL,
        "school": PERSONAL,
        "is_work_group_lead": PERSONAL,
        "is_cohort_lead": PERSONAL,
        "is_community_lead": PERSONAL,
    },
    m.CompletedProgramme: {
        "id": NOT_PERSONAL,
        "leader": PERSONAL,
        "programme": PERSONAL,
        "completed_on": PERSONAL,
    },
    m.ServiceLevelAgreement: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "leader": PERSONAL,
        "starts_on": PERSONAL,
        "ends_on": PERSONAL,
        "deliverables": PERSONAL,
        "release_days": PERSONAL,
        "payment": PERSONAL,
        "hub_signed_on": PERSONAL,
        "leader_signed_on": PERSONAL,
        "terminated_on": PERSONAL,
    },
    m.AnnualPlan: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "academic_year": NOT_PERSONAL,
    },
    m.AnnualPlanVersion: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "plan": NOT_PERSONAL,
        "review_point": NOT_PERSONAL,
        "agreed_on": NOT_PERSONAL,
        "document": NOT_PERSONAL,
        "summary": NOT_PERSONAL,
    },
    m.GroupPlan: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "academic_year": NOT_PERSONAL,
        "kind": NOT_PERSONAL,
        "title": NOT_PERSONAL,
        "leader": PERSONAL,
        "document": NOT_PERSONAL,
        "uploaded_to_mhpod_on": NOT_PERSONAL,
    },
    m.GrantYear: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "academic_year": NOT_PERSONAL,
        "amount": NOT_PERSONAL,
        "risk": NOT_PERSONAL,
        "contingency": NOT_PERSONAL,
        "external_audit_on": NOT_PERSONAL,
    },
    m.BudgetLine: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "grant": NOT_PERSONAL,
        "kind": NOT_PERSONAL,
        "title": NOT_PERSONAL,
        "budget": NOT_PERSONAL,
    },
    m.QuarterFigure: {
        "id": NOT_PERSONAL,
        "line": NOT_PERSONAL,
        "quarter": NOT_PERSONAL,
        "forecast": NOT_PERSONAL,
        "actual": NOT_PERSONAL,
    },
    m.Payment: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "grant": NOT_PERSONAL,
        "payee": PERSONAL,
        "agreement_reference": NOT_PERSONAL,
        "agreement_signed_on": NOT_PERSONAL,
        "sla": PERSONAL,
        "amount": NOT_PERSONAL,
        "paid_on": NOT_PERSONAL,
    },
    m.ChecklistEntry: {
        "id": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "academic_year": NOT_PERSONAL,
        "objective": NOT_PERSONAL,
        "status": NOT_PERSONAL,
        "evidence": NOT_PERSONAL,
        "updated_by": PERSONAL,
    },
}

RETENTION = {
    "appointments, board members, interests, LLME, SLAs, payments": (
        "Six years after the end of the appointment, term or agreement (the grant's audit "
        "window), then erased with erase_person."
    ),
    "board meeting notes": (
        "Agreed notes are a locked governance record, kept for the life of the hub; people "
        "named in them are not removed from the signed PDF (its SHA-256 must stay valid)."
    ),
    "public /board/ page": "Shows members serving now or in the past twelve months only.",
}


def _person_q(user=None, email: str = "", user_field: str = "user", email_field: str = "email"):
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(**{user_field: user})
    if email:
        q |= Q(**{f"{email_field}__iexact": email})
    return q


def rows_for(*, user=None, email: str = "") -> dict[str, list[Any]]:
    """One person's rows, found by their user account and/or email address."""
    appointments = list(m.Appointment.objects.filter(_person_q(user, email)))
    members = list(m.BoardMember.objects.filter(_person_q(user, email)))
    leaders = list(m.LocalLeader.objects.filter(_person_q(user, email)))
    return {
        "appointments": appointments,
        "board_members": members,
        "interests": list(m.BoardInterest.objects.filter(member__in=members)),
        "attendance": list(m.BoardAttendance.objects.filter(member__in=members)),
        "local_leaders": leaders,
        "programmes": list(m.CompletedProgramme.objects.filter(leader__in=leaders)),
        "slas": list(m.ServiceLevelAgreement.objects.filter(leader__in=leaders)),
        "actions": list(m.BoardAction.objects.filter(owner=user)) if user else [],
    }


def export_person(*, user=None, email: str = "") -> dict[str, list[dict[str, Any]]]:
    """Everything governance holds about one person, as JSON-ready dicts."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key, rows in rows_for(user=user, email=email).items():
        out[key] = [
            {
                f: str(getattr(row, f + "_id", getattr(row, f, "")))
                for f, kind in FIELDS[type(row)].items()
                if kind == PERSONAL or f == "id"
            }
            for row in rows
        ]
    return out


@transaction.atomic
def erase_person(*, user=None, email: str = "") -> int:
    """Anonymise one person's rows; role, days, attendance and money figures stay so that
    capacity, quorum and spending totals are still right. Returns rows changed."""
    rows = rows_for(user=user, email=email)
    changed = 0
    for a in rows["appointments"]:
        m.Appointment.objects.filter(pk=a.pk).update(
            person_name=ERASED, email="", user=None, contingency_cover=""
        )
        changed += 1
    names = [b.name for b in rows["board_members"]] + [x.name for x in rows["local_leaders"]]
    for b in rows["board_members"]:
        m.BoardMember.objects.filter(pk=b.pk).update(name=ERASED, email="", user=None)
        changed += 1
    changed += m.BoardInterest.objects.filter(pk__in=[i.pk for i in rows["interests"]]).update(
        description=ERASED
    )
    for x in rows["local_leaders"]:
        m.LocalLeader.objects.filter(pk=x.pk).update(name=ERASED, email="", user=None)
        changed += 1
    if names:
        changed += m.Payment.objects.filter(payee__in=names).update(payee=ERASED)
        changed += m.BoardAction.objects.filter(owner_name__in=names).update(owner_name=ERASED)
    if user is not None:
        changed += m.BoardAction.objects.filter(owner=user).update(owner=None, owner_name=ERASED)
        for field in (
            "agenda_drafted_by",
            "agenda_agreed_by",
            "notes_drafted_by",
            "notes_chair_agreed_by",
            "notes_sll_agreed_by",
        ):
            changed += m.BoardMeeting.objects.filter(**{field: user}).update(**{field: None})
        changed += m.ChecklistEntry.objects.filter(updated_by=user).update(updated_by=None)
    return changed
