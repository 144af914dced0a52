"""Writes for Work Groups. Every state change locks its row, checks the move, saves with
``update_fields``, records an audit event and queues email on commit."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hubops import audit, exports
from hubops.emails import attachment, queue_email
from hubops.formats import format_date
from hubops.models import School
from hubops.personal_data import record_disclosure
from hubops.roles import Role, users_with_role
from hubops.selectors import school_calendar
from hubops.workflow import transition

from . import ics, selectors, workflow
from .models import (
    PLACE_HOLDING,
    Attendance,
    AttendanceStatus,
    GroupStatus,
    Invitation,
    InvitationKind,
    LeadReport,
    ParticipantEvaluation,
    ParticipationExport,
    Registration,
    RegStatus,
    ReportStatus,
    Session,
    WorkGroup,
)
from .workflow import IllegalMove, NotEligible, WorkGroupError

OFFER_WORKING_DAYS = 5
MIN_SESSIONS, MAX_SESSIONS = workflow.MIN_SESSIONS, workflow.MAX_SESSIONS

__all__ = ["IllegalMove", "NotEligible", "WorkGroupError"]


def _changed() -> None:
    transaction.on_commit(selectors.bump_catalogue_version)


def _reg_context(reg: Registration) -> dict:
    return {
        "reference": reg.reference,
        "full_name": reg.full_name,
        "group_code": reg.work_group.code,
        "group_title": reg.work_group.title,
        "school_name": reg.school.name,
        "status": reg.get_status_display(),
        "offer_expires_on": reg.offer_expires_on.isoformat() if reg.offer_expires_on else "",
        "decline_reason": reg.decline_reason,
    }


def _email_reg(reg: Registration, prefix: str) -> None:
    if reg.email:
        queue_email(
            to=[reg.email],
            template_prefix=f"workgroups/email/{prefix}",
            context=_reg_context(reg),
        )


def current_privacy_version() -> str:
    try:
        notice_model = apps.get_model("privacy", "PrivacyNotice")
    except LookupError:
        return ""
    notice = notice_model.objects.filter(published_on__lte=timezone.localdate()).first()
    return str(notice.version) if notice else ""


# -- registration -------------------------------------------------------------------------------


def _place_status(group: WorkGroup, school: School) -> str:
    """With the group locked: the status a new registration from ``school`` takes. A colleague
    joins the school's place (or its place on the waiting list); a new school takes a free
    place, or joins the waiting list."""
    school_regs = list(
        Registration.objects.filter(
            work_group=group, school=school, status__in=[*PLACE_HOLDING, RegStatus.WAITING]
        ).values_list("status", flat=True)
    )
    if school_regs:
        status = school_regs[0]
        if status == RegStatus.COMPLETED:
            return RegStatus.CONFIRMED
        if status == RegStatus.OFFERED:
            return RegStatus.WAITING
        return status
    if selectors.schools_holding(group.pk) < group.capacity_schools:
        return RegStatus.PENDING if group.needs_approval else RegStatus.CONFIRMED
    return RegStatus.WAITING


def _save_new(reg: Registration, actor, **data) -> Registration:
    reg.full_clean()
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:
        raise NotEligible(["You have already registered for this Work Group."]) from exc
    audit.record(actor, reg, "workgroups.registration.created", data={"status": reg.status, **data})
    _changed()
    return reg


@transaction.atomic
def registration_create(
    *,
    group_id: int,
    user,
    school_id: int,
    role_at_school: str,
    today: date,
    privacy_notice_version: str = "",
    submission_key: str | None = None,
) -> Registration:
    """Register ``user`` from ``school``. Capacity is counted in schools and is checked with the
    group's row locked, so concurrent registrations for the last place cannot both get it: the
    second school joins the waiting list. ``submission_key`` is the check page's one-time key
    (``hubops.idempotency``), stored unique on the registration."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    school = School.objects.get(pk=school_id)
    facts = selectors.eligibility_facts(group, email=user.email, user_id=user.pk, school=school)
    reasons = workflow.eligibility(facts, today)
    if reasons:
        raise NotEligible(reasons)
    reg = Registration(
        work_group=group,
        user=user,
        full_name=user.full_name or user.email,
        email=user.email,
        trn=user.trn,
        school=school,
        role_at_school=role_at_school.strip(),
        status=_place_status(group, school),
        privacy_notice_version=privacy_notice_version,
        submission_key=submission_key or None,
    )
    _save_new(reg, user)
    _email_reg(reg, "registration_received")
    return reg


def _already_registered(group: WorkGroup, school: School, full_name: str, email: str, trn: str):
    """A participant of ``group`` holding a place who is this person: the same email, the same
    TRN, or the same name at the same school."""
    same = Q(school=school, full_name__iexact=full_name)
    if email:
        same |= Q(email__iexact=email)
    if trn:
        same |= Q(trn=trn)
    return group.registrations.filter(same, status__in=PLACE_HOLDING).exists()


@transaction.atomic
def registration_add(
    *,
    group_id: int,
    actor,
    school_id: int,
    full_name: str,
    email: str = "",
    role_at_school: str = "Teacher",
    trn: str = "",
    source: str = "staff",
) -> Registration:
    """Hub staff record a participant who took part (the participation import): a confirmed
    place, within the group's schools and the school's places, never the same person twice.
    No mail: the person registered elsewhere."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    school = School.objects.get(pk=school_id)
    full_name, email = full_name.strip(), email.strip().lower()
    if _already_registered(group, school, full_name, email, trn):
        raise NotEligible([f"{full_name} is already registered for {group.code}"])
    holding = Registration.objects.filter(
        work_group=group, school=school, status__in=PLACE_HOLDING
    ).count()
    if holding >= group.places_per_school:
        raise NotEligible(
            [f"{school.name} already has its {group.places_per_school} places in {group.code}"]
        )
    if not holding and selectors.schools_holding(group.pk) >= group.capacity_schools:
        raise NotEligible([f"{group.code} already has its {group.capacity_schools} schools"])
    reg = Registration(
        work_group=group,
        school=school,
        full_name=full_name,
        email=email,
        role_at_school=role_at_school.strip() or "Teacher",
        trn=trn,
        status=RegStatus.CONFIRMED,
    )
    return _save_new(reg, actor, source=source)


def _lock_reg(registration_id: int) -> tuple[WorkGroup, Registration]:
    group_id = Registration.objects.values_list("work_group_id", flat=True).get(pk=registration_id)
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    reg = Registration.objects.select_for_update().select_related("school").get(pk=registration_id)
    reg.work_group = group
    return group, reg


def _move(reg: Registration, name: str, actor, action: str, *, subject=None, **changes) -> None:
    """A registration move through :data:`workflow.REGISTRATION`, on a locked row."""
    transition(
        reg,
        workflow.REGISTRATION,
        name,
        actor=actor,
        action=action,
        subject=subject,
        changes=changes,
    )
    _changed()


def _school_still_holds(group: WorkGroup, school_id: int) -> bool:
    return Registration.objects.filter(
        work_group=group, school_id=school_id, status__in=PLACE_HOLDING
    ).exists()


def _offer_next(group: WorkGroup, today: date) -> list[Registration]:
    """With the group locked: while a place is free, offer it to the next school on the
    waiting list (all its waiting people), with an expiry in working days."""
    offered: list[Registration] = []
    while selectors.schools_holding(group.pk) < group.capacity_schools:
        first = (
            Registration.objects.filter(work_group=group, status=RegStatus.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if first is None:
            break
        expires = school_calendar().add_working_days(today, OFFER_WORKING_DAYS)
        for reg in Registration.objects.select_for_update().filter(
            work_group=group, school_id=first.school_id, status=RegStatus.WAITING
        ):
            reg.work_group = group
            _move(reg, "offer", None, "workgroups.registration.offered", offer_expires_on=expires)
            _email_reg(reg, "place_offered")
            offered.append(reg)
    return offered


def _after_place_freed(group: WorkGroup, reg: Registration, today: date) -> None:
    if not _school_still_holds(group, reg.school_id):
        _offer_next(group, today)


@transaction.atomic
def registration_withdraw(*, registration_id: int, actor, today: date) -> Registration:
    group, reg = _lock_reg(registration_id)
    if actor is not None and reg.user_id != actor.pk and not selectors.is_staff_manager(actor):
        raise WorkGroupError("You can only withdraw your own registrations.")
    _move(reg, "withdraw", actor, "workgroups.registration.withdrawn", offer_expires_on=None)
    _email_reg(reg, "registration_withdrawn")
    _after_place_freed(group, reg, today)
    return reg


@transaction.atomic
def registration_approve(*, registration_id: int, actor, today: date | None = None) -> Registration:
    group, reg = _lock_reg(registration_id)
    _move(reg, "approve", actor, "workgroups.registration.approved", decided_at=timezone.now())
    _email_reg(reg, "registration_approved")
    return reg


@transaction.atomic
def registration_decline(*, registration_id: int, actor, reason: str, today: date) -> Registration:
    if not reason.strip():
        raise WorkGroupError("Give a reason for declining: the teacher will see it.")
    group, reg = _lock_reg(registration_id)
    _move(
        reg,
        "decline",
        actor,
        "workgroups.registration.declined",
        decided_at=timezone.now(),
        decline_reason=reason.strip(),
        offer_expires_on=None,
    )
    _email_reg(reg, "registration_declined")
    _after_place_freed(group, reg, today)
    return reg


@transaction.atomic
def offer_accept(
    *, registration_id: int, actor, today: date, accept_key: str | None = None
) -> Registration:
    """Take up an offered place. ``accept_key`` is the button's one-time key, stored unique, so
    a second click is recognised as the same acceptance (``hubops.idempotency``)."""
    group, reg = _lock_reg(registration_id)
    if reg.user_id != actor.pk:
        raise WorkGroupError("You can only accept your own offers.")
    if reg.status != RegStatus.OFFERED:
        raise WorkGroupError("This offer is no longer open.")
    _move(
        reg,
        "accept_for_approval" if group.needs_approval else "accept",
        actor,
        "workgroups.registration.offer_accepted",
        subject=workflow.OfferFacts(expires_on=reg.offer_expires_on, today=today),
        offer_expires_on=None,
        offer_accept_key=accept_key or None,
    )
    _email_reg(reg, "registration_received")
    return reg


@transaction.atomic
def offer_lapse(*, registration_id: int, today: date) -> Registration | None:
    group, reg = _lock_reg(registration_id)
    facts = workflow.OfferFacts(expires_on=reg.offer_expires_on, today=today)
    if workflow.REGISTRATION.reasons("lapse", reg.status, subject=facts):
        return None
    _move(
        reg,
        "lapse",
        None,
        "workgroups.registration.offer_lapsed",
        subject=facts,
        decline_reason="The offer lapsed.",
        offer_expires_on=None,
    )
    _email_reg(reg, "offer_lapsed")
    _after_place_freed(group, reg, today)
    return reg


def offer_lapse_sweep(*, today: date) -> int:
    """Beat: offers past their expiry lapse, and the place moves on to the next school."""
    ids = list(
        Registration.objects.filter(
            status=RegStatus.OFFERED, offer_expires_on__lt=today
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if offer_lapse(registration_id=pk, today=today))


# -- invitations --------------------------------------------------------------------------------


@transaction.atomic
def colleague_invite(*, registration_id: int, actor, email: str) -> Invitation:
    reg = Registration.objects.select_related("work_group", "school").get(pk=registration_id)
    if reg.user_id != actor.pk:
        raise WorkGroupError("You can only invite a colleague to your own registration.")
    held = Registration.objects.filter(
        work_group=reg.work_group, school=reg.school, status__in=[*PLACE_HOLDING, RegStatus.WAITING]
    ).count()
    if held >= reg.work_group.places_per_school:
        raise WorkGroupError("Your school already has all its places in this Work Group.")
    inv = Invitation.objects.create(
        work_group=reg.work_group,
        kind=InvitationKind.COLLEAGUE,
        email=email.strip().lower(),
        school=reg.school,
        invited_by=actor,
    )
    audit.record(actor, inv, "workgroups.invitation.created", data={"kind": "colleague"})
    _email_invitation(inv, inviter=actor.full_name or actor.email)
    return inv


@transaction.atomic
def staff_invite(
    *, group_id: int, actor, email: str = "", school_id: int | None = None
) -> Invitation:
    group = WorkGroup.objects.get(pk=group_id)
    inv = Invitation(
        work_group=group,
        kind=InvitationKind.STAFF,
        email=email.strip().lower(),
        school_id=school_id,
        invited_by=actor,
    )
    inv.full_clean()
    inv.save()
    audit.record(actor, inv, "workgroups.invitation.created", data={"kind": "staff"})
    if inv.email:
        _email_invitation(inv, inviter="the hub")
    return inv


def _email_invitation(inv: Invitation, inviter: str) -> None:
    queue_email(
        to=[inv.email],
        template_prefix="workgroups/email/invitation",
        context={
            "group_code": inv.work_group.code,
            "group_title": inv.work_group.title,
            "school_name": inv.school.name if inv.school is not None else "",
            "inviter": inviter,
            "token": inv.token,
        },
    )


# -- groups and sessions ------------------------------------------------------------------------


def _group_move(
    group: WorkGroup, name: str, actor, now: datetime, action: str, roles=None, **data
) -> None:
    transition(
        group,
        workflow.WORK_GROUP,
        name,
        actor=actor,
        action=action,
        roles=roles,
        subject=selectors.group_facts(group, now),
        data=data,
        on_commit=selectors.bump_catalogue_version,
    )


@transaction.atomic
def work_group_move(
    *,
    group_id: int,
    actor,
    move: str,
    today: date | None = None,
    now: datetime | None = None,
    roles: set[str] | None = None,
) -> WorkGroup:
    """Publish, return to draft, mark as running or cancel a group, by the name of the move in
    :data:`workflow.WORK_GROUP` (completing has its own service: it completes participants).
    ``roles``: the actor's names in the machine (``None``: the system, no role check)."""
    if move == "complete":
        work_group_complete(group_id=group_id, actor=actor, now=now, roles=roles)
        return WorkGroup.objects.get(pk=group_id)
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    _group_move(
        group, move, actor, now or timezone.now(), "workgroups.workgroup.status_changed", roles
    )
    return group


@transaction.atomic
def work_group_set_status(*, group_id: int, actor, status: str) -> WorkGroup:
    """Move the group to ``status`` by whichever move of the machine leads there."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    now = timezone.now()
    step = workflow.WORK_GROUP.check_target(
        group.status, status, subject=selectors.group_facts(group, now)
    )
    return work_group_move(group_id=group.pk, actor=actor, move=step.name, now=now)


@transaction.atomic
def work_group_complete(
    *, group_id: int, actor, now: datetime | None = None, roles: set[str] | None = None
) -> int:
    """Close the group: confirmed participants who meet the completion rule complete. Only
    once its last session has ended (the machine's guard), so no certificate counts sessions
    still to come."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    now = now or timezone.now()
    workflow.WORK_GROUP.check(
        "complete", group.status, roles=roles, subject=selectors.group_facts(group, now)
    )
    done = 0
    for reg in selectors.registrations_of_group(group).filter(status=RegStatus.CONFIRMED):
        if selectors.meets_completion_rule(reg):
            reg.work_group = group
            _move(reg, "complete", actor, "workgroups.registration.completed")
            done += 1
    _group_move(
        group, "complete", actor, now, "workgroups.workgroup.completed", roles, completed=done
    )
    return done


#: The fields hub staff edit on the Work Group page (status, Leads and sessions have their own
#: services).
GROUP_FIELDS = (
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
    "completion_min_sessions",
    "registration_opens_on",
    "registration_closes_on",
    "flyer",
)


@transaction.atomic
def work_group_save(*, group_id: int | None, actor, data: dict) -> WorkGroup:
    """Create a Work Group (as a draft) or change its record. Capacity never drops below the
    schools that already hold places."""
    unknown = set(data) - set(GROUP_FIELDS)
    if unknown:
        raise WorkGroupError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if group_id:
        group = WorkGroup.objects.select_for_update().get(pk=group_id)
        holding = selectors.schools_holding(group.pk)
        if data.get("capacity_schools", group.capacity_schools) < holding:
            raise WorkGroupError(
                f"{holding} schools already hold places: the group needs room for at least "
                f"{holding}."
            )
    else:
        group = WorkGroup(status=GroupStatus.DRAFT)
    changed = [name for name, value in data.items() if getattr(group, name, None) != value]
    for name in changed:
        setattr(group, name, data[name])
    try:
        group.full_clean()
    except ValidationError as error:
        raise WorkGroupError(" ".join(error.messages)) from None
    if group.pk:
        group.save(update_fields=[*changed, "updated_at"])
    else:
        group.save()
    audit.record(
        actor,
        group,
        "workgroups.workgroup." + ("changed" if group_id else "created"),
        data={"fields": sorted(changed)},
    )
    _changed()
    return group


@transaction.atomic
def work_group_assign_leads(*, group_id: int, actor, lead_ids: list[int]) -> WorkGroup:
    """Who leads the group: holders of the Work Group Lead role only. A published or running
    group keeps at least one Lead."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    leads = list(users_with_role(Role.WORK_GROUP_LEAD).filter(pk__in=lead_ids))
    if len(leads) != len(set(lead_ids)):
        raise WorkGroupError("Choose people who hold the Work Group Lead role.")
    if not leads and group.status in (GroupStatus.PUBLISHED, GroupStatus.RUNNING):
        raise WorkGroupError("A published or running Work Group needs a Work Group Lead.")
    before = set(group.leads.values_list("pk", flat=True))
    group.leads.set(leads)
    audit.record(
        actor,
        group,
        "workgroups.workgroup.leads_changed",
        data={"from": sorted(before), "to": sorted(u.pk for u in leads)},
    )
    _changed()
    return group


def participant_count(group: WorkGroup) -> int:
    """How many people a change to one of the group's sessions is mailed to."""
    return _participants(group).count()


def _participants(group: WorkGroup):
    return group.registrations.filter(status__in=[RegStatus.CONFIRMED, RegStatus.PENDING]).exclude(
        email=""
    )


def _participant_emails(group: WorkGroup) -> list[str]:
    return list(_participants(group).values_list("email", flat=True))


def _calendar_file(session: Session, **kwargs) -> dict[str, str]:
    return attachment("session.ics", ics.session_ics(session, **kwargs), "text/calendar")


def _session_context(session: Session, reason: str = "") -> dict:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return {
        "group_code": session.work_group.code,
        "group_title": session.work_group.title,
        "when": f"{start:%A} {format_date(start)}, {start:%H:%M} to {end:%H:%M}",
        "venue": session.venue,
        "online_link": session.online_link,
        "cancelled": session.cancelled,
        "reason": reason,
    }


def session_facts(session: Session, now: datetime | None = None) -> workflow.SessionFacts:
    return workflow.SessionFacts(starts_at=session.starts_at, now=now or timezone.now())


@transaction.atomic
def session_save(
    *,
    group_id: int,
    actor,
    starts_at: datetime,
    ends_at: datetime,
    venue: str = "",
    online_link: str = "",
    session_id: int | None = None,
) -> Session:
    """Add a session (a group has at most seven) or change one; a change of date, time or place
    is mailed to the participants with the calendar event's new copy."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    if session_id:
        session = Session.objects.select_for_update().get(pk=session_id, work_group=group)
        workflow.SESSION.check("change", workflow.session_status(session.cancelled))
    else:
        if group.sessions.filter(cancelled=False).count() >= workflow.MAX_SESSIONS:
            raise WorkGroupError(f"A Work Group has at most {workflow.MAX_SESSIONS} sessions.")
        session = Session(work_group=group)
    changed = bool(session.pk) and (
        session.starts_at != starts_at
        or session.ends_at != ends_at
        or session.venue != venue
        or session.online_link != online_link
    )
    session.starts_at, session.ends_at = starts_at, ends_at
    session.venue, session.online_link = venue, online_link
    if changed:
        # The calendar event moves: a higher SEQUENCE makes calendar apps take the new copy.
        session.sequence += 1
    session.full_clean()
    session.save()
    audit.record(actor, session, "workgroups.session.saved", data={"changed": changed})
    if changed:
        to = _participant_emails(group)
        if to:
            queue_email(
                to=to,
                template_prefix="workgroups/email/session_changed",
                context=_session_context(session),
                attachments=[_calendar_file(session)],
            )
    _changed()
    return session


@transaction.atomic
def session_cancel(*, session_id: int, actor, reason: str, today: date | None = None) -> Session:
    """Cancel a session and mail each participant the reason with a METHOD:CANCEL file."""
    session = Session.objects.select_for_update().select_related("work_group").get(pk=session_id)
    step = workflow.SESSION.check("cancel", workflow.session_status(session.cancelled))
    reason = reason.strip()
    if step.needs_comment and not reason:
        raise WorkGroupError("Enter the reason for cancelling: participants will read it.")
    session.cancelled = True
    session.sequence += 1
    session.save(update_fields=["cancelled", "sequence", "updated_at"])
    audit.record(actor, session, "workgroups.session.cancelled", data={"reason": reason})
    # One message each: the METHOD:CANCEL file names its participant as ATTENDEE, which is
    # how calendar apps match the cancellation to the event they hold.
    context = _session_context(session, reason=reason)
    for reg in _participants(session.work_group):
        queue_email(
            to=[reg.email],
            template_prefix="workgroups/email/session_changed",
            context=context,
            attachments=[
                _calendar_file(session, method="CANCEL", attendee=(reg.full_name, reg.email))
            ],
        )
    _changed()
    return session


@transaction.atomic
def attendance_mark(
    *, session_id: int, actor, marks: dict[int, str], now: datetime | None = None
) -> int:
    """Mark a whole session at once: ``marks`` maps registration ids to a status. A register
    is taken only once the session has started (the machine's guard): attendance is a record
    of what happened."""
    session = Session.objects.select_for_update().get(pk=session_id)
    workflow.SESSION.check(
        "take_register",
        workflow.session_status(session.cancelled),
        subject=session_facts(session, now),
    )
    valid = set(
        session.work_group.registrations.filter(
            status__in=[RegStatus.CONFIRMED, RegStatus.COMPLETED]
        ).values_list("pk", flat=True)
    )
    n = 0
    for reg_id, status in marks.items():
        if reg_id not in valid or status not in AttendanceStatus.values:
            continue
        Attendance.objects.update_or_create(
            session=session, registration_id=reg_id, defaults={"status": status}
        )
        n += 1
    audit.record(actor, session, "workgroups.attendance.marked", data={"count": n})
    return n


# -- evaluation ---------------------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(*, registration_id: int, actor, answers: dict) -> ParticipantEvaluation:
    reg = Registration.objects.select_for_update().get(pk=registration_id)
    if reg.user_id != actor.pk:
        raise WorkGroupError("You can only evaluate your own Work Groups.")
    if reg.status not in (RegStatus.CONFIRMED, RegStatus.COMPLETED):
        raise WorkGroupError("Only participants can evaluate a Work Group.")
    ev, _ = ParticipantEvaluation.objects.update_or_create(registration=reg, defaults=answers)
    audit.record(actor, ev, "workgroups.evaluation.submitted")
    return ev


@transaction.atomic
def lead_report_save(*, group_id: int, actor, answers: dict, submit: bool) -> LeadReport:
    report, _ = LeadReport.objects.select_for_update().get_or_create(work_group_id=group_id)
    if report.status != ReportStatus.DRAFT:
        raise WorkGroupError("This report has been submitted and can no longer be changed.")
    for name, value in answers.items():
        setattr(report, name, value)
    fields = [*answers, "updated_at"]
    if submit:
        missing = [n for n, v in answers.items() if not str(v).strip()]
        if missing:
            raise WorkGroupError("Fill in every part of the report before you submit it.")
        report.status, report.submitted_at, report.submitted_by = (
            ReportStatus.SUBMITTED,
            timezone.now(),
            actor,
        )
        fields += ["status", "submitted_at", "submitted_by"]
    report.save(update_fields=fields)
    audit.record(actor, report, "workgroups.leadreport." + ("submitted" if submit else "saved"))
    return report


@transaction.atomic
def lead_report_review(*, group_id: int, actor) -> LeadReport:
    """The hub marks a submitted report as reviewed."""
    report = LeadReport.objects.select_for_update().filter(work_group_id=group_id).first()
    if report is None or report.status != ReportStatus.SUBMITTED:
        raise WorkGroupError("Only a submitted report can be marked as reviewed.")
    report.status = ReportStatus.REVIEWED
    report.save(update_fields=["status", "updated_at"])
    audit.record(actor, report, "workgroups.leadreport.reviewed")
    return report


# -- participation returns ----------------------------------------------------------------------


@transaction.atomic
def participation_export(*, actor, file_format: str) -> tuple[bytes, int]:
    """Build the export and log it: who, when, how many people. Returns (bytes, people)."""
    rows = selectors.participation_rows()
    people = len({(r[4], r[0]) for r in rows})
    if file_format == "xlsx":
        data = exports.xlsx_bytes(rows, selectors.EXPORT_COLUMNS, title="Participation")
    else:
        data = exports.csv_bytes(rows, selectors.EXPORT_COLUMNS)
    log = ParticipationExport.objects.create(
        actor=actor, file_format=file_format, people_count=people, row_count=len(rows)
    )
    audit.record(actor, log, "workgroups.participation.exported", data={"people": people})
    record_disclosure(
        recipient="NCETM",
        purpose="Work Group participation returns",
        lawful_basis="Public task",
        data_categories=["name", "school", "role", "TRN", "attendance"],
        people_count=people,
        actor=actor,
        source="workgroups.participation_export",
    )
    return data, people


@dataclass
class ImportResult:
    created: int = 0
    attendance: int = 0
    errors: list[str] = field(default_factory=list)


IMPORT_COLUMNS = [
    "work_group_code",
    "school_urn",
    "participant_name",
    "email",
    "role_at_school",
    "trn",
    "sessions_attended",
]


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return None


@dataclass
class ImportRow:
    """One line of the file, read and checked on its own (the rules come later, from the
    registration services)."""

    number: int
    group: WorkGroup | None
    school: School | None
    full_name: str
    email: str
    role_at_school: str
    trn: str
    attended: int
    problems: list[str]


def _read_row(number: int, row: dict, groups: dict[str, WorkGroup], held: dict[int, int]):
    problems: list[str] = []
    group = groups.get((row["work_group_code"] or "").strip())
    if group is None:
        problems.append(f"no Work Group with code {row['work_group_code']!r}")
    urn = (row["school_urn"] or "").strip()
    school = School.objects.filter(urn=int(urn)).first() if urn.isdigit() else None
    if school is None:
        problems.append(f"no school with URN {urn!r}")
    name = (row["participant_name"] or "").strip()
    if not name:
        problems.append("the participant's name is missing")
    trn = (row["trn"] or "").strip()
    if trn and not (trn.isdigit() and len(trn) == 7):
        problems.append("the TRN must be 7 digits")
    attended_raw = (row["sessions_attended"] or "0").strip() or "0"
    attended = int(attended_raw) if attended_raw.isdigit() else -1
    if attended < 0:
        problems.append("sessions attended must be a whole number")
    elif group is not None and attended > held[group.pk]:
        problems.append("more sessions attended than the group has held")
    email = (row["email"] or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"{email!r} is not an email address")
    return ImportRow(
        number,
        group,
        school,
        name,
        email,
        (row["role_at_school"] or "").strip(),
        trn,
        attended,
        problems,
    )


class _ImportRefused(Exception):
    """Rolls the whole import back when any row is refused."""


def _add_imported(line: ImportRow, actor) -> Registration:
    assert line.group is not None and line.school is not None  # noqa: S101 (checked)
    with transaction.atomic():
        return registration_add(
            group_id=line.group.pk,
            actor=actor,
            school_id=line.school.pk,
            full_name=line.full_name,
            email=line.email,
            role_at_school=line.role_at_school,
            trn=line.trn,
            source="import",
        )


def _mark_imported(attended: list[tuple[Registration, int]], actor, now: datetime) -> int:
    """Present at the first ``n`` sessions held, one register per session (``attendance_mark``)."""
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for reg, n in attended:
        held = reg.work_group.sessions.filter(cancelled=False, starts_at__lte=now)
        for session_id in held.values_list("pk", flat=True)[:n]:
            marks[session_id][reg.pk] = AttendanceStatus.PRESENT
    return sum(
        attendance_mark(session_id=pk, actor=actor, marks=m, now=now) for pk, m in marks.items()
    )


def participation_import(*, actor, content: bytes) -> ImportResult:
    """Import registrations and attendance from CSV through the registration services (the
    group's schools, the school's places, one registration per person, the audit) and
    ``attendance_mark`` (only sessions held). Every row is tried; if any row is refused
    nothing is saved, and each error names its row."""
    result = ImportResult()
    text = _decode(content)
    if text is None:
        result.errors.append("The file is not a CSV file we can read (use UTF-8).")
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append("The file is missing these columns: " + ", ".join(missing) + ".")
        return result
    now = timezone.now()
    groups = {g.code: g for g in WorkGroup.objects.all()}
    held = Counter(
        Session.objects.filter(cancelled=False, starts_at__lte=now).values_list(
            "work_group_id", flat=True
        )
    )
    try:
        with transaction.atomic():
            attended: list[tuple[Registration, int]] = []
            for number, row in enumerate(reader, start=2):
                line = _read_row(number, row, groups, held)
                if not line.problems:
                    try:
                        attended.append((_add_imported(line, actor), line.attended))
                    except WorkGroupError as error:
                        line.problems.append(str(error))
                if line.problems:
                    result.errors.append(f"Row {number}: " + "; ".join(line.problems) + ".")
            if result.errors:
                raise _ImportRefused
            result.created = len(attended)
            result.attendance = _mark_imported(attended, actor, now)
            audit.record(
                actor, None, "workgroups.participation.imported", data={"created": result.created}
            )
    except _ImportRefused:
        result.created = result.attendance = 0
    return result
