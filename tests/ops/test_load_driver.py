"""The load test's driver (manage.py bench_load, bench/load.py) without running a load: the accounts it
opens sign in with both factors and are closed again, the mix of roles, its report, and `make bench`'s
marked sections of docs/benchmarks.md."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import load, report
from bench.seed import ensure_users
from cases.roles import sync_role_groups


@pytest.mark.parametrize(
    ("users", "expected"),
    [
        (4, {"hotline": 1, "worker": 1, "supervisor": 1, "police": 1}),
        (50, {"hotline": 10, "worker": 25, "supervisor": 5, "police": 10}),
        (7, {"hotline": 1, "worker": 4, "supervisor": 1, "police": 1}),
        (13, {"hotline": 3, "worker": 6, "supervisor": 1, "police": 3}),
    ],
)
def test_the_mix_gives_every_role_someone_and_adds_up(users, expected):
    assert load.mix(users) == expected


def test_fewer_users_than_roles_is_refused():
    with pytest.raises(ValueError, match="one per role"):
        load.mix(3)


@pytest.mark.django_db
def test_accounts_sign_in_with_both_factors_for_the_run_only(rf):
    sync_role_groups()
    ensure_users(workers=2, police=1)
    accounts = load.accounts_open({"hotline": 2, "worker": 2, "supervisor": 1, "police": 1})
    names = [a["username"] for pool in accounts.values() for a in pool]
    assert names == [
        "bench_hotline",
        "bench_hotline02",
        "bench_worker01",
        "bench_worker02",
        "bench_supervisor",
        "bench_police01",
    ]
    User = get_user_model()
    hotline2 = User.objects.get(username="bench_hotline02")
    assert hotline2.groups.get().name == "hotline"  # made for the run, with the role's group

    for pool in accounts.values():
        for account in pool:
            user = authenticate(
                rf.post("/login/"), username=account["username"], password=account["password"]
            )
            assert user is not None
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            # What the locust file computes from totp_key is what the device accepts.
            assert device.key == account["totp_key"]
            assert device.verify_token(f"{totp(device.bin_key):06d}")

    load.accounts_close(names)
    for account in (a for pool in accounts.values() for a in pool):
        user = User.objects.get(username=account["username"])
        assert not user.has_usable_password()
        assert authenticate(rf.post("/login/"), username=user.username, password=account["password"]) is None
    assert not TOTPDevice.objects.filter(user__username__in=names).exists()


def test_the_report_reads_locusts_csv_and_counts_exceptions_as_errors(tmp_path):
    prefix = tmp_path / "locust"
    header = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%"
    (tmp_path / "locust_stats.csv").write_text(
        "\n".join(
            [
                header,
                "GET,worker: case page,120,0,1.5,300,900",
                "POST,worker: save contact,40,1,0.5,400,1200",
                ",Aggregated,160,1,2.0,320,1000",
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "locust_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nPOST,worker: save contact,expected a redirect,1\n", encoding="utf-8"
    )
    (tmp_path / "locust_exceptions.csv").write_text(
        "Count,Message,Traceback,Nodes\n2,LookupError('no form with worker'),tb,local\n", encoding="utf-8"
    )
    pages, total, errors = load.read_stats(prefix)
    assert [p.name for p in pages] == ["worker: case page", "worker: save contact"]
    assert (total.requests, total.failures, total.p95) == (160, 1, 1000)
    assert sum(n for _, _, n in errors) == 3
    table = load.table(pages, total)
    assert "| worker: case page | 120 | 0 | 1.50 | 300 | 900 |" in table
    assert "| **all requests** | 160 | 1 | 2.00 | 320 | 1,000 |" in table


def test_a_marked_section_is_replaced_and_the_rest_kept(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "intro\n<!-- bench:load:start -->\nold\n<!-- bench:load:end -->\nafter\n", encoding="utf-8"
    )
    report.replace_section(doc, "load", "| new |")
    assert doc.read_text(encoding="utf-8") == (
        "intro\n<!-- bench:load:start -->\n| new |\n<!-- bench:load:end -->\nafter\n"
    )
    with pytest.raises(ValueError, match="bench:pages"):
        report.replace_section(doc, "pages", "x")


def test_the_benchmarks_doc_has_both_sections_make_bench_writes():
    text = report.benchmarks_doc().read_text(encoding="utf-8")
    for name in ("pages", "load"):
        assert text.count(f"<!-- bench:{name}:start -->") == 1
        assert text.count(f"<!-- bench:{name}:end -->") == 1
