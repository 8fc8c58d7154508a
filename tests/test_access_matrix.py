"""Who may open which page: every app URL × every role, against one explicit table.

Reading the table:
- 200: the page renders.          GO: a redirect that is not the login page (a successful POST, home).
- LOGIN: 302 to the login page.   403: the role may never use this page.
- 404: the role may use this kind of page, but not this record (its existence is not revealed).

Own/other is in the columns: `worker` is the assigned worker of the case under test and `worker2`
is not; `police` made the referral under test and `police2` did not.

Documented exceptions to "403 when the role may never use the page": case detail and referral
detail have no permission decorator; the record selectors return nothing for roles outside the
page's audience, so police, admin and users without a role get 404 there. That reveals nothing
and is accepted. Victim edit is the write form of the case page and goes through the same selector
with write=True: the hotline, which may read every case but edit none, gets 404 there as well.
The same goes for the other write pages of a case that a hotline permission lets through (new
contact: cases.add_contact, kept for intakes; closing request: cases.view_case): 404 for the hotline.

Pages that act on a case in one state are called with a case of `worker` in that state: clearing the
danger flag with a flagged case, deciding a closing with a case waiting for the decision, reopening
with a closed case. Called with a case in another state they redirect to the case page, which would
not show whether the page itself renders for the roles allowed.

POST rows for GET/POST views send an empty form, so an allowed role gets the form back (200) and
nothing is saved; the write paths themselves are tested in tests/<app>/test_views.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases import services, tracker
from cases.models import Case, CaseStatusChange, Contact, Deadline
from cases.templatetags.roc import person
from tests.access import audit as access_audit
from tests.access import breakglass as access_breakglass
from tests.access import evidence as access_evidence
from tests.access import forms as access_forms
from tests.access import health as access_health
from tests.access import legal_more as access_legal_more
from tests.access import safety as access_safety
from tests.access import services as access_services
from tests.access import signin as access_signin
from tests.access import takedown as access_takedown
from tests.factories import make_case, make_intake
from tests.legal import factories as legal_factories

pytestmark = pytest.mark.django_db

LOGIN = "login"
GO = "go"

# Column order of the table below; each maps to the fixture in tests/conftest.py (None: anonymous).
ROLES = {
    "anon": None,
    "hotline": "hotline",
    "worker": "worker",
    "worker2": "worker2",
    "police": "police",
    "police2": "police2",
    "supervisor": "supervisor",
    "admin": "admin_user",
    "nobody": "no_role_user",
}

# The record each URL is called with; URLs without a pk are not listed.
# "case" = case_of_worker, "referral" = referral_of_police, "intake" = a pending call intake.
RECORD = {
    "cases:intake_detail": "intake",
    "cases:intake_accept": "intake",
    "cases:intake_attach": "intake",
    "cases:intake_close": "intake",
    "cases:detail": "case",
    "cases:victim_edit": "case",
    "cases:dispatch": "case",
    "cases:timeline": "case",
    "cases:contact_new": "case",
    "cases:summary_pdf": "case",
    "cases:appointment_new": "case",
    "cases:intake_appointment_new": "intake",
    "cases:appointment_status": "appointment",
    "cases:intake_contact_new": "intake",
    "cases:danger_clear": "flagged_case",
    "cases:close_request": "case",
    "cases:close_decide": "closing_case",
    "cases:reopen": "closed_case",
    "referrals:detail": "referral",
    "cases:deadline_close": "deadline",
    "legal:offence_add": "case",
    "legal:offence_edit": "case_offence",
    "legal:accusation_file": "accusation",
    "legal:consultation_add": "case",
    "legal:consultation_edit": "consultation",
    "legal:subsidy_add": "case",
    "legal:subsidy_edit": "subsidy",
    "legal:police_report_add": "case",
    "legal:police_report_edit": "police_report",
    "legal:prosecutor_new": "referred_case",
    "legal:prosecutor_edit": "direction",
    "cases:sms_template_edit": "sms_template",
    "cases:sms_resolve": "sms_message",
}

# fmt: off
MATRIX = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("home",                   "GET",  LOGIN,  GO,     GO,     GO,     GO,     GO,     GO,     GO,     403),
    ("cases:intake_queue",     "GET",  LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:intake_new_call",  "GET",  LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:intake_new_call",  "POST", LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:intake_detail",    "GET",  LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:intake_accept",    "POST", LOGIN,  GO,     403,    403,    403,    403,    GO,     403,    403),
    ("cases:intake_attach",    "POST", LOGIN,  GO,     403,    403,    403,    403,    GO,     403,    403),
    ("cases:intake_close",     "GET",  LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:intake_close",     "POST", LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:my_cases",         "GET",  LOGIN,  200,    200,    200,    403,    403,    200,    403,    403),
    # The search box: every signed-in user; each finds only what their role may open.
    ("cases:search",           "GET",  LOGIN,  200,    200,    200,    200,    200,    200,    200,    200),
    ("cases:search",           "POST", LOGIN,  200,    200,    200,    200,    200,    200,    200,    200),
    ("cases:detail",           "GET",  LOGIN,  200,    200,    404,    404,    404,    200,    404,    404),
    ("cases:victim_edit",      "GET",  LOGIN,  404,    200,    404,    404,    404,    200,    404,    404),
    ("cases:victim_edit",      "POST", LOGIN,  404,    200,    404,    404,    404,    200,    404,    404),
    ("cases:dispatch",         "GET",  LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:dispatch",         "POST", LOGIN,  200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:timeline",         "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    # Booking a service (指引 1-2b): on the case by those who write on it, from the call by the hotline;
    # marking a case's appointment held or cancelled (POST only) likewise.
    ("cases:appointment_new",  "GET",  LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:appointment_new",  "POST", LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:intake_appointment_new", "GET", LOGIN, 200, 403,   403,    403,    403,    200,    403,    403),
    ("cases:intake_appointment_new", "POST", LOGIN, 200, 403,  403,    403,    403,    200,    403,    403),
    ("cases:appointment_status", "POST", LOGIN, 404,   GO,     404,    403,    403,    GO,     403,    403),
    # The case summary PDF: the assigned worker and supervisors; the hotline reads cases but prints none.
    ("cases:summary_pdf",      "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    # Contacts, the danger flag, closing (指引 1-3b, 2-1, 7-1a): the assigned worker and supervisors
    # write on the case; the hotline follows up a pending intake only. Supervisors alone clear the
    # flag, decide a closing request and reopen a closed case.
    ("cases:contact_new",      "GET",  LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:contact_new",      "POST", LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:intake_contact_new", "GET", LOGIN, 200,    403,    403,    403,    403,    200,    403,    403),
    ("cases:intake_contact_new", "POST", LOGIN, 200,   403,    403,    403,    403,    200,    403,    403),
    ("cases:danger_clear",     "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:danger_clear",     "POST", LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:close_request",    "GET",  LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:close_request",    "POST", LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:close_decide",     "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:close_decide",     "POST", LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:reopen",           "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:reopen",           "POST", LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:overview",         "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:deadlines",        "GET",  LOGIN,  403,    200,    200,    403,    403,    200,    403,    403),
    ("cases:deadline_close",   "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("cases:deadline_close",   "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("cases:notifications",    "GET",  LOGIN,  200,    200,    200,    200,    200,    200,    200,    200),
    ("cases:notifications_read", "POST", LOGIN, GO,    GO,     GO,     GO,     GO,     GO,     GO,     GO),
    ("referrals:list",         "GET",  LOGIN,  200,    403,    403,    200,    200,    200,    403,    403),
    ("referrals:new",          "GET",  LOGIN,  200,    403,    403,    200,    200,    403,    403,    403),
    ("referrals:new",          "POST", LOGIN,  200,    403,    403,    200,    200,    403,    403,    403),
    ("referrals:detail",       "GET",  LOGIN,  200,    404,    404,    200,    404,    200,    404,    404),
    # Legal (items 4, 9, 10): the assigned worker and supervisors write; police only item 10, on
    # the cases of their own referrals ("referred_case" was referred by `police`, not `police2`).
    ("legal:offence_add",      "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:offence_add",      "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:offence_edit",     "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:offence_edit",     "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:accusations",      "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("legal:accusation_file",  "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:accusation_file",  "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:consultation_add", "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:consultation_add", "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:consultation_edit", "GET", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:consultation_edit", "POST", LOGIN, 403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:subsidy_add",      "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:subsidy_add",      "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:subsidy_edit",     "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:subsidy_edit",     "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:police_report_add", "GET", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:police_report_add", "POST", LOGIN, 403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:police_report_edit", "GET", LOGIN, 403,    200,    404,    403,    403,    200,    403,    403),
    ("legal:police_report_edit", "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("legal:police_cases",     "GET",  LOGIN,  403,    403,    403,    200,    200,    403,    403,    403),
    ("legal:prosecutor_new",   "GET",  LOGIN,  403,    403,    403,    200,    404,    403,    403,    403),
    ("legal:prosecutor_new",   "POST", LOGIN,  403,    403,    403,    200,    404,    403,    403,    403),
    ("legal:prosecutor_edit",  "GET",  LOGIN,  403,    403,    403,    200,    404,    403,    403,    403),
    ("legal:prosecutor_edit",  "POST", LOGIN,  403,    403,    403,    200,    404,    403,    403,    403),
    # SMS (issue 4): templates for supervisors and admins; settling a message of case_of_worker (the
    # hotline settles only the generic SMS of an intake); delivery reports need the gateway's secret,
    # which nobody signed in has (none is configured in tests), so every caller gets 403.
    ("cases:sms_templates",    "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    200,    403),
    ("cases:sms_template_edit", "GET", LOGIN,  403,    403,    403,    403,    403,    200,    200,    403),
    ("cases:sms_template_edit", "POST", LOGIN, 403,    403,    403,    403,    403,    200,    200,    403),
    ("cases:sms_resolve",      "GET",  LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:sms_resolve",      "POST", LOGIN,  404,    200,    404,    403,    403,    200,    403,    403),
    ("cases:sms_delivery_report", "GET", 403,  403,    403,    403,    403,    403,    403,    403,    403),
    ("cases:sms_delivery_report", "POST", 403, 403,    403,    403,    403,    403,    403,    403,    403),
]
# fmt: on

# Extra POST fields per URL (callables get the records); everything else posts an empty form.
POST_DATA = {
    "cases:intake_attach": lambda records: {"case": str(records["case"].pk)},
    "cases:appointment_status": lambda records: {"status": "held"},
}

# Each app's own rows (tests/access/<app>.py), in the same shape; their fixtures come via tests/conftest.py.
APP_ROWS = [
    access_audit,
    access_breakglass,
    access_evidence,
    access_forms,
    access_health,
    access_legal_more,
    access_safety,
    access_services,
    access_takedown,
    access_signin,
]
APP_RECORD_FIXTURES: dict[str, str] = {}
for _rows in APP_ROWS:
    assert not set(_rows.RECORD) & set(RECORD), f"{_rows.__name__}: URL already in the main table"
    RECORD.update(_rows.RECORD)
    APP_RECORD_FIXTURES.update(_rows.RECORD_FIXTURES)
    POST_DATA.update(_rows.POST_DATA)
    MATRIX += _rows.MATRIX

# Top-level URLs outside the table on purpose (and each app's own, e.g. the second step of signing in).
EXCLUDED = {"login", "logout"}
for _rows in APP_ROWS:
    EXCLUDED |= set(getattr(_rows, "EXCLUDED", ()))
EXCLUDED_NAMESPACES = {"admin"}


def _cases():
    for name, method, *expected in MATRIX:
        assert len(expected) == len(ROLES), f"row {name} {method} needs one column per role"
        for role, status in zip(ROLES, expected, strict=True):
            yield pytest.param(name, method, role, status, id=f"{name}-{method}-{role}")


@pytest.fixture
def deadline_of_case(case_of_worker):
    return tracker.deadline_open(
        case=case_of_worker,
        kind=Deadline.Kind.COMPLAINT,
        source=case_of_worker.intakes.get(),
        title="告訴期間",
        due=dt.date(2030, 1, 31),
    )


@pytest.fixture
def appointment_of_case(worker, case_of_worker):
    return services.appointment_book(
        actor=worker,
        case=case_of_worker,
        service="legal",
        scheduled_at=timezone.now() + dt.timedelta(days=3),
    )


@pytest.fixture
def pending_intake(hotline):
    return make_intake(actor=hotline, victim_name="佇列待處理者")


# Cases of `worker` in the state a page acts on, each its own case (built through the services).
CASE_STATES = {
    "flagged_case": "flagged_case_of_worker",
    "closing_case": "closing_case_of_worker",
    "closed_case": "closed_case_of_worker",
}


@pytest.fixture
def flagged_case_of_worker(hotline, worker):
    """The worker reached the victim, who said there is immediate danger: the case carries the flag."""
    case = make_case(actor=hotline, worker=worker)
    services.contact_record(
        actor=worker,
        case=case,
        contacted_at=timezone.now(),
        mode=Contact.Mode.PHONE,
        result=Contact.Result.REACHED,
        immediate_danger=Contact.Danger.YES,
    )
    case.refresh_from_db()
    assert case.in_danger
    return case


def _request_closing(case, worker):
    services.case_close_request(
        actor=worker,
        case=case,
        closing_reason=CaseStatusChange.ClosingReason.GOALS_MET,
        note="影像已下架，被害人同意結案。",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def closing_case_of_worker(hotline, worker):
    """The worker asked to close the case; a supervisor is to decide."""
    case = _request_closing(make_case(actor=hotline, worker=worker), worker)
    assert case.status == Case.Status.CLOSE_REQUESTED
    return case


@pytest.fixture
def closed_case_of_worker(hotline, worker, supervisor):
    case = _request_closing(make_case(actor=hotline, worker=worker), worker)
    services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意結案。")
    case.refresh_from_db()
    assert case.is_closed
    return case


# Legal records, all on case_of_worker except the police ones (built through tests/legal/factories.py).
LEGAL_RECORDS = {
    "case_offence": "legal_case_offence",
    "accusation": "legal_accusation",
    "consultation": "legal_consultation",
    "subsidy": "legal_subsidy",
    "police_report": "legal_police_report",
    "referred_case": "legal_referred_case",
    "direction": "legal_direction",
}


@pytest.fixture
def legal_case_offence(worker, case_of_worker):
    return legal_factories.make_case_offence(actor=worker, case=case_of_worker)


@pytest.fixture
def legal_accusation(worker, case_of_worker):
    return legal_factories.make_accusation(actor=worker, case=case_of_worker)


@pytest.fixture
def legal_consultation(worker, case_of_worker):
    return legal_factories.make_consultation(actor=worker, case=case_of_worker)


@pytest.fixture
def legal_subsidy(worker, case_of_worker):
    return legal_factories.make_subsidy(actor=worker, case=case_of_worker)


@pytest.fixture
def legal_police_report(worker, case_of_worker):
    return legal_factories.make_police_report(actor=worker, case=case_of_worker)


@pytest.fixture
def legal_referred_case(hotline, worker, referral_of_police):
    return legal_factories.make_referred_case(hotline=hotline, referral=referral_of_police, worker=worker)


@pytest.fixture
def legal_direction(police, legal_referred_case):
    return legal_factories.make_direction(police=police, case=legal_referred_case)


# SMS records: a template, and an uncertain message of case_of_worker (tests/sms/factories.py).
SMS_RECORDS = {"sms_template": "sms_template_record", "sms_message": "sms_message_of_case"}


@pytest.fixture
def sms_template_record(db):
    from cases.sms.outbox import sms_template_get

    return sms_template_get("generic_resource")


@pytest.fixture
def sms_message_of_case(case_of_worker):
    from cases.models import SmsMessage
    from tests.sms.factories import make_sms

    return make_sms(case=case_of_worker, state=SmsMessage.State.UNCERTAIN)


def _records(request, name: str) -> dict:
    record = RECORD.get(name)
    records = {}
    if record == "intake" or name == "cases:intake_attach":
        records["intake"] = request.getfixturevalue("pending_intake")
    if record == "case" or name == "cases:intake_attach":
        records["case"] = request.getfixturevalue("case_of_worker")
    if record == "referral":
        records["referral"] = request.getfixturevalue("referral_of_police")
    if record == "deadline":
        records["deadline"] = request.getfixturevalue("deadline_of_case")
    if record == "appointment":
        records["appointment"] = request.getfixturevalue("appointment_of_case")
    if record in CASE_STATES:
        records[record] = request.getfixturevalue(CASE_STATES[record])
    if record in LEGAL_RECORDS:
        records[record] = request.getfixturevalue(LEGAL_RECORDS[record])
    if record in SMS_RECORDS:
        records[record] = request.getfixturevalue(SMS_RECORDS[record])
    if record in APP_RECORD_FIXTURES:
        records[record] = request.getfixturevalue(APP_RECORD_FIXTURES[record])
    return records


def _login_as(client, request, role: str):
    fixture = ROLES[role]
    if fixture is None:
        return None
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    return user


def _url(name: str, records: dict) -> str:
    record = RECORD.get(name)
    return reverse(name, kwargs={"pk": records[record].pk}) if record else reverse(name)


def _call(client, name, method, records):
    url = _url(name, records)
    if method == "GET":
        return client.get(url)
    data = POST_DATA.get(name, lambda r: {})(records)
    return client.post(url, data)


def assert_status(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.url.startswith(reverse("login") + "?next="), response.url
    elif expected == GO:
        assert response.status_code == 302, response.status_code
        assert not response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("name", "method", "role", "expected"), list(_cases()))
def test_access(client, request, name, method, role, expected):
    records = _records(request, name)
    _login_as(client, request, role)
    response = _call(client, name, method, records)
    assert_status(response, expected)


# --- The table covers every URL and every method ------------------------------------------------


def _app_url_names(patterns=None, namespace: str = "") -> set[str]:
    """Names of every URL the project serves, minus login/logout and the admin site."""
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _app_url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            full = f"{namespace}{entry.name}"
            assert entry.name, f"unnamed URL pattern {entry.pattern} cannot be covered by the matrix"
            if full not in EXCLUDED:
                names.add(full)
    return names


def test_every_url_is_in_the_matrix():
    served = _app_url_names()
    in_table = {row[0] for row in MATRIX}
    # Sanity: the walk found the namespaces it must (an empty walk would pass trivially).
    assert {"home", "cases:detail", "referrals:detail"} <= served
    assert served - in_table == set(), "add these URLs to MATRIX"
    assert in_table - served == set(), "MATRIX lists URLs that no longer exist"
    assert set(RECORD) <= served


def _allowed_role(name: str) -> str:
    """A role that gets past the login and permission checks of this URL (first 200/GO in its rows)."""
    for row_name, _method, *expected in MATRIX:
        if row_name == name:
            for role, status in zip(ROLES, expected, strict=True):
                if status in (200, GO):
                    return role
    raise AssertionError(f"no role may use {name}")


def _unlisted_methods():
    listed: dict[str, set[str]] = {}
    for name, method, *_ in MATRIX:
        listed.setdefault(name, set()).add(method)
    for name, methods in listed.items():
        for method in sorted({"GET", "POST"} - methods):
            yield pytest.param(name, method, id=f"{name}-{method}")


@pytest.mark.parametrize(("name", "method"), list(_unlisted_methods()))
def test_methods_not_in_the_matrix_answer_405(client, request, name, method):
    """GET-only views refuse POST and POST-only views refuse GET, for a user who may use the view."""
    records = _records(request, name)
    _login_as(client, request, _allowed_role(name))
    response = _call(client, name, method, records)
    assert response.status_code == 405


def test_post_only_views_are_the_action_buttons():
    """Guards the 405 test against a table edit that silently drops the GET rows of a GET page."""
    has_get = {name for name, method, *_ in MATRIX if method == "GET"}
    post_only = {name for name, *_ in MATRIX} - has_get
    expected = {
        "cases:intake_accept",
        "cases:intake_attach",
        "cases:notifications_read",
        "cases:appointment_status",
    }
    for rows in APP_ROWS:  # each app names its own action buttons
        expected |= set(getattr(rows, "POST_ONLY", ()))
    assert post_only == expected


# --- The admin site holds no case content ---------------------------------------------------------


def test_admin_site_exposes_no_case_or_referral_models(
    client, admin_user, case_of_worker, referral_of_police
):
    client.force_login(admin_user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for app in ("cases", "referrals"):
        assert f'href="/admin/{app}/' not in index.content.decode()
        assert client.get(f"/admin/{app}/").status_code == 404
    # Model pages: 404 while unregistered; if a case model is ever registered, still no access (403).
    case_pages = [
        "/admin/cases/case/",
        f"/admin/cases/case/{case_of_worker.pk}/change/",
        "/admin/cases/victim/",
        f"/admin/cases/victim/{case_of_worker.victim_id}/change/",
        "/admin/cases/intake/",
        f"/admin/referrals/referral/{referral_of_police.pk}/change/",
    ]
    for url in case_pages:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert case_of_worker.victim.name not in response.content.decode()


# --- Pages that may be opened show only what the role needs -------------------------------------


def test_police_see_progress_of_their_referral_but_not_the_case_content(client, hotline, worker, police):
    from cases import services
    from tests.factories import make_referral

    referral = make_referral(police=police, narrative="加害人以私訊威脅散布影片的細節")
    case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
    services.dispatch_case(actor=hotline, case=case, worker=worker, reason="指派承辦")
    client.force_login(police)

    for url in (reverse("referrals:detail", args=[referral.pk]), reverse("referrals:list")):
        html = client.get(url).content.decode()
        assert "已開案，社工服務中" in html  # the shared-back status is there...
        assert "加害人以私訊威脅散布影片的細節" not in html  # ...the narrative is not
        assert person(worker) not in html
        assert case.number not in html
        assert "指派承辦" not in html


def test_worker_list_shows_only_their_own_victims(client, hotline, worker, worker2):
    from tests.factories import make_case

    make_case(actor=hotline, worker=worker, victim_name="甲案被害人")
    make_case(actor=hotline, worker=worker2, victim_name="乙案被害人")
    client.force_login(worker2)
    html = client.get(reverse("cases:my_cases")).content.decode()
    assert "乙案被害人" in html
    assert "甲案被害人" not in html


def test_police_list_shows_only_their_own_referrals(client, police, police2):
    from tests.factories import make_referral

    make_referral(police=police, victim_name="甲轉介被害人", referring_agency="婦幼警察隊")
    make_referral(police=police2, victim_name="乙轉介被害人", referring_agency="大安分局")
    client.force_login(police2)
    html = client.get(reverse("referrals:list")).content.decode()
    assert "大安分局" in html
    assert "婦幼警察隊" not in html


def test_admin_sees_no_victim_name_anywhere(client, request, admin_user, hotline, worker, police):
    from cases import services
    from tests.factories import make_case, make_referral

    case = make_case(actor=hotline, worker=worker, victim_name="案件被害人丙")
    referral = make_referral(police=police, victim_name="轉介被害人丁")
    services.case_open_from_intake(
        actor=hotline, intake=make_intake(actor=hotline, victim_name="開案被害人戊")
    )
    pending = make_intake(actor=hotline, victim_name="待處理被害人己")
    names = ["案件被害人丙", "轉介被害人丁", "開案被害人戊", "待處理被害人己"]
    deadline = tracker.deadline_open(
        case=case,
        kind=Deadline.Kind.COMPLAINT,
        source=case.intakes.get(),
        title="告訴期間",
        due=dt.date(2030, 1, 31),
    )
    records = {"case": case, "referral": referral, "intake": pending, "deadline": deadline}
    records |= {key: request.getfixturevalue(fixture) for key, fixture in CASE_STATES.items()}
    records |= {key: request.getfixturevalue(fixture) for key, fixture in LEGAL_RECORDS.items()}
    records |= {key: request.getfixturevalue(fixture) for key, fixture in SMS_RECORDS.items()}
    records |= {key: request.getfixturevalue(fixture) for key, fixture in APP_RECORD_FIXTURES.items()}
    records["appointment"] = request.getfixturevalue("appointment_of_case")

    client.force_login(admin_user)
    pages = [_url(name, records) for name, method, *_ in MATRIX if method == "GET"]
    pages += [
        reverse("admin:index"),
        reverse("admin:auth_user_changelist"),
        f"/admin/cases/case/{case.pk}/change/",
    ]
    followed = 0
    for url in pages:
        response = client.get(url, follow=True)
        followed += response.redirect_chain != []
        if response.get("Content-Type") == "application/pdf":  # a printed form (e.g. the blank safety sheet)
            from tests.pdf import pdf_text

            html = pdf_text(response.content)
        else:
            html = response.content.decode()
        for name in names:
            assert name not in html, f"{url} shows {name}"
    assert followed >= 1  # home was followed to the admin index, so that page was checked too

    # Control: the same names do show for a supervisor, so the check above can fail.
    client.force_login(request.getfixturevalue("supervisor"))
    overview = client.get(reverse("cases:overview")).content.decode()
    assert "案件被害人丙" in overview and "開案被害人戊" in overview
