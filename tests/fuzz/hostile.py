"""What the fuzz posts, how it finds the forms, and what counts as a refusal with a message.

A response passes (`assert_answered`) when it is one of:
- 200 with a message on the page: a form error (crispy's `invalid-feedback`, Django's `errorlist`, an
  `alert-danger`) or a flash message (`role="alert"`), or one of RESULT_PAGES, whose POST answer is a
  result (the search) rather than a saved record;
- 302 to the sign-in page (which asks the user to sign in), or any other 302 that queued a message in
  this very request (「已儲存」, 「此案件已結案…」): nobody is sent elsewhere without being told why (the
  admin's changelist sends a filter it cannot apply to `?e=1`, a page that says so: accepted too);
- a 200 answer to a GET is a page, not a refusal: it needs no message;
- 400, 403, 404 or 405 with a page that says something (HTML error pages in zh-Hant; the SMS gateway's
  endpoint answers plain text to a machine);
never 500, and never an exception escaping the view (the test client re-raises it, failing the test).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cases.rocdate import format_roc

# Examples per form (and per admin page). The default keeps CI quick; FUZZ_EXAMPLES=200 for a deep run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same examples every run: CI never turns red by luck
    database=None,  # nothing written to .hypothesis/, so runs do not depend on each other
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Pages whose POST answers with a result rather than saving a record: a 200 without a message is fine.
RESULT_PAGES = {
    "cases:search",  # the results (or 「查無符合的案件」) for the term posted
    "cases:session_keepalive",  # JSON for the idle warning's script
}

TEN_K = "x" * 10_000
# Values nobody types but anybody can send. Bytes are sent as they are (invalid UTF-8 included); strings
# are encoded as UTF-8 with lone surrogates let through ("surrogatepass"), as a broken client would.
HOSTILE: list[str | bytes] = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 3 + "0912345678",
    TEN_K,
    "案" * 10_000,
    "1" * 10_000,
    "\ud800",
    "a\udfffb",
    "\ud83d",
    b"\xff\xfe",
    b"\xc0\x80",  # an overlong NUL
    b"%",
    "\u202egnp.exe",
    "\u202b\u200f\u2066被害人\u2069",
    "\ufeff\u200b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request }}{% debug %}",
    "' OR 1=1 --",
    "%s%d%n",
    "../../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "²",
    "٣",
    "０９１２３４５６７８",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999999",
    "-9223372036854775809",
    "115.02.30",
    "115/13/01",
    "0.0.0",
    "民國115年2月30日",
    "民國-1年1月1日",
    "9999999.1.1",
    "2026-02-30",
    "1151332",
    "0001-01-01",
    "9999-12-31",
    "25:61",
    "0930",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    str(uuid.UUID(int=1)),
    "on",
    "true",
]

hostile_values = st.sampled_from(HOSTILE)
# Text of every kind, lone surrogates and control characters included.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
# Values of the kinds the forms expect, right or nearly (from the evidence fuzz of issue 16): dates as ROC
# and ISO, far past to far future, times, addresses, hashes, so rules past the field's parsing run too.
_today = dt.date.today()
plausible_values = st.one_of(
    st.dates(min_value=dt.date(1912, 1, 1), max_value=_today + dt.timedelta(days=400)).map(format_roc),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["0930", "9:30", "23:59", "24:00", "12:60", "9:7"]),
    st.sampled_from(["https://www.ptt.cc/bbs/a/M.1.html", "javascript:alert(1)", "https://", "http://[::1"]),
    st.sampled_from(["https://a.b:99999/", "https://例子.台灣/x", "ptt.cc"]),
    st.ip_addresses().map(str),
    st.text(alphabet="0123456789abcdef", min_size=16, max_size=70),
    st.integers(-(10**20), 10**20).map(str),
)


def field_values(options: list[str]) -> st.SearchStrategy:
    """One posted value of a field: hostile, random, plausible, or one the page offered (so the form gets
    further)."""
    choices = [hostile_values, any_text, plausible_values]
    if options:
        choices.append(st.sampled_from(options))
        choices.append(st.sampled_from(options))  # twice: valid values half the time, deeper validation
    return st.one_of(choices)


def payloads(fields: dict[str, list[str]]) -> st.SearchStrategy:
    """Each known field posted with none, one or several values, now and then with an unasked-for field."""

    def per_field(options):
        value = field_values(options)
        return st.one_of(st.just([]), value.map(lambda v: [v]), st.lists(value, min_size=2, max_size=3))

    known = st.fixed_dictionaries({name: per_field(options) for name, options in sorted(fields.items())})
    extra = st.dictionaries(
        st.one_of(hostile_values, any_text), st.lists(hostile_values, max_size=2), max_size=2
    )
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def form_body(data: dict) -> bytes:
    """application/x-www-form-urlencoded, built by hand: the test client would refuse lone surrogates."""
    pairs = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append(quote_from_bytes(_bytes(name)) + "=" + quote_from_bytes(_bytes(value)))
    return "&".join(pairs).encode("ascii")


def query_string(data: dict) -> str:
    return form_body(data).decode("ascii")


def post(client, url: str, data: dict):
    # A browser always sends the CSRF token, so a form is never posted empty (the test client checks no
    # token; views bind `request.POST or None`, and an empty POST would only show the blank form again).
    data = {"csrfmiddlewaretoken": "fuzz", **data}
    return client.post(url, form_body(data), content_type="application/x-www-form-urlencoded")


# --- the forms on a page ----------------------------------------------------------------------------


class _FormParser(HTMLParser):
    """POST forms of a page: action -> {field name: values the page offers (value=, options, text)}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {}
                self.forms.append((a.get("action") or "", self._form))
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":  # a submit button's name and value are part of what it posts
                    self._form.setdefault(name, []).append(a.get("value") or "")
                return
            options = self._form.setdefault(name, [])
            if a.get("value") is not None:
                options.append(a["value"])
            elif kind == "checkbox":
                options.append("on")
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            self._form.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self._form.setdefault(name, [])
        elif tag == "option" and self._select and a.get("value") is not None:
            self._form[self._select].append(a["value"])
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.setdefault(name, [])

    def handle_data(self, data):
        if self._textarea and self._form is not None and data.strip():
            self._form[self._textarea].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_posting_to(html: str, page_path: str, target_path: str) -> dict[str, list[str]]:
    """The fields of every POST form on a page (at page_path) that posts to target_path, merged."""
    parser = _FormParser()
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for action, form in parser.forms:
        action_path = urlsplit(action).path or page_path
        if action_path == target_path:
            for name, options in form.items():
                merged = fields.setdefault(name, [])
                merged += [o for o in options if o not in merged]
    fields.pop("csrfmiddlewaretoken", None)
    return fields


# --- the verdict --------------------------------------------------------------------------------------

_MESSAGE_MARKERS = re.compile(r'invalid-feedback|errorlist|alert-danger|role="alert"|is-invalid')
_CJK = re.compile(r"[\u4e00-\u9fff]")


def queued_messages(response) -> list[str]:
    """Messages this request added (not ones left over from an earlier request)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return [str(m) for m in getattr(storage, "_queued_messages", [])]


def assert_answered(response, *, url_name: str = "", login_path: str = "/login/") -> None:
    """See the module docstring: no server error, and every refusal tells the user why."""
    status = response.status_code
    where = f"{url_name or response.wsgi_request.path} answered {status}"
    assert status in (200, 302, 400, 403, 404, 405), where
    if status == 302:
        location = urlsplit(response["Location"])
        if location.path in (login_path, "/admin/login/") or location.query == "e=1":
            return
        assert queued_messages(response), f"{where} to {response['Location']} without a message"
        return
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if status == 200:
        if response.wsgi_request.method == "GET" or url_name in RESULT_PAGES:
            return
        if not content_type.startswith("text/html"):
            return
        assert _MESSAGE_MARKERS.search(body), f"{where} without a message on the page"
        return
    assert body.strip(), f"{where} with an empty page"
    if content_type.startswith("text/html"):
        assert _CJK.search(body), f"{where} with a page that says nothing in zh-Hant"


def path_segment(value: str | bytes) -> str:
    """A value as one segment of a URL path (percent-encoded, lone surrogates and all)."""
    return quote_from_bytes(_bytes(value), safe="") or "%20"


# Keys of a record as anybody might type them into an address.
hostile_ids = st.one_of(
    st.sampled_from(
        [
            "abc",
            "²",
            "٣",
            "1" * 26,
            "-1",
            "0",
            "1.5",
            "1e3",
            "9223372036854775808",
            "not-a-uuid",
            "00000000-0000-0000-0000-00000000000g",
            str(uuid.UUID(int=7)),
            "_5F",  # the admin's own escaping of a key
            "\u202e1",
            "\ud800",
            b"\xff",
            "a" * 300,
        ]
    ),
    st.integers(-(10**30), 10**30).map(str),
    any_text.filter(bool),
)
