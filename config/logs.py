"""Structured logs: one JSON object per line, for the web processes, the workers and gunicorn alike.

Plain logging, no Django imports: gunicorn's config file uses it before Django starts. What a line holds is
chosen here, never copied from a request: gunicorn's access record carries every header (cookies) and the
query string (a search may be a victim's name), so only method, path, status, size and duration are kept.
PostgreSQL repeats a row's values in the DETAIL line of a constraint error; those lines are dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

# The fields of gunicorn's access atoms that are kept (atom -> key); U is the path without the query.
ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "B": "bytes", "M": "duration_ms"}
_DETAIL_LINE = re.compile(r"^\s*DETAIL:.*$", re.MULTILINE)


def _scrub(text: str) -> str:
    return _DETAIL_LINE.sub("DETAIL: (removed)", text)


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message"} plus the exception, or the safe fields of an access line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry["message"] = "request"
            for atom, key in ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-"):
                    entry[key] = int(value) if str(value).isdigit() else value
        else:
            entry["message"] = _scrub(record.getMessage())
        if record.exc_info:
            entry["exception"] = _scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str = "INFO", json_lines: bool = True) -> dict:
    """The dictConfig of every process; text lines for development (`make run`) when json_lines is off."""
    formatter = (
        {"()": "config.logs.JsonFormatter"}
        if json_lines
        else {"format": "%(levelname)s %(name)s %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # gunicorn's own loggers do not propagate; they get the same handler.
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
