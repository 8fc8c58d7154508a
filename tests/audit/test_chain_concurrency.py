"""Concurrent writers of one audit table each get their own link, in commit order (real connections)."""

import threading

import pytest
from django.db import connections, transaction

from cases.audit_chain import verify_table
from cases.models import CaseReadLog
from cases.readlog import log_case_read, log_list_reads
from cases.roles import sync_role_groups
from tests.factories import make_case, make_user


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_one_unbroken_chain():
    sync_role_groups()  # transactional tests start from flushed tables
    hotline = make_user("hotline", "hotline")
    worker = make_user("worker", "social_worker")
    case = make_case(actor=hotline, worker=worker)
    start = threading.Barrier(4)
    errors = []

    def write(n: int):
        try:
            start.wait()
            for i in range(8):
                with transaction.atomic():
                    log_case_read(user=worker, case=case, view=f"頁面 {n}-{i}")
                    log_list_reads(user=worker, case_ids=[case.pk], view="案件列表")
        except Exception as exc:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    seqs = sorted(CaseReadLog.objects.values_list("chain_seq", flat=True))
    assert seqs == list(range(1, 65))
    report = verify_table(CaseReadLog)
    assert report.finding is None and report.rows == 64
