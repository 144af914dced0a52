"""Personal data held by Work Groups, for the privacy registry (``hubops.personal_data``).

Registrations are anonymised, not deleted, on erasure so that places, attendance counts,
participation returns and Teaching for Mastery reach stay right. Kept for the programme's
lifetime plus six months (the privacy notice)."""

from __future__ import annotations

from hubops.personal_data import Category, Erase, Retention, register

from .models import WorkGroup

C = Category
TS = ["created_at", "updated_at"]


def _led_groups(person):
    if person.user is None:
        return WorkGroup.objects.none()
    return WorkGroup.objects.filter(leads=person.user)


for label in ("workgroups.Project", "workgroups.Session", "workgroups.ReachTarget"):
    register(label, not_personal="__all__")

register(
    "workgroups.WorkGroup",
    personal={"leads": C.IDENTIFIER},
    not_personal=[
        "code",
        "title",
        "description",
        "project",
        "phases",
        "audience",
        "format",
        "venue",
        "capacity_schools",
        "places_per_school",
        "recruitment",
        "allowed_la_codes",
        "prerequisite_project",
        "prerequisite_stage",
        "needs_approval",
        "registration_opens_on",
        "registration_closes_on",
        "status",
        "flyer",
        "completion_min_sessions",
        *TS,
    ],
    find=lambda person: _led_groups(person),
    export=lambda g: {"led_work_group": g.code, "title": g.title},
    erase=Erase.KEEP,
    keep_reason="A Work Group is the hub's record; the lead's account link goes when the "
    "account is erased.",
    retention=Retention.keep("Kept while the hub reports on the group."),
)

register(
    "workgroups.Registration",
    personal={
        "user": C.IDENTIFIER,
        "full_name": C.NAME,
        "email": C.EMAIL,
        "trn": C.TRN,
        "school": C.SCHOOL,
        "role_at_school": C.ROLE,
        "decline_reason": C.FREE_TEXT,
    },
    not_personal=[
        "reference",
        "work_group",
        "status",
        "privacy_notice_version",
        "decided_at",
        "offer_expires_on",
        "submission_key",
        "offer_accept_key",
        *TS,
    ],
    user_field="user",
    email_field="email",
    export_extra=("reference", "work_group", "status"),
    erase=Erase.ANONYMISE,
    anonymise={
        "user": None,
        "full_name": "[erased]",
        "email": "",
        "trn": "",
        "role_at_school": "[erased]",
        "decline_reason": "",
    },
    retention=Retention.programme("created_at"),
)

register(
    "workgroups.Attendance",
    personal={"registration": C.PARTICIPATION, "status": C.PARTICIPATION},
    not_personal=["session", "marked_at"],
    user_field="registration__user",
    email_field="registration__email",
    erase=Erase.KEEP,
    keep_reason="Attendance stays, linked only to the anonymised registration, so figures "
    "stay right.",
    retention=Retention.programme("marked_at"),
)

register(
    "workgroups.Invitation",
    personal={"email": C.EMAIL, "invited_by": C.IDENTIFIER},
    not_personal=["work_group", "kind", "school", "token", *TS],
    user_field="invited_by",
    email_field="email",
    erase=Erase.DELETE,
    retention=Retention.programme("created_at"),
)

register(
    "workgroups.ParticipantEvaluation",
    personal={"registration": C.IDENTIFIER, "comments": C.FREE_TEXT},
    not_personal=[
        "professional_learning",
        "practice_development",
        "whole_school",
        "pupil_outcomes",
        *TS,
    ],
    user_field="registration__user",
    email_field="registration__email",
    erase=Erase.ANONYMISE,
    anonymise={"comments": ""},
    retention=Retention.programme("created_at"),
)

register(
    "workgroups.LeadReport",
    personal={"submitted_by": C.IDENTIFIER},
    not_personal=[
        "work_group",
        "status",
        "submitted_at",
        *TS,
        *[
            f"{o}_{p}"
            for o in (
                "professional_learning",
                "practice_development",
                "whole_school",
                "pupil_outcomes",
            )
            for p in ("evidence", "impact", "next_steps")
        ],
    ],
    user_field="submitted_by",
    erase=Erase.ANONYMISE,
    anonymise={"submitted_by": None},
    retention=Retention.keep("The hub's evaluation record, reported to the NCETM."),
)

register(
    "workgroups.ParticipationExport",
    personal={"actor": C.IDENTIFIER},
    not_personal=["at", "file_format", "people_count", "row_count"],
    user_field="actor",
    erase=Erase.ANONYMISE,
    anonymise={"actor": None},
    retention=Retention.after("at", 72, "Six years: the record of disclosures."),
)

register(
    "workgroups.Certificate",
    personal={"registration": C.IDENTIFIER, "file": C.PARTICIPATION},
    not_personal=["code", "issued_on", "sha256", "created_at"],
    user_field="registration__user",
    email_field="registration__email",
    export=lambda c: {
        "certificate_code": c.code,
        "work_group": c.registration.work_group.code,
        "issued_on": c.issued_on,
        "sha256": c.sha256,
    },
    erase=Erase.DELETE,
    description="The certificate of participation, as issued (the PDF names the person and "
    "their school).",
    retention=Retention.programme("created_at"),
)
