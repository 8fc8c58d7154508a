"""Keep track of each user's sessions, and end them the moment the account is deactivated.

A receiver rather than a service because an account is deactivated from the Django admin's own form,
and every path must end the sessions, not just ours.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save

from accounts import services
from accounts.models import SignInSession


def _remember(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    services.session_remember(user=user, session_key=request.session.session_key)


def _forget(sender, request, user, **kwargs):
    if user is not None and request is not None and request.session.session_key:
        SignInSession.objects.filter(user=user, session_key=request.session.session_key).delete()


def _note_deactivation(sender, instance, update_fields=None, **kwargs):
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        instance._was_active = False  # not a deactivation: no query (last_login updates, etc.)
        return
    instance._was_active = (
        bool(instance.pk) and sender.objects.filter(pk=instance.pk, is_active=True).exists()
    )


def _end_sessions_if_deactivated(sender, instance, created, **kwargs):
    # At once, not on commit: should the save roll back, the sessions are gone all the same, which errs
    # on the safe side.
    if getattr(instance, "_was_active", False) and not instance.is_active:
        services.sessions_end_for(user=instance)


def connect() -> None:
    User = get_user_model()
    user_logged_in.connect(_remember, dispatch_uid="accounts-remember-session")
    user_logged_out.connect(_forget, dispatch_uid="accounts-forget-session")
    pre_save.connect(_note_deactivation, sender=User, dispatch_uid="accounts-note-deactivation")
    post_save.connect(_end_sessions_if_deactivated, sender=User, dispatch_uid="accounts-end-sessions")
