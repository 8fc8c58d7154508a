import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from cases.models import Case, Deadline, Intake

pytestmark = pytest.mark.django_db


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Case.objects.exists()


def test_creates_the_demo_users_and_cases_in_several_states(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("seed_demo")
    for username, group in [
        ("hotline", "hotline"),
        ("worker", "social_worker"),
        ("worker2", "social_worker"),
        ("police", "police"),
        ("supervisor", "supervisor"),
        ("admin", "admin"),
    ]:
        # A request, as django-axes needs one to count failures (the login page always passes it).
        user = authenticate(RequestFactory().post("/login/"), username=username, password="a-demo-password")
        assert user is not None, username
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert set(Case.objects.values_list("status", flat=True)) >= {Case.Status.NEW, Case.Status.ASSIGNED}
    assert Intake.objects.filter(status=Intake.Status.PENDING).exists()
    assert Case.objects.filter(assigned_worker__username="worker").exists()
    case = Case.objects.first()
    assert case.get_absolute_url() == f"/cases/{case.pk}/"
    # Satellites add their own demo records (legal/demo.py): running periods show on the dashboards.
    kinds = set(Deadline.objects.filter(state=Deadline.State.OPEN).values_list("kind", flat=True))
    assert {Deadline.Kind.COMPLAINT, Deadline.Kind.LIMITATION, Deadline.Kind.ACCUSATION} <= kinds


def test_running_twice_adds_no_second_set_of_cases(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("seed_demo")
    count = Case.objects.count()
    call_command("seed_demo")
    assert Case.objects.count() == count


def test_the_demo_has_a_record_of_every_kind_the_app_keeps(settings):
    """Every model of every app has demo rows, so a newcomer (and a crawl of the pages) meets each feature.
    The read log holds only the demo's break-glass grants (緊急調閱：開始): opening a page writes the rest."""
    from django.apps import apps

    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("seed_demo")
    ours = ("cases", "referrals", "legal", "services", "evidence", "takedown", "safety", "accounts")
    empty = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in ours
        and not model.__name__.startswith("Historical")
        and not model.objects.exists()
    ]
    # Signing in writes a SignInSession as opening a page writes the read log; posting a form writes its
    # FormSubmission claim, and an expired session its FormDraft: both are swept within a day, so a demo
    # row would be gone before a newcomer met it.
    assert sorted(empty) == ["accounts.SignInSession", "cases.FormDraft", "cases.FormSubmission"]


def test_the_demo_shows_the_sign_in_side(settings):
    """A pending account change for a supervisor to decide, a decided one, an enrolled authenticator and a
    passkey with recovery codes, and a lockout to lift (a mistyped name from a documentation address)."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    from accounts.models import AccountChangeRequest

    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("seed_demo")
    states = set(AccountChangeRequest.objects.values_list("state", flat=True))
    assert {AccountChangeRequest.State.PENDING, AccountChangeRequest.State.APPROVED} <= states
    assert TOTPDevice.objects.filter(user__username="worker2", confirmed=True).exists()
    assert WebAuthnCredential.objects.filter(user__username="worker2", confirmed=True).exists()
    assert StaticToken.objects.filter(device__user__username="worker2").count() == 10
    assert AccessAttempt.objects.filter(username="wroker", failures_since_start__gte=5).exists()
    # The demo accounts still sign in with the password alone while DEBUG leaves two-factor off.
    assert not TOTPDevice.objects.filter(user__username__in=["hotline", "worker", "supervisor"]).exists()


def test_the_demo_shows_oversight(settings):
    """A break-glass grant awaiting a supervisor, an acknowledged one, and the waiting intakes alerted."""
    from cases.models import BreakGlassGrant, IntakeAlert

    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("seed_demo")
    reviews = set(BreakGlassGrant.objects.values_list("review", flat=True))
    assert reviews == {BreakGlassGrant.Review.PENDING, BreakGlassGrant.Review.ACKNOWLEDGED}
    assert IntakeAlert.objects.filter(intake__status=Intake.Status.PENDING).exists()
