"""What keeps the busy pages fast at a million cases (issue 19) without changing what staff see:
counts capped at 「999+」, the unread badge at 「99+」, lists that decrypt only the name they show,
and the deadline dashboard read through the owner index with the same scope as before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import tracker
from cases.models import Case, CaseReadLog, Deadline, Notification
from cases.notifications import notify
from cases.paging import Capped, CappedPaginator, capped_counts
from tests.factories import make_case

pytestmark = pytest.mark.django_db


class TestCappedCounts:
    def test_a_capped_count_prints_with_a_plus_and_compares_as_its_number(self):
        assert str(Capped(1000)) == "999+" and Capped(1000) == 1000
        assert str(Capped(12)) == "12" and f"{Capped(12)}" == "12"
        assert str(Capped(2000, cap=2000)) == "1,999+"

    def test_the_paginator_counts_up_to_the_cap_and_still_pages_past_it(self, hotline):
        for _ in range(7):
            make_case(actor=hotline)
        rows = Case.objects.order_by("-opened_at")
        first = CappedPaginator(rows, 2, page=1, cap=4).get_page(1)
        assert str(first.paginator.count) == "3+" and str(first.paginator.num_pages) == "2+"
        assert first.has_next()
        # Asking for page 3 counts one row past it, so page 3 exists and knows a page 4 follows.
        third = CappedPaginator(rows, 2, page=3, cap=4).get_page(3)
        assert third.number == 3 and len(third.object_list) == 2 and third.has_next()
        last = CappedPaginator(rows, 2, page=4, cap=4).get_page(4)
        assert len(last.object_list) == 1 and not last.has_next() and last.paginator.count == 7

    def test_several_capped_counts_take_one_query(self, hotline, django_assert_num_queries):
        for _ in range(3):
            make_case(actor=hotline)
        with django_assert_num_queries(1):
            counts = capped_counts(
                {"all": Case.objects.all(), "none": Case.objects.filter(status=Case.Status.CLOSED)}, cap=2
            )
        assert counts == {"all": 2, "none": 0}


class TestUnreadBadge:
    def _notify(self, user, n):
        notify(recipients=[user] * n, kind=Notification.Kind.SYSTEM, text="通知")

    def test_the_badge_shows_the_number_up_to_99(self, client, worker):
        self._notify(worker, 99)
        client.force_login(worker)
        assert 'badge text-bg-danger">99<' in client.get(reverse("cases:notifications")).content.decode()

    def test_past_99_the_badge_says_99_plus(self, client, worker):
        self._notify(worker, 150)
        client.force_login(worker)
        assert 'badge text-bg-danger">99+<' in client.get(reverse("cases:notifications")).content.decode()


class TestListsDecryptOnlyTheName:
    def test_the_case_list_reads_the_victims_name_and_nothing_else_encrypted(self, client, hotline, worker):
        from cases.selectors import CASE_LIST_COLUMNS

        case = make_case(actor=hotline, worker=worker, victim_name="范姜若蘅")
        client.force_login(worker)
        response = client.get(reverse("cases:my_cases"))
        (row,) = response.context["page"].object_list
        assert row.victim__name == "范姜若蘅" and row.pk == case.pk and row._fields == CASE_LIST_COLUMNS
        read = {c.split("__")[-1] for c in CASE_LIST_COLUMNS}
        assert not read & {"phone", "national_id", "address", "birth_date", "danger_note"}
        assert "范姜若蘅" in response.content.decode()

    def test_the_intake_queue_reads_the_name_and_nothing_else_encrypted(self, client, hotline):
        from cases.selectors import INTAKE_QUEUE_COLUMNS
        from tests.factories import make_intake

        make_intake(actor=hotline, victim_name="上官映雪")
        client.force_login(hotline)
        response = client.get(reverse("cases:intake_queue"))
        (row,) = response.context["page"].object_list
        assert row.victim_name == "上官映雪" and row._fields == (*INTAKE_QUEUE_COLUMNS, "matched")
        read = set(row._fields)
        assert not read & {"narrative", "victim_phone", "victim_national_id", "caller_name", "wishes_note"}
        assert "上官映雪" in response.content.decode()


class TestWorkerDeadlineScope:
    """The dashboard reads the owner index, and still lists what the worker saw before: deadlines they
    own anywhere (an escort on a colleague's case) and those on their own cases someone else owns."""

    def _deadline(self, case, *, owner, title):
        source = CaseReadLog.objects.create(case=case, user=case.opened_by, view=title)
        return tracker.deadline_open(
            case=case,
            kind=Deadline.Kind.APPOINTMENT,
            source=source,
            title=title,
            owner=owner,
            due=timezone.localdate() + dt.timedelta(days=3),
        )

    def test_own_deadlines_anywhere_and_every_deadline_of_their_cases(self, client, hotline, worker, worker2):
        mine = make_case(actor=hotline, worker=worker)
        theirs = make_case(actor=hotline, worker=worker2)
        self._deadline(mine, owner=worker, title="我的案件我負責")
        self._deadline(mine, owner=worker2, title="同事陪同我的案件")
        self._deadline(theirs, owner=worker, title="我陪同同事的案件")
        self._deadline(theirs, owner=worker2, title="同事自己的期限")
        client.force_login(worker)
        response = client.get(reverse("cases:deadlines"))
        titles = sorted(d.title for d in response.context["page"].object_list)
        assert titles == sorted(["我的案件我負責", "同事陪同我的案件", "我陪同同事的案件"])
        assert response.context["summary"]["week"] == 3
