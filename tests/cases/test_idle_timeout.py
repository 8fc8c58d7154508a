"""Idle sign-out, the warning's endpoints, and a form posted after the timeout kept as a draft (issue 18)."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import formguard, idle
from cases.models import FormDraft, Intake
from tests.cases.test_views import call_form
from tests.factories import make_intake

pytestmark = pytest.mark.django_db

CALL_URL = reverse("cases:intake_new_call")
STATUS_URL = reverse("cases:session_status")
KEEPALIVE_URL = reverse("cases:session_keepalive")
NARRATIVE = "加害人以私密影像威脅復合，被害人已保存對話截圖。"


def idle_for(client, seconds: float) -> None:
    """Pretend the last request of this browser was `seconds` ago."""
    session = client.session
    session[idle.LAST_ACTIVITY] = time.time() - seconds
    session.save()
    client.cookies.pop(idle.COOKIE, None)


def timeout() -> float:
    return idle.timeout_seconds()


def draft_json(html: str) -> dict | None:
    found = re.search(r'<script id="form-draft" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


class TestIdleSignOut:
    def test_a_request_after_the_timeout_signs_out_and_asks_to_sign_in_again_with_next(self, client, worker):
        client.force_login(worker)
        idle_for(client, timeout() + 1)
        response = client.get(reverse("cases:my_cases"))
        assert response.status_code == 302
        assert response.url == reverse("login") + "?next=" + reverse("cases:my_cases")
        assert "_auth_user_id" not in client.session
        login_page = client.get(response.url).content.decode()
        assert "為保護個案資料已自動登出" in login_page

    def test_a_request_before_the_timeout_keeps_the_session(self, client, worker):
        client.force_login(worker)
        idle_for(client, timeout() - 30)
        assert client.get(reverse("cases:my_cases")).status_code == 200

    def test_the_session_cookie_age_stays_the_absolute_limit_however_active(self, client, worker, settings):
        client.force_login(worker)
        session = client.session
        session[idle.SIGNED_IN_AT] = time.time() - settings.SESSION_COOKIE_AGE - 1
        session.save()
        response = client.get(reverse("cases:my_cases"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_pages_record_activity_in_a_signed_cookie_not_the_session_row(self, client, worker):
        client.force_login(worker)
        idle_for(client, timeout() - 30)
        before = client.session[idle.LAST_ACTIVITY]
        response = client.get(reverse("cases:my_cases"))
        assert idle.COOKIE in response.cookies
        assert client.session[idle.LAST_ACTIVITY] == before  # no session write
        assert client.get(STATUS_URL).json()["remaining"] >= timeout() - 5
        client.cookies[idle.COOKIE] = response.cookies[idle.COOKIE].value[:-2] + "xx"  # altered
        assert client.get(STATUS_URL).json()["remaining"] <= 30

    def test_an_activity_cookie_of_another_session_does_not_count(self, client, worker):
        client.force_login(worker)
        idle_for(client, timeout() - 30)
        stolen = client.get(reverse("cases:my_cases")).cookies[idle.COOKIE].value
        client.logout()
        client.force_login(worker)  # a new session
        idle_for(client, timeout() + 1)
        client.cookies[idle.COOKIE] = stolen
        assert client.get(reverse("cases:my_cases")).status_code == 302

    def test_the_timeout_is_a_setting(self, client, worker, settings):
        settings.SESSION_IDLE_TIMEOUT_MINUTES = 60
        client.force_login(worker)
        idle_for(client, 30 * 60)
        assert client.get(reverse("cases:my_cases")).status_code == 200

    def test_signed_in_pages_carry_the_warning_dialog(self, client, worker):
        client.force_login(worker)
        html = client.get(reverse("cases:my_cases")).content.decode()
        assert 'role="alertdialog"' in html and "繼續工作" in html
        assert "您已閒置一段時間，將於 <span data-idle-minutes>2</span> 分鐘後自動登出" in html
        assert f'data-timeout="{round(timeout())}"' in html


class TestSessionStatus:
    def test_asking_how_long_is_left_is_not_activity(self, client, worker):
        client.force_login(worker)
        idle_for(client, 600)
        before = client.session[idle.LAST_ACTIVITY]
        response = client.get(STATUS_URL)
        state = response.json()
        assert 0 < state["remaining"] <= timeout() - 600 + 1
        assert state["warning"] == round(idle.warning_seconds())
        assert client.session[idle.LAST_ACTIVITY] == before and idle.COOKIE not in response.cookies

    def test_after_the_timeout_it_says_so_without_signing_out_the_form_still_open(self, client, worker):
        client.force_login(worker)
        idle_for(client, timeout() + 1)
        assert client.get(STATUS_URL).json()["remaining"] == 0
        assert "_auth_user_id" in client.session  # the next real request signs out (and keeps a form)


class TestKeepAlive:
    def test_continue_working_starts_the_idle_clock_again(self, client, worker):
        client.force_login(worker)
        idle_for(client, 600)
        state = client.post(KEEPALIVE_URL).json()
        assert state["remaining"] == round(timeout())
        assert client.get(STATUS_URL).json()["remaining"] >= timeout() - 5

    def test_it_is_csrf_protected(self, worker):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(worker)
        assert browser.post(KEEPALIVE_URL).status_code == 403

    def test_after_the_timeout_it_answers_signed_out(self, client, worker):
        client.force_login(worker)
        idle_for(client, timeout() + 1)
        response = client.post(KEEPALIVE_URL)
        assert response.status_code == 401 and response.json()["signed_out"] is True
        assert "_auth_user_id" not in client.session


class TestDraftService:
    def post(self, **fields):
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        for name, value in fields.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        return data

    def test_only_typed_fields_are_kept_never_tokens_or_passwords(self, hotline):
        data = self.post(
            csrfmiddlewaretoken="c" * 64,
            form_guard=formguard.new_token(),
            password="secret-pass",
            new_password1="secret-pass",
            narrative=NARRATIVE,
            requests=["takedown", "legal"],
        )
        draft = formguard.draft_keep(user=hotline, page_path=CALL_URL, action_path=CALL_URL, data=data)
        taken = formguard.draft_take(draft_id=draft.pk, user=hotline)
        assert taken == {
            "action": CALL_URL,
            "fields": [["narrative", NARRATIVE], ["requests", "takedown"], ["requests", "legal"]],
        }

    def test_nothing_typed_keeps_nothing(self, hotline):
        data = self.post(csrfmiddlewaretoken="c" * 64, narrative="  ")
        assert formguard.draft_keep(user=hotline, page_path="/", action_path="/", data=data) is None
        assert not FormDraft.objects.exists()

    def test_the_draft_is_encrypted_at_rest(self, hotline):
        formguard.draft_keep(
            user=hotline, page_path=CALL_URL, action_path=CALL_URL, data=self.post(narrative=NARRATIVE)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT fields FROM cases_formdraft")
            (stored,) = cursor.fetchone()
        assert NARRATIVE not in stored and "narrative" not in stored

    def test_a_draft_is_restored_once_and_only_to_its_user(self, hotline, supervisor):
        keep = dict(
            user=hotline, page_path=CALL_URL, action_path=CALL_URL, data=self.post(narrative=NARRATIVE)
        )
        mine = formguard.draft_keep(**keep)
        assert formguard.draft_take(draft_id=mine.pk, user=hotline) is not None
        assert formguard.draft_take(draft_id=mine.pk, user=hotline) is None
        theirs = formguard.draft_keep(**keep)
        assert formguard.draft_take(draft_id=theirs.pk, user=supervisor) is None
        assert not FormDraft.objects.exists()  # deleted, not left for the owner either

    def test_an_expired_draft_is_not_restored(self, hotline, settings):
        draft = formguard.draft_keep(
            user=hotline, page_path=CALL_URL, action_path=CALL_URL, data=self.post(narrative=NARRATIVE)
        )
        FormDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now())
        assert formguard.draft_take(draft_id=draft.pk, user=hotline) is None

    def test_the_sweep_deletes_expired_drafts_without_anyone_visiting(self, hotline, settings):
        keep = dict(
            user=hotline, page_path=CALL_URL, action_path=CALL_URL, data=self.post(narrative=NARRATIVE)
        )
        old, fresh = formguard.draft_keep(**keep), formguard.draft_keep(**keep)
        FormDraft.objects.filter(pk=old.pk).update(expires_at=timezone.now())
        assert formguard.sweep()["drafts"] == 1
        assert list(FormDraft.objects.values_list("pk", flat=True)) == [fresh.pk]

    def test_drafts_are_kept_for_the_configured_minutes(self, hotline, settings):
        settings.FORM_DRAFT_MINUTES = 5
        draft = formguard.draft_keep(
            user=hotline, page_path=CALL_URL, action_path=CALL_URL, data=self.post(narrative=NARRATIVE)
        )
        assert (draft.expires_at - draft.created_at).total_seconds() == 300

    def test_the_sweep_runs_as_a_periodic_task(self, settings):
        from cases.tasks import forms_sweep

        assert settings.CELERY_BEAT_SCHEDULE["forms-sweep"]["task"] == forms_sweep.name


class TestFormPostedAfterTheTimeout:
    def expire_and_post(self, client, user):
        client.force_login(user)
        idle_for(client, timeout() + 1)
        return client.post(
            CALL_URL,
            call_form(narrative=NARRATIVE, form_guard=formguard.new_token()),
            HTTP_REFERER="http://testserver" + CALL_URL,
        )

    def test_the_post_is_not_saved_but_kept_and_the_user_asked_to_sign_in(self, client, hotline):
        response = self.expire_and_post(client, hotline)
        assert response.status_code == 302
        assert response.url == reverse("login") + "?next=" + CALL_URL
        assert not Intake.objects.exists()
        assert FormDraft.objects.get().user == hotline
        assert "已暫時加密保留" in client.get(response.url).content.decode()

    def test_signing_in_again_shows_the_form_with_what_was_typed(self, client, hotline):
        self.expire_and_post(client, hotline)
        client.force_login(hotline)
        html = client.get(CALL_URL).content.decode()
        draft = draft_json(html)
        assert draft["action"] == CALL_URL
        assert ["narrative", NARRATIVE] in draft["fields"]
        assert ["requests", "takedown"] in draft["fields"] and ["requests", "legal"] in draft["fields"]
        assert not any(name in ("form_guard", "csrfmiddlewaretoken") for name, _ in draft["fields"])
        assert "已還原您登出前填寫的內容，這些內容尚未儲存" in html
        assert not FormDraft.objects.exists()
        assert draft_json(client.get(CALL_URL).content.decode()) is None  # restored once

    def test_the_draft_waits_for_its_form_page(self, client, hotline):
        self.expire_and_post(client, hotline)
        client.force_login(hotline)
        assert draft_json(client.get(reverse("cases:intake_queue")).content.decode()) is None
        assert draft_json(client.get(CALL_URL).content.decode()) is not None

    def test_another_user_signing_in_on_the_same_browser_never_sees_it(self, client, hotline, supervisor):
        self.expire_and_post(client, hotline)
        client.force_login(supervisor)
        html = client.get(CALL_URL).content.decode()
        assert draft_json(html) is None and NARRATIVE not in html
        assert not FormDraft.objects.exists()

    def test_a_form_posted_from_another_page_returns_to_that_page(self, client, hotline):
        pending_intake = make_intake(actor=hotline)
        client.force_login(hotline)
        idle_for(client, timeout() + 1)
        page = reverse("cases:intake_detail", args=[pending_intake.pk])
        action = reverse("cases:intake_close", args=[pending_intake.pk])
        response = client.post(action, {"note": "被害人暫無意願"}, HTTP_REFERER="http://testserver" + page)
        assert response.url == reverse("login") + "?next=" + page
        client.force_login(hotline)
        draft = draft_json(client.get(page).content.decode())
        assert draft == {"action": action, "fields": [["note", "被害人暫無意願"]]}
