import pytest

from evidence.catalogue import load_catalogues as load_evidence_catalogues
from evidence.models import ChecklistItem, Platform
from takedown.catalogue import load_catalogues
from takedown.models import PrivacySettingItem, ResourceLink, StopNCIIPartner


@pytest.fixture(autouse=True)
def takedown_catalogues(db):
    """The catalogues come from data migrations; a transactional test elsewhere may have flushed them."""
    load_catalogues(ResourceLink, StopNCIIPartner, PrivacySettingItem)
    load_evidence_catalogues(Platform, ChecklistItem)
