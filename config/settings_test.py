"""Test settings: fresh keys each run, eager Celery, fast hashing.

DATABASE_URL still decides the database, so CI runs the same suite on PostgreSQL.
"""

import os
import tempfile

from cryptography.fernet import Fernet

os.environ.setdefault("SECRET_KEY", "test-" + Fernet.generate_key().decode() + Fernet.generate_key().decode())
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
os.environ.setdefault("BLIND_INDEX_KEY", Fernet.generate_key().decode())
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO_PASSWORD", "demo-pass-for-tests")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SMS_REMINDER_CALLBACK_NUMBER", "(02)2700-1234")
# The test client's host; tests/accounts/authenticator.py signs for it like a browser would.
os.environ.setdefault("WEBAUTHN_RP_ID", "testserver")
os.environ.setdefault("WEBAUTHN_ORIGINS", "http://testserver")

from config.settings import *  # noqa: E402,F403

# SQLite: a file, not :memory:, so the Celery worker that the SMS tests start (tests/sms/) opens the
# same test database; one file per test process, so two runs in one checkout never share it. WAL lets
# the worker write while the test reads; IMMEDIATE transactions wait for the write lock instead of
# failing with "database is locked" when the worker wrote since the transaction began.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"ncii-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
    }

ALLOWED_HOSTS = ["*"]
# The general suite signs in with force_login; tests/accounts/ turn the second factor on and prove it.
TWO_FACTOR_REQUIRED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SMS_BACKEND = "file"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
