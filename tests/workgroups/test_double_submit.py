"""Registering and accepting an offered place survive a double click, a retry and a back-button
resubmit: one registration, one acceptance, the same confirmation; five concurrent copies of the
check step's POST make one registration on PostgreSQL."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from workgroups import services
from workgroups.models import Registration, RegStatus

from .conftest import make_group

KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')


def _to_check(client, group, school) -> str:
    client.post(
        reverse("workgroups:register_school", args=[group.code]) + f"?q={school.urn}",
        {"school": school.pk},
    )
    client.post(
        reverse("workgroups:register_details", args=[group.code]),
        {"role_at_school": "Maths lead", "accept_privacy": "on"},
    )
    page = client.get(reverse("workgroups:register_check", args=[group.code])).text
    return KEY_RE.search(page).group(1)


@pytest.mark.django_db
def test_two_posts_of_the_check_step_make_one_registration(
    client, group, schools, teacher, mailoutbox
):
    client.login(email=teacher.email, password=PASSWORD)
    key = _to_check(client, group, schools[0])
    url = reverse("workgroups:register_check", args=[group.code])
    first = client.post(url, {"submission_key": key})
    second = client.post(url, {"submission_key": key})
    reg = Registration.objects.get(user=teacher)
    confirmation = reverse("workgroups:confirmation", args=[reg.reference])
    assert first.url == second.url == confirmation
    assert "Registration received" in client.get(second.url).text
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_another_person_cannot_use_someone_elses_key(client, group, schools, teacher):
    client.login(email=teacher.email, password=PASSWORD)
    key = _to_check(client, group, schools[0])
    client.post(reverse("workgroups:register_check", args=[group.code]), {"submission_key": key})
    other = Client()
    other.login(email=UserFactory().email, password=PASSWORD)
    response = other.post(
        reverse("workgroups:register_check", args=[group.code]), {"submission_key": key}
    )
    # Not shown the first person's registration: they have not chosen a school yet.
    assert response.url == reverse("workgroups:register_school", args=[group.code])
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_accepting_an_offer_twice_confirms_once_and_says_so_both_times(
    client, hub, project, schools, mailoutbox
):
    today = timezone.localdate()  # the view accepts as of today: the offer must be open now
    group = make_group(project, code="WG-OFFER", capacity=1)
    first = services.registration_create(
        group_id=group.pk,
        user=UserFactory(),
        school_id=schools[0].pk,
        role_at_school="T",
        today=today,
    )
    person = UserFactory(email="waiting@example.org")
    waiting = services.registration_create(
        group_id=group.pk, user=person, school_id=schools[1].pk, role_at_school="T", today=today
    )
    services.registration_withdraw(registration_id=first.pk, actor=first.user, today=today)
    waiting.refresh_from_db()
    assert waiting.status == RegStatus.OFFERED
    client.login(email=person.email, password=PASSWORD)
    page = client.get(reverse("workgroups:mine")).text
    key = KEY_RE.search(page).group(1)
    mailoutbox.clear()
    url = reverse("workgroups:accept_offer", args=[waiting.pk])
    for _ in range(2):
        response = client.post(url, {"submission_key": key}, follow=True)
        assert "You have accepted the place in WG-OFFER" in response.text
        assert "no longer open" not in response.text
    waiting.refresh_from_db()
    assert waiting.status == RegStatus.CONFIRMED
    assert len(mailoutbox) == 1
    # Without the page's key (an old page) a second click is told plainly.
    response = client.post(url, follow=True)
    assert "This offer is no longer open." in response.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_posts_of_the_check_step_make_one_registration(group, schools, teacher):
    client = Client()
    client.login(email=teacher.email, password=PASSWORD)
    key = _to_check(client, group, schools[0])
    cookie = client.cookies["sessionid"].value
    url = reverse("workgroups:register_check", args=[group.code])
    barrier = threading.Barrier(5)
    urls: list[str] = []
    errors: list[BaseException] = []

    def post():
        c = Client()
        c.cookies["sessionid"] = cookie
        try:
            barrier.wait()
            urls.append(c.post(url, {"submission_key": key}).url)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    reg = Registration.objects.get(user=teacher)
    assert urls == [reverse("workgroups:confirmation", args=[reg.reference])] * 5
