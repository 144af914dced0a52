"""Public pages: catalogue, group page, registering, My Work Groups, certificates."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from workgroups import services
from workgroups.models import Attendance, Format, Registration, RegStatus

from .conftest import make_group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 50])
def test_catalogue_query_count_flat(client, hub, project, n, django_assert_max_num_queries):
    for i in range(n):
        make_group(project, code=f"WG-{i:03}", sessions=3)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("workgroups:index"))
    assert response.status_code == 200
    assert "WG-000" in response.text or "Fictional group WG-000" in response.text


def test_catalogue_filters_and_places(client, hub, project, schools, today):
    online = make_group(project, code="WG-ON", format=Format.ONLINE, capacity=1)
    make_group(project, code="WG-SEC", phases=",secondary,")
    services.registration_create(
        group_id=online.pk,
        user=UserFactory(),
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    page = client.get(reverse("workgroups:index"), {"format": "online"}).text
    assert "Fictional group WG-ON" in page and "WG-SEC" not in page
    assert "Full: waiting list" in page
    page = client.get(reverse("workgroups:index"), {"phase": "secondary"}).text
    assert "WG-SEC" in page and "WG-ON" not in page
    # Bad filter input is a clear page, not an error.
    assert (
        client.get(reverse("workgroups:index"), {"phase": "nonsense", "page": "x"}).status_code
        == 200
    )


def test_anonymous_cache_invalidated_when_places_change(client, hub, project, schools, today):
    group = make_group(project, code="WG-C", capacity=1)
    url = reverse("workgroups:detail", args=[group.code])
    assert "1 of 1 schools" in client.get(url).text
    services.registration_create(
        group_id=group.pk,
        user=UserFactory(),
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    assert "None: new schools join the waiting list" in client.get(url).text
    group.title = "Renamed fictional group"
    group.save()
    assert "Renamed fictional group" in client.get(reverse("workgroups:index")).text


def test_draft_group_is_not_found(client, hub, project):
    group = make_group(project, code="WG-D", status="draft")
    assert client.get(reverse("workgroups:detail", args=[group.code])).status_code == 404


def test_register_flow(client, group, schools, teacher, mailoutbox):
    client.login(email=teacher.email, password=PASSWORD)
    url = reverse("workgroups:register_school", args=[group.code])
    page = client.get(url, {"q": str(schools[0].urn)})
    assert schools[0].name in page.text
    response = client.post(url + f"?q={schools[0].urn}", {})
    assert "Choose your school from the list." in response.text
    response = client.post(url + f"?q={schools[0].urn}", {"school": schools[0].pk})
    assert response.status_code == 302
    response = client.post(
        reverse("workgroups:register_details", args=[group.code]), {"role_at_school": ""}
    )
    assert "Enter your role at the school." in response.text
    assert "Confirm that you have read the privacy notice." in response.text
    client.post(
        reverse("workgroups:register_details", args=[group.code]),
        {"role_at_school": "Maths lead", "accept_privacy": "on"},
    )
    check = client.get(reverse("workgroups:register_check", args=[group.code]))
    assert "Maths lead" in check.text and schools[0].name in check.text
    response = client.post(reverse("workgroups:register_check", args=[group.code]))
    reg = Registration.objects.get(user=teacher)
    assert response.url == reverse("workgroups:confirmation", args=[reg.reference])
    page = client.get(response.url).text
    assert reg.reference in page and "Invite a colleague" in page
    assert len(mailoutbox) == 1
    mine = client.get(reverse("workgroups:mine")).text
    assert group.code in mine and "Confirmed" in mine
    client.post(reverse("workgroups:withdraw", args=[reg.pk]))
    reg.refresh_from_db()
    assert reg.status == RegStatus.WITHDRAWN


def test_ineligible_school_sees_plain_reason(client, hub, project, teacher):
    from tests.factories import SchoolFactory

    group = make_group(project, code="WG-AR", recruitment="area")
    outside = SchoolFactory(la_code="999", la_name="Fictionshire")
    client.login(email=teacher.email, password=PASSWORD)
    url = reverse("workgroups:register_school", args=[group.code]) + f"?q={outside.urn}"
    page = client.post(url, {"school": outside.pk}).text
    assert "cannot register" in page and "Fictionshire is outside it" in page


def test_cannot_see_someone_elses_registration(client, group, schools, teacher, today):
    reg = services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    other = UserFactory()
    client.login(email=other.email, password=PASSWORD)
    assert client.get(reverse("workgroups:confirmation", args=[reg.reference])).status_code == 404
    assert client.post(reverse("workgroups:withdraw", args=[reg.pk])).status_code == 404


def test_certificate_for_completers_only(
    client, group, schools, teacher, lead, today, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    reg = services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    client.login(email=teacher.email, password=PASSWORD)
    assert client.get(reverse("workgroups:certificate", args=[reg.pk])).status_code == 404
    for session in group.sessions.all()[:2]:
        Attendance.objects.create(session=session, registration=reg, status="present")
    assert services.work_group_complete(group_id=group.pk, actor=lead) == 1
    assert "Download certificate" in client.get(reverse("workgroups:mine")).text
    response = client.get(reverse("workgroups:certificate", args=[reg.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Certificate of participation" in text
    assert "Alex Fictional" in text and "Sessions attended: 2 of 3" in text


def test_evaluation_survey(client, group, schools, teacher, today):
    reg = services.registration_create(
        group_id=group.pk,
        user=teacher,
        school_id=schools[0].pk,
        role_at_school="Teacher",
        today=today,
    )
    client.login(email=teacher.email, password=PASSWORD)
    url = reverse("workgroups:evaluation", args=[reg.pk])
    assert "Choose how much impact it had." in client.post(url, {}).text
    client.post(
        url,
        {
            "professional_learning": 5,
            "practice_development": 4,
            "whole_school": 3,
            "pupil_outcomes": 4,
            "comments": "Useful.",
        },
    )
    assert reg.evaluation.pupil_outcomes == 4


@pytest.mark.parametrize("n", [1, 50])
def test_my_work_groups_query_count(
    client, hub, project, teacher, schools, n, today, django_assert_max_num_queries
):
    for i in range(n):
        group = make_group(project, code=f"WG-M{i:03}", sessions=3)
        services.registration_create(
            group_id=group.pk,
            user=teacher,
            school_id=schools[0].pk,
            role_at_school="Teacher",
            today=today,
        )
    client.login(email=teacher.email, password=PASSWORD)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("workgroups:mine"))
    assert page.text.count("Withdraw<span") == n


def _register(group, school, user, today) -> Registration:
    return services.registration_create(
        group_id=group.pk, user=user, school_id=school.pk, role_at_school="Teacher", today=today
    )


def test_withdrawing_asks_first_and_a_second_post_withdraws_nothing_more(
    client, hub, project, schools, teacher, today, mailoutbox
):
    group = make_group(project, code="WG-W", capacity=1)
    reg = _register(group, schools[0], teacher, today)
    waiting = _register(group, schools[1], UserFactory(), today)
    client.login(email=teacher.email, password=PASSWORD)
    url = reverse("workgroups:withdraw", args=[reg.pk])
    mine = client.get(reverse("workgroups:mine")).text
    assert f'href="{url}"' in mine and f'action="{url}"' not in mine  # a link to the question
    page = client.get(url)
    assert "Are you sure you want to withdraw from Fictional group WG-W?" in page.text
    assert "goes to the next school on the waiting list" in page.text
    assert "We will email alex@example.org to confirm." in page.text
    reg.refresh_from_db()
    assert reg.status == RegStatus.CONFIRMED  # asking changes nothing
    mailoutbox.clear()

    first = client.post(url, follow=True)
    assert "You have withdrawn from WG-W." in first.text
    second = client.post(url, follow=True)  # a double click, a reload
    assert "You have withdrawn from WG-W." in second.text
    assert "not possible now" not in second.text
    reg.refresh_from_db()
    waiting.refresh_from_db()
    assert reg.status == RegStatus.WITHDRAWN and waiting.status == RegStatus.OFFERED
    assert [m.to for m in mailoutbox if "withdrawn" in m.subject] == [[teacher.email]]
    # Once withdrawn there is nothing to ask: the link is gone and the question sends you back.
    assert f'href="{url}"' not in client.get(reverse("workgroups:mine")).text
    assert client.get(url).url == reverse("workgroups:mine")


def test_leaving_the_waiting_list_says_so(client, hub, project, schools, teacher, today):
    group = make_group(project, code="WG-L", capacity=1)
    _register(group, schools[1], UserFactory(), today)
    reg = _register(group, schools[0], teacher, today)
    assert reg.status == RegStatus.WAITING
    client.login(email=teacher.email, password=PASSWORD)
    page = client.get(reverse("workgroups:withdraw", args=[reg.pk])).text
    assert "You will leave the waiting list for WG-L." in page
    assert "next school" not in page


def test_a_completed_place_cannot_be_withdrawn(client, group, schools, teacher, today):
    reg = _register(group, schools[0], teacher, today)
    Registration.objects.filter(pk=reg.pk).update(status=RegStatus.COMPLETED)
    client.login(email=teacher.email, password=PASSWORD)
    url = reverse("workgroups:withdraw", args=[reg.pk])
    assert client.get(url).url == reverse("workgroups:mine")
    refused = client.post(url, follow=True).text
    assert "You have withdrawn" not in refused and "not possible now" in refused
    reg.refresh_from_db()
    assert reg.status == RegStatus.COMPLETED
