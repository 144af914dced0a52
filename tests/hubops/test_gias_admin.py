"""The admin's "Import from GIAS" flow, end to end with the test client (eager Celery)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubops.models import School
from tests.conftest import DEMO_GIAS
from tests.factories import UserFactory

EIGHT = DEMO_GIAS / "gias_full_header_8_schools.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, settings, tmp_path):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_upload_imports_and_shows_result(admin_client_, django_capture_on_commit_callbacks):
    url = reverse("admin:hubops_school_import_gias")
    assert admin_client_.get(url).status_code == 200
    upload = SimpleUploadedFile("edubase.csv", EIGHT.read_bytes(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(url, {"file": upload, "la_codes": ""})
    assert response.status_code == 302
    response = admin_client_.get(response["Location"])
    assert response.status_code == 200
    assert School.objects.count() == 7
    assert "7 new" in response.content.decode()


def test_bad_file_is_a_form_error_and_changes_nothing(admin_client_):
    url = reverse("admin:hubops_school_import_gias")
    upload = SimpleUploadedFile("junk.csv", bytes(range(256)) * 4, "text/csv")
    response = admin_client_.post(url, {"file": upload})
    assert response.status_code == 200
    assert "Nothing was changed." in response.content.decode()
    assert School.objects.count() == 0
