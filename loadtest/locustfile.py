"""The main journeys under load (issue 20): hotline intake and dispatch, a worker's case page and contact,
the supervisor overview, a police referral. Each simulated person signs in once, with the password and
the authenticator code (TOTP, computed here from the secret the driver gave the account for this run).

Run by `manage.py bench_load` (docs/benchmarks.md "Load"), which prepares the accounts, starts gunicorn and
a Celery worker and passes LOAD_ACCOUNTS (a 0600 JSON file) and LOAD_MIX. Only 127.0.0.1 is ever a
target: any other host stops the run before the first request.

The driver serves the site over TLS with a certificate it made for 127.0.0.1 (not verified here), so
secure cookies, HSTS, the CSRF origin check and the HTTPS redirect all behave as in production.

Every data value is fictional. Failure messages name the page and the status, never page content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import random
import re
import struct
import time
import warnings
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from urllib3.exceptions import InsecureRequestWarning

warnings.simplefilter("ignore", InsecureRequestWarning)

ALLOWED_HOST = "127.0.0.1"
TAIPEI = ZoneInfo("Asia/Taipei")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = ["小姐", "先生", "怡君", "雅婷", "佳穎", "志明", "家豪", "淑芬", "宗翰", "欣怡"]


@events.init.add_listener
def _only_loopback(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host != ALLOWED_HOST:
        raise SystemExit(f"refusing to load {host!r}: this load test only targets {ALLOWED_HOST}")


def _accounts() -> dict[str, list[dict]]:
    with open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8") as fh:
        return json.load(fh)


ACCOUNTS = _accounts() if os.environ.get("LOAD_ACCOUNTS") else {}
MIX = dict(
    (role, int(n))
    for role, _, n in (part.partition("=") for part in os.environ.get("LOAD_MIX", "").split(","))
    if n
)


def totp(secret_hex: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (what an authenticator app shows), SHA-1 as django-otp's TOTPDevice uses."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(secret_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class _Forms(HTMLParser):
    """The page's forms: action, field names, hidden inputs and the options of each select."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or ""
            self.forms.append({"action": action, "fields": set(), "hidden": {}, "selects": {}})
        elif not self.forms:
            return
        elif tag in ("input", "select", "textarea") and attrs.get("name"):
            self.forms[-1]["fields"].add(attrs["name"])
            if tag == "input" and attrs.get("type") == "hidden":
                self.forms[-1]["hidden"][attrs["name"]] = attrs.get("value") or ""
            elif tag == "select":
                self._select = attrs["name"]
                self.forms[-1]["selects"][self._select] = []
        elif tag == "option" and self._select and attrs.get("value"):
            self.forms[-1]["selects"][self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_on(html: str, *, field: str = "", action: str = "") -> dict:
    """The POST form that has `field`, or whose action contains `action`."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if (field and field in form["fields"]) or (action and action in form["action"]):
            return form
    raise LookupError(f"no form with {field or action}")


def roc_now(*, hours_ago: int = 0) -> tuple[str, str]:
    """Taipei's date and time as staff type them: 115.11.30 and 23:05."""
    now = dt.datetime.now(TAIPEI) - dt.timedelta(hours=hours_ago)
    return f"{now.year - 1911}.{now.month:02d}.{now.day:02d}", f"{now:%H:%M}"


def fictional_person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN), "09" + "".join(rng.choices("0123456789", k=8))


class StaffUser(HttpUser):
    """One member of staff: signs in once (password, then the code), then works the journey's tasks."""

    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self):
        pool = ACCOUNTS.get(self.role) or []
        if not pool:
            raise StopUser()
        self.account = pool.pop(0)  # one account per simulated person: a TOTP code is good once
        self.rng = random.Random()
        self.client.verify = False  # the run's own certificate for 127.0.0.1
        self.client.headers.update({"Accept-Language": "zh-Hant"})
        self.origin = "https://" + urlsplit(self.host).netloc
        self.sign_in()

    def get(self, url: str, name: str, *, expect: int = 200) -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{name}: expected {expect}, got {response.status_code}")
                return ""
            return response.text

    def post(self, url: str, name: str, data: dict) -> str:
        """A form post as the browser sends it; success is a redirect (the app's PRG), returned as a path."""
        headers = {"Origin": self.origin, "Referer": self.origin + url}
        with self.client.post(
            url, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name}: expected a redirect, got {response.status_code}")
                return ""
            return urlsplit(response.headers.get("Location", "")).path

    def sign_in(self):
        html = self.get("/login/", "sign-in: password page")
        if not html:
            raise StopUser()
        data = dict(form_on(html, field="username")["hidden"])
        data.update(username=self.account["username"], password=self.account["password"])
        step = self.post("/login/", "sign-in: password", data)
        if step != "/login/verify/":
            raise StopUser()
        html = self.get(step, "sign-in: code page")
        if not html:
            raise StopUser()
        data = dict(form_on(html, field="token")["hidden"], token=totp(self.account["totp_key"]))
        if not self.post(step, "sign-in: code", data):
            # Refused (counted as an error): a code queued longer than its 30 s step is stale. A person
            # types the next code; so does this one, once.
            time.sleep(1)
            data["token"] = totp(self.account["totp_key"])
            if not self.post(step, "sign-in: code (second try)", data):
                raise StopUser()


class Hotline(StaffUser):
    """A call becomes an intake, the intake a case, the case is dispatched to a worker."""

    role = "hotline"
    fixed_count = MIX.get("hotline", 0)

    @task
    def intake_and_dispatch(self):
        self.get("/intake/", "hotline: intake queue")
        html = self.get("/intake/call/new/", "hotline: call form")
        if not html:
            return
        day, hhmm = roc_now()
        name, mobile = fictional_person(self.rng)
        data = dict(
            form_on(html, field="victim_name")["hidden"],
            received_at_0=day,
            received_at_1=hhmm,
            channel="hotline",
            caller_relation="victim",
            victim_name=name,
            victim_phone=mobile,
            immediate_danger="no",
            requests=["takedown", "legal"],
            narrative="（負載測試的虛構內容）被害人表示私密影像遭上傳至論壇，已截圖保存網址。",
            services_offered=["explain"],
            wishes="wants_service",
            sms_consent="on",
        )
        intake = self.post("/intake/call/new/", "hotline: save call", data)
        if not re.fullmatch(rf"/intake/{UUID}/", intake):
            return
        html = self.get(intake, "hotline: intake page")
        if not html:
            return
        accept = form_on(html, action="/accept/")["hidden"]
        dispatch = self.post(intake + "accept/", "hotline: open case", accept)
        if not re.fullmatch(rf"/cases/{UUID}/dispatch/", dispatch):
            return
        html = self.get(dispatch, "hotline: dispatch form")
        if not html:
            return
        form = form_on(html, field="worker")
        data = dict(form["hidden"], worker=self.rng.choice(form["selects"]["worker"]), reason="依轄區派案。")
        case = self.post(dispatch, "hotline: dispatch", data)
        if case:
            self.get(case, "hotline: case page")


class Worker(StaffUser):
    """My cases, a case page, a contact recorded (now and then 聯繫未果 with the resource SMS)."""

    role = "worker"
    fixed_count = MIX.get("worker", 0)

    @task
    def case_and_contact(self):
        html = self.get("/cases/?status=assigned", "worker: my cases")
        cases = sorted(set(re.findall(rf'href="(/cases/{UUID}/)"', html)))
        if not cases:
            return
        case = self.rng.choice(cases)
        page = self.get(case, "worker: case page")
        if not page:
            return
        # As a worker would: the resource SMS only to a victim with a mobile on file (the form refuses it
        # otherwise, with a message, which is the app working, not a failed request).
        has_mobile = '手機</dt><dd class="col-7">—<' not in page
        html = self.get(case + "contact/", "worker: contact form")
        if not html:
            return
        day, hhmm = roc_now(hours_ago=1)
        data = dict(form_on(html, field="result")["hidden"], mode="phone")
        data.update(contacted_at_0=day, contacted_at_1=hhmm)
        if has_mobile and self.rng.random() < 0.3:
            data.update(result="not_reached", immediate_danger="", send_resource_sms="on")
        else:
            data.update(
                result="reached",
                immediate_danger="no",
                duration_minutes="20",
                notes="（負載測試的虛構內容）說明下架申請進度，被害人情緒穩定。",
            )
        if self.post(case + "contact/", "worker: save contact", data):
            self.get(case, "worker: case page")


class Supervisor(StaffUser):
    role = "supervisor"
    fixed_count = MIX.get("supervisor", 0)

    @task(3)
    def overview(self):
        self.get("/overview/", "supervisor: overview")

    @task(1)
    def all_cases(self):
        self.get("/cases/", "supervisor: all cases")


class Police(StaffUser):
    """A referral form sent, then the officer's own referral page and list."""

    role = "police"
    fixed_count = MIX.get("police", 0)

    @task
    def referral(self):
        self.get("/referrals/", "police: my referrals")
        html = self.get("/referrals/new/", "police: referral form")
        if not html:
            return
        name, mobile = fictional_person(self.rng)
        data = dict(
            form_on(html, field="victim_name")["hidden"],
            referring_agency="臺北市政府警察局大安分局",
            contact_person="張警員",
            contact_phone="02-27001234",
            victim_name=name,
            victim_phone=mobile,
            report_taken="on",
            police_asked_about_social_worker="on",
            victim_wants_social_worker="yes",
            immediate_danger="no",
            narrative="（負載測試的虛構內容）被害人到分局報案，對方在社群散布私密照片。",
        )
        referral = self.post("/referrals/new/", "police: send referral", data)
        if referral:
            self.get(referral, "police: referral page")
