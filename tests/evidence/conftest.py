import pytest

from evidence.catalogue import load_catalogues
from evidence.models import ChecklistItem, Platform


@pytest.fixture(autouse=True)
def evidence_catalogues(db):
    """The catalogues come from a data migration; a transactional test elsewhere may have flushed them."""
    load_catalogues(Platform, ChecklistItem)
