"""Reminder sweeps in batches: exactly once, a constant number of statements per batch, a rerun
that sends nothing and costs one query per batch, and ``manage.py run_sweeps``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hubops.models import OutgoingMessage, ReminderLog
from hubops.reminders import Reminder, remind_batch, remind_once
from tests.factories import HubFactory, SchoolFactory, UserFactory
from workgroups import reminders as wg_reminders
from workgroups.models import GroupStatus, Project, ProjectKind, Registration, Session, WorkGroup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _send_on_commit(monkeypatch):
    """Messages are queued for after the commit; tests never commit, so send them at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


LONDON = ZoneInfo("Europe/London")
DUE = date(2026, 2, 2)


def items(n: int, *, kind: str = "tests.batch", to=None) -> list[Reminder]:
    return [
        Reminder(
            object_type="tests.thing",
            object_id=str(i),
            kind=kind,
            due_on=DUE,
            to=to if to is not None else (f"person{i}@example.org",),
            template_prefix="hubops/email/test_message",
            context={"n": i},
        )
        for i in range(n)
    ]


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_each_reminder_is_claimed_once_and_mailed_once(mailoutbox):
    assert remind_batch(items(25), batch_size=10) == 25
    assert remind_batch(items(25), batch_size=10) == 0
    assert len(mailoutbox) == 25
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        f"person{i}@example.org" for i in range(25)
    )
    assert ReminderLog.objects.count() == 25


def test_a_partly_claimed_batch_sends_only_the_new_ones(mailoutbox):
    remind_batch(items(6)[::2])
    mailoutbox.clear()
    assert remind_batch(items(6)) == 3
    assert sorted(m.to[0] for m in mailoutbox) == [f"person{i}@example.org" for i in (1, 3, 5)]


def test_duplicates_within_a_batch_count_once(mailoutbox):
    assert remind_batch(items(3) + items(3)) == 3
    assert len(mailoutbox) == 3


def test_queries_per_batch_are_constant_and_a_rerun_costs_one_per_batch():
    one = queries(lambda: remind_batch(items(10), batch_size=10))
    ReminderLog.objects.all().delete()
    five = queries(lambda: remind_batch(items(50), batch_size=10))
    assert five == 5 * one
    assert queries(lambda: remind_batch(items(50), batch_size=10)) == 5


def test_reminders_to_one_person_are_indexed_by_their_address():
    remind_batch(items(1, to=("Sam@Example.org",)))
    remind_batch(items(1, kind="tests.group", to=("sam@example.org", "lee@example.org")))
    by_kind = dict(ReminderLog.objects.values_list("kind", "email"))
    assert by_kind == {"tests.batch": "sam@example.org", "tests.group": ""}


def test_remind_once_still_works(mailoutbox):
    user = UserFactory(email="robin@example.org")
    kwargs = {
        "obj": user,
        "kind": "tests.once",
        "due_on": DUE,
        "to": [user.email],
        "template_prefix": "hubops/email/test_message",
    }
    assert remind_once(**kwargs) is True
    assert remind_once(**kwargs) is False
    assert len(mailoutbox) == 1


def _group_with_participants(n: int, code: str) -> WorkGroup:
    project, _ = Project.objects.get_or_create(
        code="NCP T", defaults={"title": "Fictional", "kind": ProjectKind.NCP}
    )
    group = WorkGroup.objects.create(
        code=code,
        title="Fictional group",
        project=project,
        phases=",primary,",
        audience=",teachers,",
        capacity_schools=100,
        recruitment="open",
        status=GroupStatus.PUBLISHED,
    )
    for hour in (9, 15):
        start = datetime(2026, 2, 2, hour, 30, tzinfo=LONDON)
        Session.objects.create(
            work_group=group, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    school = SchoolFactory()
    Registration.objects.bulk_create(
        Registration(
            work_group=group,
            reference=f"WG-T{code[-1]}{i:04d}",
            full_name=f"Participant {i} Fictional",
            email=f"p{i}-{code.lower()}@example.org",
            school=school,
            role_at_school="Teacher",
            status="confirmed",
        )
        for i in range(n)
    )
    return group


def test_session_sweep_queries_do_not_grow_with_participants(monkeypatch):
    from django.db import transaction

    queued = []  # the messages wait for the commit; the worker renders them, not the sweep
    monkeypatch.setattr(
        transaction, "on_commit", lambda func, using=None, robust=False: queued.append(func)
    )
    HubFactory()
    _group_with_participants(1, "WG-A")
    small = queries(lambda: wg_reminders.session_reminder_sweep(today=date(2026, 1, 31)))
    ReminderLog.objects.all().delete()
    _group_with_participants(40, "WG-B")
    large = queries(lambda: wg_reminders.session_reminder_sweep(today=date(2026, 1, 31)))
    assert large == small
    assert ReminderLog.objects.count() == 2 * (1 + 40)
    # Every reminder claimed by either run is a message in the outbox, waiting for the commit
    # that kicks the drain (once per transaction, not once per message).
    assert OutgoingMessage.objects.count() == 2 + 2 * (1 + 40)
    assert 1 <= len(queued) <= 2
    rerun = queries(lambda: wg_reminders.session_reminder_sweep(today=date(2026, 1, 31)))
    # The sessions, their participants and one claims query per batch: nothing written.
    assert rerun == 3
    assert wg_reminders.session_reminder_sweep(today=date(2026, 1, 31)) == 0


def test_run_sweeps_runs_every_sweep_and_prints_what_each_sent(settings):
    HubFactory()
    out = StringIO()
    call_command("run_sweeps", stdout=out)
    text = out.getvalue()
    reminders = [n for n in settings.CELERY_BEAT_SCHEDULE if n.endswith(("-sweeps", "-reminders"))]
    assert len(reminders) >= 5
    for name in settings.CELERY_BEAT_SCHEDULE:
        # Every reminder sweep runs; beat's other jobs (the outbox drain, retention, the
        # nightly backup) are not sweeps and do not.
        assert (f"{name}:" in text) == (name in reminders), name
    assert "session_reminders 0" in text
    assert "All sweeps done" in text


def test_run_sweeps_can_run_one_early():
    out = StringIO()
    call_command("run_sweeps", "--only", "complaints-sweeps", stdout=out)
    assert out.getvalue().startswith("complaints-sweeps: 0 sent")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No sweep called nope"):
        call_command("run_sweeps", "--only", "nope", stdout=StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sweeps_running_at_once_claim_each_reminder_once(monkeypatch):
    """Four sweeps over the same 300 reminders at the same moment: each is claimed (and its
    message queued) by exactly one of them."""
    import threading

    from django.db import transaction

    queued = []
    monkeypatch.setattr(
        transaction, "on_commit", lambda func, using=None, robust=False: queued.append(func)
    )
    barrier = threading.Barrier(4)
    sent = []

    def sweep():
        try:
            barrier.wait()
            sent.append(remind_batch(items(300), batch_size=50))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(sent) == 300
    assert ReminderLog.objects.count() == 300
    # One message in the outbox per claim (a drain is kicked once per batch's transaction).
    assert OutgoingMessage.objects.count() == 300
    assert 1 <= len(queued) <= 300 // 50


@pytest.mark.postgres
def test_a_key_holding_the_batch_separator_is_refused_not_split():
    """PostgreSQL receives a batch's keys joined on a control character: a value holding it
    would shift every key after it, so the batch is refused and nothing is claimed."""
    broken = items(3)
    broken[1].object_id = "1\x1f2"
    with pytest.raises(ValueError, match="control character"):
        remind_batch(broken)
    assert not ReminderLog.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_large_sweep_is_claimed_by_worker_threads_each_reminder_once(monkeypatch):
    """Outside a transaction on PostgreSQL the batches go to worker threads, each on its own
    connection: every reminder is claimed once with its message, and a rerun sends nothing."""
    import threading

    from hubops import reminders

    claimed_by: list[str] = []
    claim = reminders._claim_batch

    def recording(batch):
        claimed_by.append(threading.current_thread().name)
        return claim(batch)

    monkeypatch.setattr(reminders, "_claim_batch", recording)
    assert remind_batch(items(1200), batch_size=100, workers=2) == 1200
    assert len(claimed_by) == 12 and all(name.startswith("sweep-") for name in claimed_by)
    assert ReminderLog.objects.count() == OutgoingMessage.objects.count() == 1200
    assert remind_batch(items(1200), batch_size=100, workers=2) == 0
    assert OutgoingMessage.objects.count() == 1200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failing_batch_in_a_worker_thread_stops_the_sweep_and_is_raised(monkeypatch):
    """The error reaches the caller; the batches claimed before it stay claimed, each whole,
    with its messages, and the next sweep claims the rest."""
    from hubops import reminders

    claim = reminders._claim_batch

    def failing(batch):
        if batch[0].object_id == "300":
            raise RuntimeError("the database went away")
        return claim(batch)

    monkeypatch.setattr(reminders, "_claim_batch", failing)
    with pytest.raises(RuntimeError, match="went away"):
        remind_batch(items(1000), batch_size=100, workers=2)
    done = ReminderLog.objects.count()
    assert done % 100 == 0 and done < 1000
    assert OutgoingMessage.objects.count() == done
    monkeypatch.setattr(reminders, "_claim_batch", claim)
    assert remind_batch(items(1000), batch_size=100, workers=2) == 1000 - done
