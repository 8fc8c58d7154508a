"""The unit's case list by worker: each case keeps its worker's name (cases.worker_sort) through every
write path, and the list reads it in the promised order (name, worker id, unassigned last, newest first).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from cases import services, worker_sort
from cases.models import Case
from tests.cases.contact_factories import close_case
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


def kept() -> dict:
    return {
        pk: (last, first)
        for pk, last, first in Case.objects.values_list("pk", "worker_last_name", "worker_first_name")
    }


def computed() -> dict:
    """From the user rows, in Python: (None, None) without a worker."""
    names = {u.pk: (u.last_name, u.first_name) for u in get_user_model().objects.all()}
    return {
        pk: names.get(worker, (None, None))
        for pk, worker in Case.objects.values_list("pk", "assigned_worker")
    }


def assert_kept() -> None:
    assert Case.objects.exists()
    assert kept() == computed()


def test_every_write_path_keeps_the_worker_name(client, hotline, worker, worker2, supervisor, admin_user):
    case = make_case(actor=hotline)  # opened, not yet dispatched
    assert kept()[case.pk] == (None, None)
    services.dispatch_case(actor=supervisor, case=case, worker=worker, reason="派案")
    assert kept()[case.pk] == ("陳", "社工")
    other = make_case(actor=hotline, worker=worker)
    services.dispatch_case(actor=supervisor, case=case, worker=worker2, reason="原社工休假")  # 改派
    assert kept()[case.pk] == ("王", "社工") and kept()[other.pk] == ("陳", "社工")
    assert_kept()
    close_case(worker=worker2, supervisor=supervisor, case=case)  # the closed case keeps its worker
    assert kept()[case.pk] == ("王", "社工")
    services.case_reopen(actor=supervisor, case=case, note="影像再次被散布")
    assert_kept()

    # A rename in the admin's user form reaches every case of that worker, and no one else's.
    client.force_login(admin_user)
    data = {
        "username": worker.username,
        "first_name": "美華",
        "last_name": "歐陽",
        "email": "",
        "is_active": "on",
        "groups": [str(g.pk) for g in worker.groups.all()],
    }
    response = client.post(reverse("admin:auth_user_change", args=[worker.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert kept()[other.pk] == ("歐陽", "美華") and kept()[case.pk] == ("王", "社工")
    # ... and any other save of a user (the shell, a directory sync).
    worker2.first_name = "小芳"
    worker2.save(update_fields=["first_name"])
    assert kept()[case.pk] == ("王", "小芳")
    assert_kept()

    # A full save of a Case loaded before the rename writes its old values back: the trigger repairs it.
    stale = Case.objects.get(pk=other.pk)
    stale.worker_last_name, stale.worker_first_name = "舊", "名"
    stale.save()
    assert kept()[other.pk] == ("歐陽", "美華")
    Case.objects.filter(pk=case.pk).update(worker_last_name="亂寫")  # even a raw bulk update
    assert_kept()


def test_the_unit_list_by_worker_reads_name_then_id_then_newest_with_unassigned_last(
    client, hotline, worker, worker2, supervisor
):
    namesake = make_user(
        "namesake", "social_worker", first_name="社工", last_name="陳"
    )  # same name as worker
    assert namesake.pk > worker.pk
    unassigned = [make_case(actor=hotline) for _ in range(2)]
    of_namesake = [make_case(actor=hotline, worker=namesake) for _ in range(2)]
    of_worker = [make_case(actor=hotline, worker=worker) for _ in range(2)]
    of_worker2 = [make_case(actor=hotline, worker=worker2, immediate_danger="yes") for _ in range(2)]
    flagged_of_worker = make_case(actor=hotline, worker=worker, immediate_danger="yes")
    of_worker.append(flagged_of_worker)

    def newest_first(cases):
        return [c.pk for c in sorted(cases, key=lambda c: c.opened_at, reverse=True)]

    # 王 before 陳 (code point order, as the database's C collation sorts), the two 陳社工 by id.
    expected = [
        *newest_first(of_worker2),
        *newest_first(of_worker),
        *newest_first(of_namesake),
        *newest_first(unassigned),
    ]
    client.force_login(supervisor)
    url = reverse("cases:my_cases")

    def listed(**params):
        return [row.pk for row in client.get(url, {"sort": "worker", **params}).context["page"].object_list]

    assert listed() == expected
    flagged = {*(c.pk for c in of_worker2), flagged_of_worker.pk}
    assert listed(flag="1") == [pk for pk in expected if pk in flagged]
    assert listed(status="assigned") == [pk for pk in expected if pk not in {c.pk for c in unassigned}]
    assert listed(status="new") == newest_first(unassigned)
    # A rename moves the worker's cases in the list at once.
    worker.last_name = "丁"
    worker.save(update_fields=["last_name"])
    assert listed()[: len(of_worker)] == newest_first(of_worker)


def test_refresh_all_repairs_what_was_written_with_the_triggers_off(hotline, worker):
    make_case(actor=hotline, worker=worker)
    make_case(actor=hotline)
    worker_sort.uninstall()
    try:
        Case.objects.update(worker_last_name="亂", worker_first_name=None)
        assert worker_sort.refresh_all() == 2
        assert_kept()
        assert worker_sort.refresh_all() == 0  # nothing differs any more
    finally:
        worker_sort.install()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="set-based copying needs PostgreSQL")
def test_the_benchmark_seeders_keep_the_worker_names():
    from bench import clone, deadlines, seed

    users = seed.ensure_users(workers=3, police=2)
    seed.seed(users=users, cases=30, batch_size=10, log=lambda _: None)
    deadlines.seed_deadlines(batch_size=20, log=lambda _: None)
    assert Case.objects.filter(worker_last_name__isnull=False).exists()
    assert_kept()
    clone.clone(cases=30, log=lambda _: None)  # copies with triggers off: the names come with the case
    assert Case.objects.count() == 60
    assert_kept()
