"""A hotline member at a browser, many times over: sign in, open 登錄專線來電, post it; on an error page,
send the same form again (the browser's 重新傳送表單, same one-time token) until it is saved.

Cookies are kept by hand: with DEBUG off they are Secure, and the drill talks plain HTTP to gunicorn.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field

import requests

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_GUARD_INPUT = re.compile(r'name="form_guard" value="([^"]+)"')
_INTAKE_PAGE = re.compile(r"/intake/[0-9a-f-]{36}/$")
TAIPEI = dt.timezone(dt.timedelta(hours=8))


def clean_error_page(response: requests.Response) -> bool:
    """A failure the person at the screen can read: 500/503, zh-Hant, no trace of the error."""
    body = response.text
    return (
        response.status_code in (500, 502, 503)
        and 'lang="zh-Hant"' in body
        and "Traceback" not in body
        and "OperationalError" not in body
        and "psycopg" not in body
    )


class Browser:
    def __init__(self, base: str, timeout: float = 20):
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()
        self.http.trust_env = False
        self.timeout = timeout

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=self.timeout, **kwargs
        )
        for cookie in response.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        return response

    def get(self, path: str) -> requests.Response:
        return self._send("GET", path)

    def post(self, path: str, data: dict) -> requests.Response:
        return self._send("POST", path, data=data, headers={"Referer": self.base + path})

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/login/")
        if page.status_code != 200:
            raise RuntimeError(f"sign-in page: HTTP {page.status_code} clean={clean_error_page(page)}")
        token = _CSRF_INPUT.search(page.text).group(1)
        response = self.post(
            "/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in: HTTP {response.status_code} clean={clean_error_page(response)}")

    def call_form(self) -> dict:
        """The form's hidden tokens, as a fresh page gives them."""
        page = self.get("/intake/call/new/")
        if page.status_code != 200:
            return {"_status": page.status_code, "_clean": clean_error_page(page)}
        guard = _GUARD_INPUT.search(page.text)
        return {
            "csrfmiddlewaretoken": _CSRF_INPUT.search(page.text).group(1),
            **({"form_guard": guard.group(1)} if guard else {}),
        }


def call_fields(marker: str, phone: str) -> dict:
    now = dt.datetime.now(TAIPEI)
    return {
        "received_at_0": now.strftime("%Y-%m-%d"),
        "received_at_1": now.strftime("%H:%M"),
        "channel": "hotline",
        "caller_relation": "victim",
        "victim_name": "演練來電者",
        "victim_phone": phone,
        "immediate_danger": "no",
        "narrative": marker,
        "wishes": "declines",
        "send_resource_sms": "on",
    }


@dataclass
class Tally:
    """What the people at the screens saw."""

    saved: dict[str, str] = field(default_factory=dict)  # marker -> where the redirect went
    attempts: int = 0
    ok: int = 0
    clean_errors: int = 0
    unclean: list[str] = field(default_factory=list)  # a status or exception that is not a clean page
    in_progress: list[str] = field(default_factory=list)  # resent, told 「正在處理中」, no intake page
    gave_up: list[str] = field(default_factory=list)
    first_error: float | None = None
    last_error: float | None = None
    ok_after_last_error: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, clean: bool, what: str) -> None:
        with self.lock:
            now = time.monotonic()
            self.first_error = self.first_error or now
            self.last_error = now
            self.ok_after_last_error = 0
            if clean:
                self.clean_errors += 1
            else:
                self.unclean.append(what)


def hotline_member(
    base: str,
    username: str,
    password: str,
    who: int,
    tally: Tally,
    stop: threading.Event,
    retry_for: float = 60,
) -> None:
    """Post calls until `stop`; each call is sent again after an error page until it is saved."""
    browser = Browser(base)
    signed_in = False
    n = 0
    while not stop.is_set():
        n += 1
        marker = f"負載 {who}-{n}"
        fields = call_fields(marker, f"0912{who:03d}{n % 1000:03d}")
        give_up_at = time.monotonic() + retry_for
        tokens: dict | None = None
        while True:
            try:
                if not signed_in:
                    browser.cookies.clear()
                    browser.sign_in(username, password)
                    signed_in = True
                if tokens is None:
                    tokens = browser.call_form()
                    if "_status" in tokens:
                        tally.error(tokens["_clean"], f"GET form HTTP {tokens['_status']}")
                        tokens = None
                        raise _Retry
                with tally.lock:
                    tally.attempts += 1
                response = browser.post("/intake/call/new/", {**fields, **tokens})
                location = response.headers.get("Location", "")
                if response.status_code == 302 and _INTAKE_PAGE.search(location):
                    with tally.lock:
                        tally.ok += 1
                        tally.ok_after_last_error += 1
                        tally.saved[marker] = location
                    break
                if response.status_code == 302 and "/login/" in location:
                    signed_in = False  # the session row went with a failed request: sign in again
                    raise _Retry
                if response.status_code == 302:
                    # 「正在處理中…請稍後重新整理頁面確認結果」: the person stops resending and checks later;
                    # the drill checks the database at the end (a blind new post could save it twice).
                    with tally.lock:
                        tally.in_progress.append(marker)
                    break
                tally.error(clean_error_page(response), f"POST HTTP {response.status_code}")
                raise _Retry
            except _Retry:
                pass
            except requests.RequestException as exc:
                tally.error(False, type(exc).__name__)
            except RuntimeError as exc:  # the sign-in page failed: counted like any error page
                tally.error("clean=True" in str(exc), str(exc))
            if stop.is_set() and time.monotonic() > give_up_at:
                with tally.lock:
                    tally.gave_up.append(marker)
                break
            time.sleep(0.3)


class _Retry(Exception):
    pass
