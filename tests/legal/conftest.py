import pytest

from legal.catalogue import load_offences
from legal.models import Offence


@pytest.fixture(autouse=True)
def offence_catalogue(db):
    """The catalogue comes from a data migration; a transactional test elsewhere may have flushed it."""
    load_offences(Offence)
