"""Generated input posted to every evidence and takedown form: no server error, ever (issue 16, item 10).

Each post either saves (302) or comes back with messages (200); nothing answers 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.rocdate import format_roc
from evidence.models import Platform
from tests.evidence.factories import make_teaching
from tests.takedown.factories import make_complaint

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

today = dt.date.today()
dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=dt.date(1912, 1, 1), max_value=today + dt.timedelta(days=400)).map(format_roc),
    st.sampled_from(
        ["", "115.13.40", "0.0.0", "民國115年2月30日", "2026-02-30", "tomorrow", "-1", "999999999"]
    ),
    st.text(max_size=20),
)
times = st.one_of(st.sampled_from(["", "25:00", "9:7", "23:59", "12:00", "abc"]), st.text(max_size=8))
urls = st.one_of(
    st.sampled_from(
        [
            "",
            "https://www.ptt.cc/bbs/a/M.1.html",
            "ptt.cc",
            "javascript:alert(1)",
            "https://",
            "http://[::1",
            "https://a.b:99999/",
            "https://例子.台灣/x",
        ]
    ),
    st.text(max_size=60),
)
ips = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(["", "1.2.3", "::g", "300.1.1.1", "fe80::1%eth0"]),
    st.text(max_size=40),
)
hexes = st.one_of(st.text(alphabet="0123456789abcdefABCDEF", max_size=70), st.text(max_size=70))
flags = st.sampled_from(["", "on", "off", "1", "\x00"])
anything = st.text(max_size=80)


def _assert_no_server_error(response):
    assert response.status_code in (200, 302), response.status_code


@pytest.fixture
def logged_in(client, worker):
    client.force_login(worker)
    return client


@FUZZ
@given(
    platform=st.one_of(
        st.sampled_from(["", "abc", "-1", "99999999999999999999"]), st.integers(-5, 40).map(str)
    ),
    url=urls,
    ip=ips,
    first_seen=dates,
    act=dates,
    sha=hexes,
    phash=hexes,
    name=anything,
    kept=st.sampled_from(["usb", "device", "other", "not_yet", "", "x"]),
    recording=flags,
)
def test_the_evidence_item_form_never_errors(
    logged_in, case_of_worker, platform, url, ip, first_seen, act, sha, phash, name, kept, recording
):
    if platform == "0" and Platform.objects.exists():
        platform = str(Platform.objects.order_by("?").first().pk)
    response = logged_in.post(
        reverse("evidence:item_add", args=[case_of_worker.pk]),
        {
            "platform": platform,
            "url": url,
            "poster_ip": ip,
            "poster_account_name": name,
            "first_seen_on": first_seen,
            "act_on": act,
            "sha256": sha,
            "phash": phash,
            "kept_where": kept,
            "capture_recording": recording,
        },
    )
    _assert_no_server_error(response)


@FUZZ
@given(
    taught=dates,
    mode=st.sampled_from(["face", "phone", "video", "", "x"]),
    ticked=st.lists(st.one_of(st.sampled_from(["6-1-3B-a", "4-3-2B", "6-1-2-room"]), anything), max_size=4),
    refused=flags,
    sent=dates,
    waived=flags,
    reason=anything,
    language=anything,
)
def test_the_teaching_form_never_errors(
    logged_in, case_of_worker, taught, mode, ticked, refused, sent, waived, reason, language
):
    response = logged_in.post(
        reverse("evidence:teaching", args=[case_of_worker.pk]),
        {
            "taught_on": taught,
            "mode": mode,
            "ticked": ticked,
            "face_to_face_refused": refused,
            "video_link_sent_on": sent,
            "waived": waived,
            "waiver_reason": reason,
            "interpreter_needed": refused,
            "language": language,
        },
    )
    _assert_no_server_error(response)


@pytest.fixture
def complaint(worker, case_of_worker):
    make_teaching(actor=worker, case=case_of_worker)
    return make_complaint(actor=worker, case=case_of_worker)


@FUZZ
@given(
    keys=st.lists(st.one_of(st.just("KEY"), anything), max_size=3),
    day=dates,
    time=times,
    by=st.sampled_from(["worker", "police", "victim", "", "x"]),
    minor=st.sampled_from(["yes", "no", "unknown", "", "maybe"]),
    accepted_day=dates,
    accepted_time=times,
    ref=anything,
)
def test_the_complaint_forms_never_error(
    logged_in, case_of_worker, complaint, keys, day, time, by, minor, accepted_day, accepted_time, ref
):
    target = complaint.targets.first()
    keys = [target.evidence_key if k == "KEY" else k for k in keys]
    data = {
        "evidence_keys": keys,
        "filed_at_0": day,
        "filed_at_1": time,
        "filed_by_kind": by,
        "minor_at_time": minor,
        "acceptance_confirmed_at_0": accepted_day,
        "acceptance_confirmed_at_1": accepted_time,
        "reference_no": ref,
        f"outcome_{target.pk}": by if by != "worker" else "removed",
        f"outcome_on_{target.pk}": accepted_day,
    }
    _assert_no_server_error(logged_in.post(reverse("takedown:complaint_add", args=[case_of_worker.pk]), data))
    _assert_no_server_error(logged_in.post(reverse("takedown:complaint_edit", args=[complaint.pk]), data))
    _assert_no_server_error(
        logged_in.post(
            reverse("takedown:follow_up_add", args=[complaint.pk]), {"at_0": day, "at_1": time, "result": ref}
        )
    )


@FUZZ
@given(
    explained=dates,
    created=dates,
    holds=flags,
    spread=flags,
    reminded=flags,
    number=anything,
    items=st.lists(st.one_of(st.sampled_from(["line-id", "fb-audience"]), anything), max_size=3),
    mode=st.sampled_from(["face", "phone", "online", "", "x"]),
)
def test_the_stopncii_and_advice_forms_never_error(
    logged_in, case_of_worker, explained, created, holds, spread, reminded, number, items, mode
):
    stop = {
        "explained_on": explained,
        "created_on": created,
        "holds_images": holds,
        "already_spread": spread,
        "reminded_keep_number_and_pin": reminded,
        "case_number": number,
    }
    _assert_no_server_error(logged_in.post(reverse("takedown:stopncii", args=[case_of_worker.pk]), stop))
    advice = {
        "advised_on": explained,
        "privacy_given_on": created,
        "privacy_items": items,
        "privacy_mode": mode,
        "victim_response": number,
    }
    _assert_no_server_error(logged_in.post(reverse("takedown:advice", args=[case_of_worker.pk]), advice))


def test_a_valid_post_still_saves(logged_in, case_of_worker):
    """Positive control: the fuzzed forms are the real ones, which do save good input."""
    response = logged_in.post(
        reverse("evidence:item_add", args=[case_of_worker.pk]),
        {
            "platform": str(Platform.objects.get(code="dcard").pk),
            "url": "https://www.dcard.tw/f/talk/p/1",
            "first_seen_on": format_roc(timezone.localdate()),
            "kept_where": "usb",
        },
    )
    assert response.status_code == 302
