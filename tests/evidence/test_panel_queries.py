"""The evidence panel on the case page costs the same queries with N items behind it as with 3N."""

from __future__ import annotations

import pytest

from cases.models import Case
from evidence.selectors import case_evidence_panel
from tests.evidence.factories import make_item, make_teaching

pytestmark = pytest.mark.django_db

N = 3
# items (platform joined) + teaching + checklist items + the victim's fingerprinted items for matches
# + the case's offences from the legal app (4-3-2A; none on the case page, where legal read them first)
PANEL_QUERIES = 5


def _add(n, *, case, worker):
    for i in range(n):
        make_item(
            actor=worker,
            case=case,
            sha256=f"{i % 2:064x}",
            phash=f"{i:016x}",
            url=f"https://www.facebook.com/p/{i}",
        )


@pytest.mark.parametrize("count", [N, 3 * N])
def test_the_panel_reads_a_fixed_number_of_queries(count, worker, case_of_worker, django_assert_num_queries):
    make_teaching(actor=worker, case=case_of_worker)
    _add(count, case=case_of_worker, worker=worker)
    case = Case.objects.select_related("victim").get(pk=case_of_worker.pk)
    with django_assert_num_queries(PANEL_QUERIES):
        context = case_evidence_panel(case)
        for item, matches in context["items"]:
            str(item.platform)
            for match in matches:
                str(match.item.case.number)
    assert len(context["items"]) == count
