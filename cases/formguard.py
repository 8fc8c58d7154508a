"""Forms never lose work (issue 18): one-time form tokens and drafts kept across an expired session.

- Every POST form carries `{% form_guard %}`, a random token. `FormGuardMiddleware` claims it with a
  unique row before the view runs; a second post of the same token does not run the view again but
  goes where the first one went. A form re-displayed with errors releases its token.
- A form posted after the idle timeout is kept here, encrypted with the field keys, bound to the user
  and the form's page, for FORM_DRAFT_MINUTES; signing in again takes it back once (`draft_take`).
  `sweep()` (Celery beat, `cases.tasks.forms_sweep`) deletes what nobody came back for.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from cases.models import FormDraft, FormSubmission

TOKEN_FIELD = "form_guard"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

# A claimed token is remembered this long (a duplicate arrives within seconds; a resent old page later).
SUBMISSION_KEEP = dt.timedelta(days=1)
# A duplicate that arrives while the first post still runs waits this long for its outcome.
WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.1

RELEASED = "released"  # the first post re-displayed its form: the token may be used again
# A claim neither completed nor released after this long belongs to a post that died with its request
# (a database outage left the release undone; gunicorn ends a request after 30 s): a resend may take it
# over, or the person would be told 「處理中」 about a form that was never saved.
STALE_CLAIM = dt.timedelta(minutes=2)

# Never kept in a draft: tokens, and anything that looks like a secret.
_SKIPPED_FIELDS = {"csrfmiddlewaretoken", TOKEN_FIELD}
_SECRET_WORDS = ("password", "passwd", "secret", "otp", "token")
_MAX_FIELDS = 300
_MAX_VALUE_CHARS = 20_000


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_is_valid(token: str) -> bool:
    return bool(_TOKEN_RE.match(token or ""))


# --- the one-time token ------------------------------------------------------------------------------


def submission_claim(*, token: str, user, path: str) -> FormSubmission | None:
    """Claim the token with one INSERT; None when someone already holds it (unique on token)."""
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user=user, path=path[:300])
    except IntegrityError:
        return None


def submission_complete(*, submission: FormSubmission, location: str) -> None:
    FormSubmission.objects.filter(pk=submission.pk).update(
        location=location[:1000], completed_at=timezone.now()
    )


def submission_release(*, submission: FormSubmission) -> None:
    FormSubmission.objects.filter(pk=submission.pk).delete()


def submission_outcome(*, token: str, user, wait: float = WAIT_SECONDS) -> str | None:
    """Where the first post of this token went; RELEASED when it was given back; None if still running.

    Polls the row: the first post commits its claim before its view runs and records its redirect after,
    in whichever web process it ran.
    """
    deadline = time.monotonic() + wait
    while True:
        row = (
            FormSubmission.objects.filter(token=token)
            .values("pk", "user_id", "location", "completed_at", "created_at")
            .first()
        )
        if row is None:
            return RELEASED
        if row["completed_at"] is not None:
            # Another user's token (never expected: tokens are random) reveals nothing of where it led.
            return row["location"] if row["user_id"] == user.pk else ""
        if row["user_id"] == user.pk and row["created_at"] <= timezone.now() - STALE_CLAIM:
            # Deleted by its id and still open: of two resends racing here, one claims afresh.
            FormSubmission.objects.filter(pk=row["pk"], completed_at__isnull=True).delete()
            return RELEASED
        if time.monotonic() >= deadline:
            return None
        time.sleep(_POLL_SECONDS)


# --- drafts --------------------------------------------------------------------------------------------


def _keepable(name: str) -> bool:
    lowered = name.lower()
    return name not in _SKIPPED_FIELDS and not any(word in lowered for word in _SECRET_WORDS)


def draft_fields(data: QueryDict) -> list[list[str]]:
    """The posted fields worth keeping, in order: never tokens or passwords (files never reach a view)."""
    fields = []
    for name, values in data.lists():
        if not _keepable(name):
            continue
        for value in values:
            if len(value) <= _MAX_VALUE_CHARS:
                fields.append([name, value])
    return fields[:_MAX_FIELDS]


def draft_keep(*, user, page_path: str, action_path: str, data: QueryDict) -> FormDraft | None:
    """Keep a form posted after the session expired; None when nothing was typed."""
    fields = draft_fields(data)
    if not any(value.strip() for _, value in fields):
        return None
    now = timezone.now()
    return FormDraft.objects.create(
        user=user,
        page_path=page_path[:300],
        action_path=action_path[:300],
        fields=json.dumps(fields, ensure_ascii=False),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.FORM_DRAFT_MINUTES),
    )


def draft_take(*, draft_id: str, user) -> dict | None:
    """The draft for this user, deleted as it is read (restored once); None if gone, expired or not theirs."""
    with transaction.atomic():
        draft = FormDraft.objects.select_for_update().filter(pk=draft_id).first()
        if draft is None:
            return None
        draft.delete()
    if draft.user_id != user.pk or draft.expires_at <= timezone.now():
        return None
    return {"action": draft.action_path, "fields": json.loads(draft.fields)}


def draft_discard(*, draft_id: str) -> None:
    FormDraft.objects.filter(pk=draft_id).delete()


def sweep(*, now: dt.datetime | None = None) -> dict:
    """Delete expired drafts and old claims, whether or not anyone came back for them."""
    now = now or timezone.now()
    drafts, _ = FormDraft.objects.filter(expires_at__lte=now).delete()
    claims, _ = FormSubmission.objects.filter(created_at__lte=now - SUBMISSION_KEEP).delete()
    return {"drafts": drafts, "submissions": claims}
