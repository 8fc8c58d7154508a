"""Will this environment run production? `python -m config.production` (scripts/prod runs it first).

Exits 78 (EX_CONFIG; systemd units can stop restarting on it) with one line per problem, in zh-Hant and
English, when DEBUG is on, when the database, the broker or the cache is missing or per-process, or when a
key is a development key. Development keys are recognised two ways: `scripts/dev-env` marks the keys it
draws (`dev-` before the secret and the index key, `DEVKEY` at the start of the Fernet key), and any key
also found in a `.env` that says DEBUG=true (one written before the markers existed) is one too.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

EX_CONFIG = 78
DEV_TEXT_PREFIX = "dev-"
DEV_FERNET_PREFIX = "DEVKEY"
KEY_NAMES = ("SECRET_KEY", "BLIND_INDEX_KEY", "FIELD_ENCRYPTION_KEYS")
# Caches a second web process cannot see.
PER_PROCESS_CACHES = ("locmemcache", "dummycache")


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip().strip("'\"")
    return values


def _split_keys(name: str, value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if name == "FIELD_ENCRYPTION_KEYS" else [value]


def development_keys(dotenv: Path) -> set[str]:
    """The keys of a development .env (DEBUG=true), which must never protect real records."""
    values = _read_dotenv(dotenv)
    if values.get("DEBUG", "").lower() not in ("true", "1", "yes", "on"):
        return set()
    return {key for name in KEY_NAMES for key in _split_keys(name, values.get(name, ""))}


def production_problems(environ: dict[str, str], *, dotenv: Path) -> list[str]:
    """What stops `environ` (the variables after .env filled the gaps) from running production."""
    problems = []
    if environ.get("DEBUG", "false").strip().lower() in ("true", "1", "yes", "on"):
        problems.append("DEBUG 必須關閉 (DEBUG must be false)")
    if not environ.get("DATABASE_URL"):
        problems.append("未設定 DATABASE_URL (DATABASE_URL is not set: postgres://user@host:5432/name)")
    elif environ["DATABASE_URL"].startswith("sqlite"):
        problems.append("正式環境不使用 SQLite (DATABASE_URL must name PostgreSQL, not SQLite)")
    if not environ.get("CELERY_BROKER_URL"):
        problems.append("未設定 CELERY_BROKER_URL (CELERY_BROKER_URL is not set: redis://host:6379/0)")
    cache = environ.get("CACHE_URL", "")
    if not cache or cache.split(":", 1)[0] in PER_PROCESS_CACHES:
        problems.append(
            "CACHE_URL 須為各程序共用的快取 (CACHE_URL must name a shared cache: redis://… or dbcache://…)"
        )
    dev = development_keys(dotenv)
    for name in KEY_NAMES:
        for key in _split_keys(name, environ.get(name, "")):
            marked = key.startswith(DEV_FERNET_PREFIX if name == "FIELD_ENCRYPTION_KEYS" else DEV_TEXT_PREFIX)
            if marked or key in dev:
                problems.append(f"{name} 是開發用金鑰 ({name} is a development key from scripts/dev-env)")
                break
    return problems


def main() -> int:
    from config.env import BASE_DIR  # reads .env into os.environ without overwriting what is set

    problems = production_problems(dict(os.environ), dotenv=BASE_DIR / ".env")
    if not problems:
        # The settings' own refusals (keys that are not random, bad SMS settings, …) and Django's checks.
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        try:
            import django
            from django.core.management import call_command

            django.setup()
            # Errors raise; warnings are for a person running `check --deploy`, not for the JSON log.
            quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
            call_command("check", "--deploy", "--fail-level", "ERROR", **quiet)
        except Exception as exc:  # noqa: BLE001 (ImproperlyConfigured, SystemCheckError: reported alike)
            problems.append(str(exc).strip())
    if problems:
        print("拒絕以正式環境啟動 (refusing to start production):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return EX_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
