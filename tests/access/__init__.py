"""Access-matrix rows contributed by each app, merged into tests/test_access_matrix.py.

Each module here holds one app's rows in the same shape as the main table: RECORD (URL name -> record
key), RECORD_FIXTURES (record key -> fixture name), POST_DATA (URL name -> callable(records) -> dict),
MATRIX (rows: url name, method, then one expected status per role in tests/test_access_matrix.ROLES),
POST_ONLY (URL names of POST-only action buttons, which have no GET row), and the fixtures that build
the records, listed in the module's __all__ (tests/conftest.py imports them).
"""
