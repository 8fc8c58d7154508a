"""The admin role manages accounts but cannot widen its own access; role changes reach supervisors.

The second-person rule for granting roles, staff status and passwords is in tests/accounts/test_approvals.py.
"""

import pytest
from django.contrib.auth.models import Group

from accounts.models import AccountChangeRequest
from cases.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _change_form_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(g.pk) for g in user.groups.all()],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_cannot_give_itself_a_role_or_superuser(client, admin_user, supervisor):
    client.force_login(admin_user)
    url = f"/admin/auth/user/{admin_user.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="groups"' not in html and 'name="is_superuser"' not in html
    supervisor_group = Group.objects.get(name="supervisor")
    client.post(url, _change_form_data(admin_user, groups=[str(supervisor_group.pk)], is_superuser="on"))
    admin_user.refresh_from_db()
    assert list(admin_user.groups.values_list("name", flat=True)) == ["admin"]
    assert admin_user.is_superuser is False


def test_admin_asks_for_a_colleagues_role_and_supervisors_are_told(client, admin_user, supervisor):
    newcomer = make_user("newcomer", None, first_name="新", last_name="陳")
    client.force_login(admin_user)
    url = f"/admin/auth/user/{newcomer.pk}/change/"
    worker_group = Group.objects.get(name="social_worker")
    response = client.post(url, _change_form_data(newcomer, groups=[str(worker_group.pk)], is_superuser="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer.refresh_from_db()
    assert not newcomer.groups.exists()  # a supervisor approves first
    assert AccountChangeRequest.objects.get(target=newcomer).roles == ["social_worker"]
    assert newcomer.is_superuser is False  # not the admin role's to grant
    told = Notification.objects.get(recipient=supervisor, kind=Notification.Kind.SYSTEM)
    assert "newcomer" in told.text and "直接服務組社工" in told.text and "待核准" in told.text
