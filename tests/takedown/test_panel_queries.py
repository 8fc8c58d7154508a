"""The takedown panel on the case page costs the same queries with N URLs behind it as with 3N."""

from __future__ import annotations

import pytest

from cases.models import Case
from takedown.selectors import case_takedown_panel
from tests.takedown.factories import make_complaint

pytestmark = pytest.mark.django_db

N = 2
# complaints + their targets + their follow-ups (prefetched) + StopNCII + advice
PANEL_QUERIES = 5


@pytest.mark.parametrize("count", [N, 3 * N])
def test_the_panel_reads_a_fixed_number_of_queries(count, worker, case_of_worker, django_assert_num_queries):
    for _ in range(count):
        make_complaint(actor=worker, case=case_of_worker, items=2)
    case = Case.objects.select_related("victim").get(pk=case_of_worker.pk)
    with django_assert_num_queries(PANEL_QUERIES):
        context = case_takedown_panel(case)
        for row in context["complaints"]:
            list(row["complaint"].targets.all())
            list(row["complaint"].follow_ups.all())
    assert len(context["complaints"]) == count
