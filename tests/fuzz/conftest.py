"""The access matrix's record fixtures (tests/test_access_matrix.py), so the fuzz calls every URL with the
same records the matrix does; the apps' own record fixtures already come from tests/conftest.py."""

from _pytest.fixtures import FixtureFunctionDefinition  # the type of a @pytest.fixture function

from tests import test_access_matrix as _matrix

# Re-bound here, so any fixture the matrix gains is picked up without a list to keep in step.
for _name, _obj in vars(_matrix).items():
    if isinstance(_obj, FixtureFunctionDefinition):
        globals()[_name] = _obj
