"""Sessions: add or change one (a group has at most seven; the 3-7 rule is the machine's guard
on publishing) and cancel one, each change mailed to the participants with its calendar file."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from hubops import audit
from hubops.emails import attachment, queue_email
from hubops.formats import format_date

from .. import ics, workflow
from ..models import RegStatus, Session, WorkGroup
from ..workflow import WorkGroupError
from ._core import catalogue_changed


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
    catalogue_changed()
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
    catalogue_changed()
    return session
