"""Second person: an administrator asks, a supervisor approves; nobody but a superuser touches the accounts
of supervisors, administrators and superusers (issue 21's admin-role attack)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import AccountChangeRequest
from cases.models import AuditEvent, Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Plum-river-lantern-42"


def _change_form_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(g.pk) for g in user.groups.all()],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def newcomer(db):
    return make_user("newcomer", None, first_name="新", last_name="陳")


@pytest.fixture
def supervisor2(db):
    return make_user("supervisor2", "supervisor", first_name="督導", last_name="吳")


def _group(name):
    return str(Group.objects.get(name=name).pk)


class TestAdminRequests:
    def test_granting_the_supervisor_role_waits_for_a_supervisor(
        self, client, admin_user, supervisor, newcomer
    ):
        client.force_login(admin_user)
        url = reverse("admin:auth_user_change", args=[newcomer.pk])
        response = client.post(url, _change_form_data(newcomer, groups=[_group("supervisor")]))
        assert response.status_code == 302
        assert not newcomer.groups.exists()  # nothing granted yet
        change = AccountChangeRequest.objects.get(target=newcomer)
        assert change.kind == "roles" and change.roles == ["supervisor"] and change.requested_by == admin_user
        told = Notification.objects.get(recipient=supervisor)
        assert "待核准" in told.text and "newcomer" in told.text and "督導" in told.text
        assert AuditEvent.objects.filter(action="account_change_requested", target_user=newcomer).exists()

    def test_granting_staff_status_waits_for_a_supervisor(self, client, admin_user, supervisor, newcomer):
        client.force_login(admin_user)
        client.post(
            reverse("admin:auth_user_change", args=[newcomer.pk]), _change_form_data(newcomer, is_staff="on")
        )
        newcomer.refresh_from_db()
        assert newcomer.is_staff is False
        assert AccountChangeRequest.objects.filter(target=newcomer, kind="staff").exists()

    def test_setting_a_colleagues_password_waits_and_keeps_only_a_hash(
        self, client, admin_user, supervisor, newcomer
    ):
        client.force_login(admin_user)
        url = reverse("admin:auth_user_password_change", args=[newcomer.pk])
        response = client.post(
            url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        newcomer.refresh_from_db()
        assert not newcomer.check_password(NEW_PASSWORD)
        change = AccountChangeRequest.objects.get(target=newcomer, kind="password")
        assert NEW_PASSWORD not in change.password_hash and change.password_hash.startswith("md5$")
        assert not hasattr(change.history.model, "password_hash") or not change.history.exclude(
            password_hash=""
        )

    def test_a_new_account_gets_its_first_password_only_after_approval(self, client, admin_user, supervisor):
        client.force_login(admin_user)
        response = client.post(
            reverse("admin:auth_user_add"),
            {
                "username": "fresh",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "usable_password": "true",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        fresh = get_user_model().objects.get(username="fresh")
        assert not fresh.has_usable_password()
        change = AccountChangeRequest.objects.get(target=fresh, kind="password")
        services.account_change_approve(actor=supervisor, change=change)
        fresh.refresh_from_db()
        assert fresh.check_password(NEW_PASSWORD)

    def test_removing_a_role_takes_effect_at_once_and_supervisors_are_told(
        self, client, admin_user, supervisor, worker
    ):
        client.force_login(admin_user)
        client.post(reverse("admin:auth_user_change", args=[worker.pk]), _change_form_data(worker, groups=[]))
        assert not worker.groups.exists()
        assert not AccountChangeRequest.objects.exists()
        assert "直接服務組社工" in Notification.objects.get(recipient=supervisor).text

    @pytest.mark.parametrize("protected", ["supervisor", "admin", "superuser"])
    def test_no_administrator_touches_a_protected_account(self, client, admin_user, protected):
        if protected == "superuser":
            target = get_user_model().objects.create_superuser("root", password="Root-pass-for-tests-1")
        else:
            target = make_user(f"other-{protected}", protected)
        client.force_login(make_user("admin2", "admin", is_staff=True))
        change_url = reverse("admin:auth_user_change", args=[target.pk])
        assert client.post(change_url, _change_form_data(target, is_active="")).status_code == 403
        password_url = reverse("admin:auth_user_password_change", args=[target.pk])
        data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        assert client.get(password_url).status_code == 403
        assert client.post(password_url, data).status_code == 403
        target.refresh_from_db()
        assert target.is_active and not target.check_password(NEW_PASSWORD)
        assert not AccountChangeRequest.objects.exists()
        with pytest.raises(PermissionDenied):
            services.account_change_request(
                actor=admin_user, target=target, kind="password", raw_password="x"
            )

    def test_an_administrator_cannot_change_their_own_account(self, client, admin_user):
        client.force_login(admin_user)
        url = reverse("admin:auth_user_change", args=[admin_user.pk])
        html = client.get(url).content.decode()
        assert 'name="groups"' not in html and 'name="is_superuser"' not in html
        response = client.post(
            url, _change_form_data(admin_user, groups=[_group("supervisor")], is_superuser="on")
        )
        assert response.status_code == 403
        assert list(admin_user.groups.values_list("name", flat=True)) == ["admin"]


class TestSupervisorDecides:
    @pytest.fixture
    def role_request(self, admin_user, newcomer):
        return services.account_change_request(
            actor=admin_user, target=newcomer, kind="roles", roles=["social_worker"]
        )

    def test_a_supervisor_approves_and_the_role_takes_effect(
        self, client, supervisor, admin_user, role_request
    ):
        client.force_login(supervisor)
        listing = client.get(reverse("accounts:approvals")).content.decode()
        assert "newcomer" in listing and "直接服務組社工" in listing
        url = reverse("accounts:approval_decide", args=[role_request.pk])
        response = client.post(url, {"decision": "approve", "note": "到職報到"})
        assert response.status_code == 302
        newcomer = role_request.target
        assert list(newcomer.groups.values_list("name", flat=True)) == ["social_worker"]
        role_request.refresh_from_db()
        assert role_request.state == "approved" and role_request.decided_by == supervisor
        events = AuditEvent.objects.filter(target_user=newcomer).values_list("action", flat=True)
        assert {"account_change_requested", "account_change_approved"} <= set(events)
        assert Notification.objects.filter(recipient=admin_user, text__contains="已核准").exists()
        assert role_request.history.count() == 2  # asked, decided

    def test_a_rejection_needs_a_reason_and_changes_nothing(self, client, supervisor, role_request):
        client.force_login(supervisor)
        url = reverse("accounts:approval_decide", args=[role_request.pk])
        response = client.post(url, {"decision": "reject", "note": ""})
        assert response.status_code == 200 and "請說明退回的理由" in response.content.decode()
        client.post(url, {"decision": "reject", "note": "非本單位人員"})
        role_request.refresh_from_db()
        assert role_request.state == "rejected" and not role_request.target.groups.exists()

    def test_the_requester_cannot_approve_their_own_request(self, client, admin_user, newcomer):
        both = make_user("boss", "supervisor", is_staff=True)
        both.groups.add(Group.objects.get(name="admin"))
        change = services.account_change_request(actor=both, target=newcomer, kind="roles", roles=["hotline"])
        client.force_login(both)
        url = reverse("accounts:approval_decide", args=[change.pk])
        page = client.get(url).content.decode()
        assert "請由另一位督導核准" in page
        client.post(url, {"decision": "approve"})
        assert not newcomer.groups.exists()
        with pytest.raises(PermissionDenied):
            services.account_change_approve(actor=both, change=change)

    def test_an_approved_password_ends_the_sessions_of_the_account(
        self, client, supervisor, admin_user, worker
    ):
        worker_client = type(client)()
        worker_client.force_login(worker)
        from accounts.models import SignInSession

        assert SignInSession.objects.filter(user=worker).exists()
        change = services.account_change_request(
            actor=admin_user, target=worker, kind="password", raw_password=NEW_PASSWORD
        )
        services.account_change_approve(actor=supervisor, change=change)
        worker.refresh_from_db()
        assert worker.check_password(NEW_PASSWORD)
        assert worker_client.get(reverse("cases:my_cases")).status_code == 302
        change.refresh_from_db()
        assert change.password_hash == ""  # applied: not kept twice

    def test_a_decided_request_cannot_be_decided_again(self, client, supervisor, supervisor2, role_request):
        services.account_change_reject(actor=supervisor, change=role_request, note="重複申請")
        client.force_login(supervisor2)
        url = reverse("accounts:approval_decide", args=[role_request.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 404
        assert not role_request.target.groups.exists()

    def test_an_account_that_became_protected_meanwhile_is_not_changed(
        self, client, supervisor, admin_user, newcomer
    ):
        make_admin = services.account_change_request(
            actor=admin_user, target=newcomer, kind="roles", roles=["admin"]
        )
        password = services.account_change_request(
            actor=admin_user, target=newcomer, kind="password", raw_password=NEW_PASSWORD
        )
        services.account_change_approve(actor=supervisor, change=make_admin)
        client.force_login(supervisor)
        response = client.post(
            reverse("accounts:approval_decide", args=[password.pk]), {"decision": "approve"}
        )
        assert response.status_code == 200 and "只有超級使用者可以變更" in response.content.decode()
        newcomer.refresh_from_db()
        assert not newcomer.check_password(NEW_PASSWORD)
