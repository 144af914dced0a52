import pytest

from tests.factories import HubFactory
from tests.reports import factories


@pytest.fixture(autouse=True)
def _no_mfa(settings, tmp_path):
    settings.HUBOPS_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def year(db):
    return factories.AcademicYearFactory()


@pytest.fixture
def author(db):
    return factories.author()


@pytest.fixture
def mhl(db):
    return factories.mhl()


@pytest.fixture
def sll(db):
    return factories.sll()


def make_running_group(year, *, schools: int, capacity: int = 6):
    """Kept for the browser journey and older callers: :func:`factories.running_group`."""
    return factories.running_group(year, schools=schools, capacity=capacity)
