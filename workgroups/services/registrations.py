"""Registrations: a teacher registers (capacity counted in schools, the group's row locked),
hub staff add a participant, approve, decline and withdraw; the waiting list and its offers,
which lapse after ``OFFER_WORKING_DAYS`` working days."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hubops import audit
from hubops.models import School
from hubops.selectors import school_calendar

from .. import selectors, workflow
from ..models import PLACE_HOLDING, Registration, RegStatus, WorkGroup
from ..workflow import NotEligible, WorkGroupError
from ._core import catalogue_changed, email_registration, lock_registration, move_registration

OFFER_WORKING_DAYS = 5


def current_privacy_version() -> str:
    try:
        notice_model = apps.get_model("privacy", "PrivacyNotice")
    except LookupError:
        return ""
    notice = notice_model.objects.filter(published_on__lte=timezone.localdate()).first()
    return str(notice.version) if notice else ""


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
    catalogue_changed()
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
    email_registration(reg, "registration_received")
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
            move_registration(
                reg, "offer", None, "workgroups.registration.offered", offer_expires_on=expires
            )
            email_registration(reg, "place_offered")
            offered.append(reg)
    return offered


def _after_place_freed(group: WorkGroup, reg: Registration, today: date) -> None:
    if not _school_still_holds(group, reg.school_id):
        _offer_next(group, today)


@transaction.atomic
def registration_withdraw(*, registration_id: int, actor, today: date) -> Registration:
    group, reg = lock_registration(registration_id)
    if actor is not None and reg.user_id != actor.pk and not selectors.is_staff_manager(actor):
        raise WorkGroupError("You can only withdraw your own registrations.")
    move_registration(
        reg, "withdraw", actor, "workgroups.registration.withdrawn", offer_expires_on=None
    )
    email_registration(reg, "registration_withdrawn")
    _after_place_freed(group, reg, today)
    return reg


@transaction.atomic
def registration_approve(*, registration_id: int, actor, today: date | None = None) -> Registration:
    group, reg = lock_registration(registration_id)
    move_registration(
        reg, "approve", actor, "workgroups.registration.approved", decided_at=timezone.now()
    )
    email_registration(reg, "registration_approved")
    return reg


@transaction.atomic
def registration_decline(*, registration_id: int, actor, reason: str, today: date) -> Registration:
    if not reason.strip():
        raise WorkGroupError("Give a reason for declining: the teacher will see it.")
    group, reg = lock_registration(registration_id)
    move_registration(
        reg,
        "decline",
        actor,
        "workgroups.registration.declined",
        decided_at=timezone.now(),
        decline_reason=reason.strip(),
        offer_expires_on=None,
    )
    email_registration(reg, "registration_declined")
    _after_place_freed(group, reg, today)
    return reg


@transaction.atomic
def offer_accept(
    *, registration_id: int, actor, today: date, accept_key: str | None = None
) -> Registration:
    """Take up an offered place. ``accept_key`` is the button's one-time key, stored unique, so
    a second click is recognised as the same acceptance (``hubops.idempotency``)."""
    group, reg = lock_registration(registration_id)
    if reg.user_id != actor.pk:
        raise WorkGroupError("You can only accept your own offers.")
    if reg.status != RegStatus.OFFERED:
        raise WorkGroupError("This offer is no longer open.")
    move_registration(
        reg,
        "accept_for_approval" if group.needs_approval else "accept",
        actor,
        "workgroups.registration.offer_accepted",
        subject=workflow.OfferFacts(expires_on=reg.offer_expires_on, today=today),
        offer_expires_on=None,
        offer_accept_key=accept_key or None,
    )
    email_registration(reg, "registration_received")
    return reg


@transaction.atomic
def offer_lapse(*, registration_id: int, today: date) -> Registration | None:
    group, reg = lock_registration(registration_id)
    facts = workflow.OfferFacts(expires_on=reg.offer_expires_on, today=today)
    if workflow.REGISTRATION.reasons("lapse", reg.status, subject=facts):
        return None
    move_registration(
        reg,
        "lapse",
        None,
        "workgroups.registration.offer_lapsed",
        subject=facts,
        decline_reason="The offer lapsed.",
        offer_expires_on=None,
    )
    email_registration(reg, "offer_lapsed")
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
