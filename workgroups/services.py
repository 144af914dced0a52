"""Writes for Work Groups. Every state change locks its row, checks the move, saves with
``update_fields``, records an audit event and queues email on commit."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from hubops import audit, exports
from hubops.emails import attachment, queue_email
from hubops.models import School
from hubops.selectors import school_calendar

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
MIN_SESSIONS, MAX_SESSIONS = 3, 7

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
    from django.apps import apps

    try:
        notice_model = apps.get_model("privacy", "PrivacyNotice")
    except LookupError:
        return ""
    notice = notice_model.objects.filter(published_on__lte=timezone.localdate()).first()
    return str(notice.version) if notice else ""


# -- registration -------------------------------------------------------------------------------


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
    school_regs = list(
        Registration.objects.filter(
            work_group=group, school=school, status__in=[*PLACE_HOLDING, RegStatus.WAITING]
        ).values_list("status", flat=True)
    )
    if school_regs:
        # A colleague joins the school's place, or its place on the waiting list.
        status = school_regs[0]
        if status == RegStatus.COMPLETED:
            status = RegStatus.CONFIRMED
        if status == RegStatus.OFFERED:
            status = RegStatus.WAITING
    elif selectors.schools_holding(group.pk) < group.capacity_schools:
        status = RegStatus.PENDING if group.needs_approval else RegStatus.CONFIRMED
    else:
        status = RegStatus.WAITING
    reg = Registration(
        work_group=group,
        user=user,
        full_name=user.full_name or user.email,
        email=user.email,
        trn=user.trn,
        school=school,
        role_at_school=role_at_school.strip(),
        status=status,
        privacy_notice_version=privacy_notice_version,
        submission_key=submission_key or None,
    )
    reg.full_clean()
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:
        raise NotEligible(["You have already registered for this Work Group."]) from exc
    audit.record(user, reg, "workgroups.registration.created", data={"status": status})
    _email_reg(reg, "registration_received")
    _changed()
    return reg


def _lock_reg(registration_id: int) -> tuple[WorkGroup, Registration]:
    group_id = Registration.objects.values_list("work_group_id", flat=True).get(pk=registration_id)
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    reg = Registration.objects.select_for_update().select_related("school").get(pk=registration_id)
    reg.work_group = group
    return group, reg


def _set_status(reg: Registration, new: str, actor, action: str, **extra) -> None:
    workflow.check_move(reg.status, new)
    old = reg.status
    reg.status = new
    fields = ["status", "updated_at"]
    for name, value in extra.items():
        setattr(reg, name, value)
        fields.append(name)
    reg.save(update_fields=fields)
    audit.record(actor, reg, action, data={"from": old, "to": new})
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
            _set_status(
                reg,
                RegStatus.OFFERED,
                None,
                "workgroups.registration.offered",
                offer_expires_on=expires,
            )
            _email_reg(reg, "place_offered")
            offered.append(reg)
    return offered


@transaction.atomic
def registration_withdraw(*, registration_id: int, actor, today: date) -> Registration:
    group, reg = _lock_reg(registration_id)
    if actor is not None and reg.user_id != actor.pk and not selectors.is_staff_manager(actor):
        raise WorkGroupError("You can only withdraw your own registrations.")
    _set_status(
        reg, RegStatus.WITHDRAWN, actor, "workgroups.registration.withdrawn", offer_expires_on=None
    )
    _email_reg(reg, "registration_withdrawn")
    if not _school_still_holds(group, reg.school_id):
        _offer_next(group, today)
    return reg


@transaction.atomic
def registration_approve(*, registration_id: int, actor) -> Registration:
    group, reg = _lock_reg(registration_id)
    _set_status(
        reg,
        RegStatus.CONFIRMED,
        actor,
        "workgroups.registration.approved",
        decided_at=timezone.now(),
    )
    _email_reg(reg, "registration_approved")
    return reg


@transaction.atomic
def registration_decline(*, registration_id: int, actor, reason: str, today: date) -> Registration:
    if not reason.strip():
        raise WorkGroupError("Give a reason for declining: the teacher will see it.")
    group, reg = _lock_reg(registration_id)
    _set_status(
        reg,
        RegStatus.DECLINED,
        actor,
        "workgroups.registration.declined",
        decided_at=timezone.now(),
        decline_reason=reason.strip(),
        offer_expires_on=None,
    )
    _email_reg(reg, "registration_declined")
    if not _school_still_holds(group, reg.school_id):
        _offer_next(group, today)
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
    if reg.status != RegStatus.OFFERED or (reg.offer_expires_on and reg.offer_expires_on < today):
        raise WorkGroupError("This offer is no longer open.")
    new = RegStatus.PENDING if group.needs_approval else RegStatus.CONFIRMED
    _set_status(
        reg,
        new,
        actor,
        "workgroups.registration.offer_accepted",
        offer_expires_on=None,
        offer_accept_key=accept_key or None,
    )
    _email_reg(reg, "registration_received")
    return reg


@transaction.atomic
def offer_lapse(*, registration_id: int, today: date) -> Registration | None:
    group, reg = _lock_reg(registration_id)
    if reg.status != RegStatus.OFFERED or reg.offer_expires_on >= today:
        return None
    _set_status(
        reg,
        RegStatus.DECLINED,
        None,
        "workgroups.registration.offer_lapsed",
        decline_reason="The offer lapsed.",
        offer_expires_on=None,
    )
    _email_reg(reg, "offer_lapsed")
    if not _school_still_holds(group, reg.school_id):
        _offer_next(group, today)
    return reg


def offers_lapse_sweep(*, today: date) -> int:
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
            "school_name": inv.school.name if inv.school_id else "",
            "inviter": inviter,
            "token": inv.token,
        },
    )


# -- groups and sessions ------------------------------------------------------------------------


@transaction.atomic
def work_group_set_status(*, group_id: int, actor, status: str) -> WorkGroup:
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    if status == GroupStatus.PUBLISHED:
        n = group.sessions.filter(cancelled=False).count()
        if not MIN_SESSIONS <= n <= MAX_SESSIONS:
            raise WorkGroupError(
                f"A Work Group needs {MIN_SESSIONS} to {MAX_SESSIONS} sessions before it is "
                f"published; this one has {n}."
            )
        if not group.leads.exists():
            raise WorkGroupError("A Work Group needs a Work Group Lead before it is published.")
    old = group.status
    group.status = status
    group.save(update_fields=["status", "updated_at"])
    audit.record(
        actor, group, "workgroups.workgroup.status_changed", data={"from": old, "to": status}
    )
    _changed()
    return group


@transaction.atomic
def work_group_complete(*, group_id: int, actor, now: datetime | None = None) -> int:
    """Close the group: confirmed participants who meet the completion rule complete. Only
    once its last session has ended, so no certificate counts sessions still to come."""
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    now = now or timezone.now()
    last = group.sessions.filter(cancelled=False).order_by("-ends_at").first()
    if last is None:
        raise WorkGroupError("A Work Group with no sessions cannot be completed.")
    if last.ends_at > now:
        raise WorkGroupError(
            "A Work Group is completed after its last session, which ends on "
            f"{timezone.localtime(last.ends_at):%-d %B %Y at %H:%M}."
        )
    done = 0
    for reg in selectors.registrations_of_group(group).filter(status=RegStatus.CONFIRMED):
        if selectors.meets_completion_rule(reg):
            reg.work_group = group
            _set_status(reg, RegStatus.COMPLETED, actor, "workgroups.registration.completed")
            done += 1
    group.status = GroupStatus.COMPLETED
    group.save(update_fields=["status", "updated_at"])
    audit.record(actor, group, "workgroups.workgroup.completed", data={"completed": done})
    _changed()
    return done


def _participants(group: WorkGroup):
    return group.registrations.filter(status__in=[RegStatus.CONFIRMED, RegStatus.PENDING]).exclude(
        email=""
    )


def _participant_emails(group: WorkGroup) -> list[str]:
    return list(_participants(group).values_list("email", flat=True))


def _calendar_file(session: Session, **kwargs) -> dict[str, str]:
    return attachment("session.ics", ics.session_ics(session, **kwargs), "text/calendar")


def _session_context(session: Session) -> dict:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return {
        "group_code": session.work_group.code,
        "group_title": session.work_group.title,
        "when": f"{start:%A %-d %B %Y, %H:%M} to {end:%H:%M}",
        "venue": session.venue,
        "online_link": session.online_link,
        "cancelled": session.cancelled,
    }


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
    group = WorkGroup.objects.select_for_update().get(pk=group_id)
    if session_id:
        session = Session.objects.select_for_update().get(pk=session_id, work_group=group)
    else:
        if group.sessions.filter(cancelled=False).count() >= MAX_SESSIONS:
            raise WorkGroupError(f"A Work Group has at most {MAX_SESSIONS} sessions.")
        session = Session(work_group=group)
    changed = session.pk and (
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
    audit.record(actor, session, "workgroups.session.saved", data={"changed": bool(changed)})
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
def session_cancel(*, session_id: int, actor) -> Session:
    session = Session.objects.select_for_update().select_related("work_group").get(pk=session_id)
    if session.cancelled:
        raise WorkGroupError("This session is already cancelled.")
    session.cancelled = True
    session.sequence += 1
    session.save(update_fields=["cancelled", "sequence", "updated_at"])
    audit.record(actor, session, "workgroups.session.cancelled")
    # One message each: the METHOD:CANCEL file names its participant as ATTENDEE, which is
    # how calendar apps match the cancellation to the event they hold.
    context = _session_context(session)
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
    is taken only once the session has started: attendance is a record of what happened."""
    session = Session.objects.select_for_update().get(pk=session_id)
    now = now or timezone.now()
    if session.starts_at > now:
        raise WorkGroupError(
            "The register opens when the session starts, on "
            f"{timezone.localtime(session.starts_at):%-d %B %Y at %H:%M}."
        )
    if session.cancelled:
        raise WorkGroupError("This session was cancelled: there is no register to take.")
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
    from hubops.personal_data import record_disclosure

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


def _person_keys(group_id, school_id, email, trn, full_name) -> set[tuple]:
    """Ways one participant of one group is recognised: email, TRN, or name at a school."""
    keys = {(group_id, "name", school_id, full_name.strip().casefold())}
    if email:
        keys.add((group_id, "email", email.strip().casefold()))
    if trn:
        keys.add((group_id, "trn", trn))
    return keys


def participation_import(*, actor, content: bytes) -> ImportResult:
    """Import registrations and attendance from CSV. Every row is checked first; if any row
    is wrong nothing is saved, and each error names its row."""
    result = ImportResult()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            result.errors.append("The file is not a CSV file we can read (use UTF-8).")
            return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append("The file is missing these columns: " + ", ".join(missing) + ".")
        return result
    groups = {g.code: g for g in WorkGroup.objects.all()}
    planned = []
    # What the hub holds already, to refuse duplicates and places beyond capacity.
    existing = Registration.objects.filter(status__in=PLACE_HOLDING).values_list(
        "work_group_id", "school_id", "email", "trn", "full_name"
    )
    seen_people: set[tuple] = set()
    people_per_school: Counter = Counter()
    schools_per_group: dict[int, set[int]] = defaultdict(set)
    for group_id, school_id, email, trn, full_name in existing:
        seen_people.update(_person_keys(group_id, school_id, email, trn, full_name))
        people_per_school[group_id, school_id] += 1
        schools_per_group[group_id].add(school_id)
    for n, row in enumerate(reader, start=2):
        problems = []
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
        elif group is not None and attended > group.sessions.filter(cancelled=False).count():
            problems.append("more sessions attended than the group has")
        email = (row["email"] or "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"{email!r} is not an email address")
        if not problems:
            keys = _person_keys(group.pk, school.pk, email, trn, name)
            if keys & seen_people:
                problems.append(f"{name} is already registered for {group.code}")
            elif school.pk not in schools_per_group[group.pk] and (
                len(schools_per_group[group.pk]) >= group.capacity_schools
            ):
                problems.append(f"{group.code} already has its {group.capacity_schools} schools")
            elif people_per_school[group.pk, school.pk] >= group.places_per_school:
                problems.append(
                    f"{school.name} already has its {group.places_per_school} places "
                    f"in {group.code}"
                )
            else:
                seen_people.update(keys)
                people_per_school[group.pk, school.pk] += 1
                schools_per_group[group.pk].add(school.pk)
        if problems:
            result.errors.append(f"Row {n}: " + "; ".join(problems) + ".")
        else:
            planned.append((group, school, name, row, trn, attended))
    if result.errors:
        return result
    with transaction.atomic():
        for group, school, name, row, trn, attended in planned:
            reg = Registration.objects.create(
                work_group=group,
                school=school,
                full_name=name,
                email=(row["email"] or "").strip().lower(),
                role_at_school=(row["role_at_school"] or "").strip() or "Teacher",
                trn=trn,
                status=RegStatus.CONFIRMED,
            )
            result.created += 1
            for session in group.sessions.filter(cancelled=False)[:attended]:
                Attendance.objects.create(
                    session=session, registration=reg, status=AttendanceStatus.PRESENT
                )
                result.attendance += 1
        audit.record(
            actor, None, "workgroups.participation.imported", data={"created": result.created}
        )
        _changed()
    return result
