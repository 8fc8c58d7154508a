"""Every page that shows a victim's identity is a logged read, lists included (issue 21, point 1)."""

import pytest
from django.urls import reverse

from cases.models import CaseReadLog
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db


def test_the_case_list_logs_one_read_per_case_shown(client, hotline, worker, worker2):
    mine = [make_case(actor=hotline, worker=worker) for _ in range(2)]
    make_case(actor=hotline, worker=worker2)  # not shown to worker
    client.force_login(worker)
    client.get(reverse("cases:my_cases"))
    logged = CaseReadLog.objects.filter(user=worker, view="案件列表")
    assert sorted(logged.values_list("case_id", flat=True)) == sorted(c.pk for c in mine)


def test_the_intake_queue_logs_each_waiting_intake_shown(client, hotline):
    intakes = [make_intake(actor=hotline) for _ in range(3)]
    client.force_login(hotline)
    client.get(reverse("cases:intake_queue"))
    logged = CaseReadLog.objects.filter(user=hotline, view="待處理受理紀錄")
    assert sorted(logged.values_list("intake_id", flat=True)) == sorted(i.pk for i in intakes)
    assert not logged.filter(case__isnull=False).exists()


def test_the_overview_logs_the_cases_it_names(client, hotline, supervisor, worker):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(supervisor)
    client.get(reverse("cases:overview"))
    assert CaseReadLog.objects.filter(user=supervisor, view="督導總覽", case=case).count() == 1
