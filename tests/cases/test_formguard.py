"""Forms never lose work (issue 18): a form posted twice with its one-time token is saved once."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from cases import formguard
from cases.models import FormSubmission, Intake
from cases.roles import Role, sync_role_groups
from tests.cases.test_views import call_form
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CALL_URL = reverse("cases:intake_new_call")
DUPLICATE = "這份表單已經送出過，沒有重複儲存。"


def token_in(html: str) -> str:
    return re.search(r'name="form_guard" value="([^"]+)"', html).group(1)


class TestClaims:
    def test_a_token_is_claimed_once(self, hotline):
        token = formguard.new_token()
        assert formguard.submission_claim(token=token, user=hotline, path="/x/") is not None
        assert formguard.submission_claim(token=token, user=hotline, path="/x/") is None

    def test_a_completed_claim_tells_where_the_first_post_went(self, hotline):
        token = formguard.new_token()
        claim = formguard.submission_claim(token=token, user=hotline, path="/x/")
        assert formguard.submission_outcome(token=token, user=hotline, wait=0) is None  # still running
        formguard.submission_complete(submission=claim, location="/intake/1/")
        assert formguard.submission_outcome(token=token, user=hotline, wait=0) == "/intake/1/"

    def test_another_users_duplicate_learns_nothing_of_the_location(self, hotline, supervisor):
        token = formguard.new_token()
        claim = formguard.submission_claim(token=token, user=hotline, path="/x/")
        formguard.submission_complete(submission=claim, location="/intake/1/")
        assert formguard.submission_outcome(token=token, user=supervisor, wait=0) == ""

    def test_a_released_token_can_be_claimed_again(self, hotline):
        token = formguard.new_token()
        formguard.submission_release(
            submission=formguard.submission_claim(token=token, user=hotline, path="/x/")
        )
        assert formguard.submission_outcome(token=token, user=hotline, wait=0) == formguard.RELEASED
        assert formguard.submission_claim(token=token, user=hotline, path="/x/") is not None

    def test_tokens_are_random_and_well_formed(self):
        tokens = {formguard.new_token() for _ in range(50)}
        assert len(tokens) == 50 and all(formguard.token_is_valid(t) for t in tokens)
        assert not formguard.token_is_valid("short") and not formguard.token_is_valid("x" * 30 + "<")


class TestCallFormPostedTwice:
    def test_the_form_carries_a_new_token_each_time_it_is_shown(self, client, hotline):
        client.force_login(hotline)
        first, second = (token_in(client.get(CALL_URL).content.decode()) for _ in range(2))
        assert first != second

    def test_the_same_token_twice_makes_one_intake_and_goes_where_the_first_went(self, client, hotline):
        client.force_login(hotline)
        token = token_in(client.get(CALL_URL).content.decode())
        first = client.post(CALL_URL, call_form(form_guard=token))
        second = client.post(CALL_URL, call_form(form_guard=token))
        assert Intake.objects.count() == 1
        assert first.status_code == second.status_code == 302
        assert second.url == first.url == reverse("cases:intake_detail", args=[Intake.objects.get().pk])
        assert DUPLICATE in client.get(second.url).content.decode()

    def test_a_form_shown_again_with_errors_can_be_corrected_and_sent_with_its_token(self, client, hotline):
        client.force_login(hotline)
        token = token_in(client.get(CALL_URL).content.decode())
        wrong = client.post(CALL_URL, call_form(victim_phone="0212345678", form_guard=token))
        assert wrong.status_code == 200 and not Intake.objects.exists()
        assert not FormSubmission.objects.filter(token=token).exists()  # released
        right = client.post(CALL_URL, call_form(form_guard=token))
        assert right.status_code == 302 and Intake.objects.count() == 1
        assert FormSubmission.objects.get(token=token).location == right.url

    def test_a_post_without_a_token_is_processed_as_before(self, client, hotline):
        client.force_login(hotline)
        client.post(CALL_URL, call_form())
        client.post(CALL_URL, call_form())
        assert Intake.objects.count() == 2

    def test_a_duplicate_while_the_first_still_runs_saves_nothing(self, client, hotline, monkeypatch):
        monkeypatch.setattr(formguard, "WAIT_SECONDS", 0)
        client.force_login(hotline)
        token = token_in(client.get(CALL_URL).content.decode())
        formguard.submission_claim(token=token, user=hotline, path=CALL_URL)  # the first post, not finished
        response = client.post(
            CALL_URL, call_form(form_guard=token), HTTP_REFERER="http://testserver" + CALL_URL
        )
        assert response.status_code == 302 and response.url == CALL_URL
        assert not Intake.objects.exists()
        assert "正在處理中，沒有重複儲存" in client.get(response.url).content.decode()

    def test_a_resend_after_a_post_died_unreleased_is_saved(self, client, hotline, monkeypatch):
        # A database outage can leave the claim of a post that saved nothing (its release failed too).
        monkeypatch.setattr(formguard, "WAIT_SECONDS", 0)
        client.force_login(hotline)
        token = token_in(client.get(CALL_URL).content.decode())
        claim = formguard.submission_claim(token=token, user=hotline, path=CALL_URL)
        FormSubmission.objects.filter(pk=claim.pk).update(
            created_at=claim.created_at - formguard.STALE_CLAIM - dt.timedelta(seconds=1)
        )
        response = client.post(CALL_URL, call_form(form_guard=token))
        assert response.status_code == 302 and Intake.objects.count() == 1
        assert FormSubmission.objects.get(token=token).completed_at is not None

    def test_a_stale_claim_of_another_user_is_not_taken_over(self, hotline, supervisor):
        token = formguard.new_token()
        claim = formguard.submission_claim(token=token, user=hotline, path="/x/")
        FormSubmission.objects.filter(pk=claim.pk).update(
            created_at=claim.created_at - formguard.STALE_CLAIM - dt.timedelta(seconds=1)
        )
        assert formguard.submission_outcome(token=token, user=supervisor, wait=0) is None
        assert FormSubmission.objects.filter(pk=claim.pk).exists()

    def test_sweep_forgets_old_claims(self, hotline):
        from django.utils import timezone

        claim = formguard.submission_claim(token=formguard.new_token(), user=hotline, path="/x/")
        assert formguard.sweep(now=timezone.now())["submissions"] == 0
        later = claim.created_at + formguard.SUBMISSION_KEEP
        assert formguard.sweep(now=later)["submissions"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_token_make_one_intake():
    """Two requests at once, each on its own database connection (run with DATABASE_URL=postgres://…
    for PostgreSQL): one claims the token and saves, the other waits for it and follows its redirect."""
    sync_role_groups()  # transactional tests start from flushed tables
    hotline = make_user("hotline", Role.HOTLINE)
    token = formguard.new_token()
    start = threading.Barrier(2)
    responses, errors = [], []

    def post():
        try:
            browser = Client()
            browser.force_login(hotline)
            start.wait()
            responses.append(browser.post(CALL_URL, call_form(form_guard=token)))
        except Exception as exc:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Intake.objects.count() == 1
    intake_url = reverse("cases:intake_detail", args=[Intake.objects.get().pk])
    assert [(r.status_code, r.url) for r in responses] == [(302, intake_url), (302, intake_url)]
