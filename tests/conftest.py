"""Named role users, one per role, plus a second of each where own/other matters."""

import pytest

from cases.roles import Role
from tests.factories import make_case, make_referral, make_user


@pytest.fixture
def hotline(db):
    return make_user("hotline", Role.HOTLINE, first_name="專線", last_name="林")


@pytest.fixture
def worker(db):
    return make_user("worker", Role.SOCIAL_WORKER, first_name="社工", last_name="陳")


@pytest.fixture
def worker2(db):
    return make_user("worker2", Role.SOCIAL_WORKER, first_name="社工", last_name="王")


@pytest.fixture
def police(db):
    return make_user("police", Role.POLICE, first_name="警員", last_name="張")


@pytest.fixture
def police2(db):
    return make_user("police2", Role.POLICE, first_name="警員", last_name="吳")


@pytest.fixture
def supervisor(db):
    return make_user("supervisor", Role.SUPERVISOR, first_name="督導", last_name="李")


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMIN, is_staff=True)


@pytest.fixture
def no_role_user(db):
    return make_user("nobody", None)


@pytest.fixture
def case_of_worker(hotline, worker):
    """A case dispatched to `worker`."""
    return make_case(actor=hotline, worker=worker)


@pytest.fixture
def case_of_worker2(hotline, worker2):
    return make_case(actor=hotline, worker=worker2)


@pytest.fixture
def referral_of_police(police):
    return make_referral(police=police)


@pytest.fixture
def referral_of_police2(police2):
    return make_referral(police=police2)


# Fixtures of the apps' access-matrix rows (tests/access/<app>.py), for tests/test_access_matrix.py.
from tests.access.audit import *  # noqa: E402,F403
from tests.access.breakglass import *  # noqa: E402,F403
from tests.access.evidence import *  # noqa: E402,F403
from tests.access.forms import *  # noqa: E402,F403
from tests.access.legal_more import *  # noqa: E402,F403
from tests.access.safety import *  # noqa: E402,F403
from tests.access.services import *  # noqa: E402,F403
from tests.access.signin import *  # noqa: E402,F403
from tests.access.takedown import *  # noqa: E402,F403
