import pytest

from safety.catalogue import load_catalogues
from safety.models import SafetySheet, ShelterScheme


@pytest.fixture(autouse=True)
def safety_catalogues(db):
    """The catalogues come from a data migration; a transactional test elsewhere may have flushed them."""
    load_catalogues(SafetySheet, ShelterScheme)


@pytest.fixture
def scheme(safety_catalogues):
    return ShelterScheme.objects.get(roc_year=112)


@pytest.fixture
def closed_case_of_worker(hotline, worker, supervisor):
    from cases import services
    from cases.models import CaseStatusChange
    from tests.factories import make_case

    case = make_case(actor=hotline, worker=worker)
    services.case_close_request(
        actor=worker, case=case, closing_reason=CaseStatusChange.ClosingReason.GOALS_MET, note="影像已下架。"
    )
    services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意結案。")
    case.refresh_from_db()
    return case
