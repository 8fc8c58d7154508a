"""Nothing leaks sideways (issue 21): no page stays in the browser's cache, error pages say nothing about
the request, and a whole journey through the demo writes no victim's name, phone or ID to a log or a URL.
"""

from __future__ import annotations

import logging
import re
import uuid

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.views import defaults

from tests.factories import make_user

# --- Cache-Control: no-store on every page a signed-in user gets ------------------------------------

_SAMPLES = {UUIDConverter: str(uuid.uuid4()), IntConverter: "1", SlugConverter: "x", StringConverter: "x"}
# Regex groups of the admin's own patterns, by name.
_REGEX_SAMPLES = {"app_label": "cases", "object_id": "1", "content_type_id": "1", "id": "1"}


def _all_urls(patterns=None, prefix: str = "", namespace: str = ""):
    """(name, path) for every named URL the project serves, the admin site included."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _all_urls(entry.url_patterns, prefix, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            converters = getattr(entry.pattern, "converters", {})
            kwargs = {}
            for group in entry.pattern.regex.groupindex:
                converter = converters.get(group)
                if converter is not None:
                    kwargs[group] = (
                        _SAMPLES.get(type(converter), "x")
                        if not isinstance(converter, PathConverter)
                        else "x"
                    )
                else:
                    kwargs[group] = _REGEX_SAMPLES.get(group, "x")
            # simple-history's admin pages use positional groups: (object id, history id).
            args = ["1"] * entry.pattern.regex.groups if not kwargs else []
            try:
                yield name, reverse(name, args=args) if args else reverse(name, kwargs=kwargs)
            except Exception:  # an admin regex that takes none of the samples: listed, then refused below
                yield name, None


@pytest.mark.django_db
def test_every_url_sends_no_store_to_a_signed_in_user(client):
    """Each named URL, called with sample arguments by a superuser (who passes every permission check):
    whatever the answer (200, 302, 403, 404, 405), the browser is told not to keep it."""
    client.force_login(make_user("root", None, is_staff=True, is_superuser=True))
    client.raise_request_exception = False  # a refusal or an error is a response too, and needs the header
    urls = list(_all_urls())
    unresolved = sorted(name for name, path in urls if path is None)
    assert unresolved == [], "give these URL names sample arguments"
    names = {name for name, _ in urls}
    assert {"cases:detail", "cases:summary_pdf", "admin:index", "admin:auth_user_changelist"} <= names
    missing = []
    for name, path in urls:
        response = client.get(path)
        if "no-store" not in response.get("Cache-Control", ""):
            missing.append((name, response.status_code))
    assert missing == []


@pytest.mark.django_db
def test_a_case_summary_pdf_is_not_stored(client, supervisor, case_of_worker):
    client.force_login(supervisor)
    response = client.get(reverse("cases:summary_pdf", args=[case_of_worker.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_admin_is_not_stored(client):
    client.force_login(make_user("root", None, is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


# --- Error pages with DEBUG off: zh-Hant, generic ---------------------------------------------------


def test_500_page_is_zh_hant_generic_and_needs_no_database(django_db_blocker):
    """Django renders 500.html without the request; the failing part may be the database itself."""
    request = RequestFactory().get("/cases/?q=陳怡君")
    with django_db_blocker.block():
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert 'lang="zh-Hant"' in html and "系統發生錯誤" in html
    assert "陳怡君" not in html and "Traceback" not in html and "Server Error" not in html


def test_400_page_is_zh_hant_and_generic(django_db_blocker):
    with django_db_blocker.block():
        response = defaults.bad_request(RequestFactory().get("/?q=0912345678"), Exception("0912345678"))
    html = response.content.decode()
    assert response.status_code == 400 and 'lang="zh-Hant"' in html
    assert "0912345678" not in html and "Bad Request" not in html


@pytest.mark.django_db
def test_404_page_is_zh_hant_and_does_not_echo_the_request(client, worker):
    client.force_login(worker)
    response = client.get("/no-such-page/王小美/?phone=0912345678")
    html = response.content.decode()
    assert response.status_code == 404 and 'lang="zh-Hant"' in html and "找不到這個頁面" in html
    assert "王小美" not in html and "0912345678" not in html and "Not Found" not in html


@pytest.mark.django_db
def test_403_page_is_zh_hant(client, police):
    client.force_login(police)
    response = client.get(reverse("cases:intake_queue"))
    html = response.content.decode()
    assert response.status_code == 403 and 'lang="zh-Hant"' in html and "沒有權限" in html


@pytest.mark.django_db
def test_csrf_failure_page_is_zh_hant(worker, case_of_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    response = client.post(reverse("cases:contact_new", args=[case_of_worker.pk]), {})
    html = response.content.decode()
    assert response.status_code == 403 and 'lang="zh-Hant"' in html and "頁面已過期" in html
    assert "CSRF" not in html


# --- A whole journey writes no victim's identity to a log or a URL ---------------------------------


class _Everything(logging.Handler):
    """Every record of every logger, formatted as a handler in production would."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {text}")


def _identities() -> set[str]:
    """Every demo victim's name, phone (as typed in any common way) and national ID, decrypted."""
    from cases.models import Intake, Victim

    found: set[str] = set()
    for name, phone, nid in Victim.objects.values_list("name", "phone", "national_id"):
        found |= {name, nid, phone}
    for name, phone, nid, caller in Intake.objects.values_list(
        "victim_name", "victim_phone", "victim_national_id", "caller_name"
    ):
        found |= {name, nid, phone, caller}
    variants = set()
    for value in found:
        digits = re.sub(r"\D", "", value or "")
        if len(digits) == 10 and digits.startswith("09"):
            variants |= {digits, f"{digits[:4]}-{digits[4:7]}-{digits[7:]}", digits[1:]}
    return {v for v in found | variants if v and len(v) >= 2}


_LINK = re.compile(r'(?:href|action|src)="([^"]+)"')


@pytest.mark.django_db
def test_a_whole_journey_leaves_no_victim_identity_in_logs_or_urls(settings, client):
    from cases.models import Case, Intake, Victim
    from cases.sms import outbox

    handler = _Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    urls: list[str] = []
    try:
        # intake → case → dispatch → contacts → legal, evidence, takedown, safety, services records → SMS,
        # each through the real services (the demo data of every app), then the pages staff open.
        settings.DEBUG = True
        settings.DEMO_PASSWORD = "a-demo-password"
        call_command("seed_demo")
        settings.DEBUG = False
        outbox.sms_sweep()
        from django.contrib.auth import get_user_model

        users = {u.username: u for u in get_user_model().objects.all()}

        def visit(path, data=None):
            response = client.post(path, data) if data is not None else client.get(path)
            urls.append(path)
            if response.get("Location"):
                urls.append(response["Location"])
            if "html" in response.get("Content-Type", ""):
                urls.extend(_LINK.findall(response.content.decode()))
            return response

        client.force_login(users["supervisor"])
        for case in Case.objects.all():
            for name in ("cases:detail", "cases:timeline", "cases:summary_pdf"):
                visit(reverse(name, args=[case.pk]))
        for intake in Intake.objects.all():
            visit(reverse("cases:intake_detail", args=[intake.pk]))
        for name in ("cases:overview", "cases:intake_queue", "cases:my_cases", "cases:deadlines"):
            visit(reverse(name))
        for victim in Victim.objects.all()[:3]:
            for term in (victim.name, victim.phone, victim.national_id):
                if term:
                    visit(reverse("cases:search"), {"q": term})
        client.force_login(users["worker2"])
        other = Case.objects.exclude(assigned_worker=users["worker2"]).first()
        visit(reverse("cases:detail", args=[other.pk]))  # a 404 with the break-glass form
        visit(reverse("cases:sms_delivery_report") + "?msgid=1&statuscode=4")  # refused: no secret
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    identities = _identities()
    assert len(identities) > 20  # the scan has something to look for
    logs = "\n".join(handler.lines)
    assert "sms" in logs  # the capture saw the app's own records (SMS queued and sent)
    in_logs = sorted(v for v in identities if v in logs)
    assert in_logs == []
    in_urls = sorted({v for v in identities for url in urls if v in url})
    assert in_urls == []


@pytest.mark.django_db
def test_the_response_that_signs_out_is_not_stored_either(client, worker):
    client.force_login(worker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
