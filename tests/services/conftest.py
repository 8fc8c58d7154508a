import pytest
from django.apps import apps

from services.catalogue import load_catalogues


@pytest.fixture(autouse=True)
def services_catalogues(request):
    """The catalogues come from a data migration; a transactional test elsewhere may have flushed them.

    Only for tests that use the database (the rules tests run without one).
    """
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("db")
        load_catalogues(apps)
