"""Audit events (issue 21): sign-ins, sign-outs and failed sign-ins are recorded; record_event is the kit."""

import pytest
from django.urls import reverse

from cases.audit import action_label, record_event, register_action
from cases.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_sign_in_and_a_sign_out_are_audit_events(client, worker):
    worker.set_password("a-long-password-1")
    worker.save()
    client.post(reverse("login"), {"username": "worker", "password": "a-long-password-1"})
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=worker).order_by("id").values_list("action", flat=True))
    assert actions == ["login", "logout"]
    assert AuditEvent.objects.get(action="login").ip_address == "127.0.0.1"


def test_a_failed_sign_in_keeps_the_typed_name_and_never_the_password(client, worker):
    client.post(reverse("login"), {"username": "worker", "password": "wrong-password-xyz"})
    client.post(reverse("login"), {"username": "no-such-account", "password": "wrong-password-xyz"})
    events = AuditEvent.objects.filter(action="login_failed").order_by("id")
    assert [e.username for e in events] == ["worker", "no-such-account"]
    assert all(e.actor is None for e in events)
    assert not AuditEvent.objects.filter(detail__contains="wrong-password").exists()


def test_record_event_is_the_kit_other_apps_call(supervisor, worker):
    register_action("role_change_approved", "核准角色變更")
    event = record_event(
        actor=supervisor, action="role_change_approved", target_user=worker, detail="同意加入直接服務組"
    )
    event.refresh_from_db()
    assert (event.actor, event.target_user, event.detail) == (supervisor, worker, "同意加入直接服務組")
    assert action_label("role_change_approved") == "核准角色變更"
