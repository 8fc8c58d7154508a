"""gunicorn's configuration (scripts/prod web): threaded workers, JSON logs, settings from the environment.

Threads, not the default sync workers: a sync worker is held by one slow client until `timeout`, so four
clients trickling their headers stall four workers and the whole site for 30 s. A gthread worker parks an
idle connection on its poller and serves others on WORKERS x THREADS threads; a buffering reverse proxy
(nginx) in front is still the real defence against many slow clients (docs/configuration.md "Serving").
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from config.logs import logging_config  # noqa: E402


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


wsgi_app = "config.wsgi:application"
chdir = str(BASE_DIR)
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 16)
# A request that takes longer is a bug or an attack; the worker is restarted (its other threads too).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, jittered so they do not restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# X-Forwarded-* are believed only from the addresses listed here; none by default (docs/configuration.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
# JSON lines on stderr, access lines without query strings or headers (config/logs.py).
accesslog = "-"
logconfig_dict = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"))
proc_name = "ncii-web"
# No control socket: its default path (~/.gunicorn/gunicorn.ctl) would be shared by two instances.
control_socket_disable = True
