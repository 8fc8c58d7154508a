"""The app's settings for the fault drills: config.settings as production runs it, with two changes.

- Static files are served by name, without `collectstatic`'s manifest: a drill is about databases,
  brokers and workers, and must not fail because a vendored file's source map is missing.
- FAULTS_BEAT_EVERY (seconds), when set, runs every CELERY_BEAT_SCHEDULE entry that often: the same
  entries and tasks, time compressed, so two beats collide many times in a short drill.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CELERY_BEAT_SCHEDULE

STORAGES = {
    **globals().get("STORAGES", {}),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STORAGES.setdefault("default", {"BACKEND": "django.core.files.storage.FileSystemStorage"})

if os.environ.get("FAULTS_BEAT_EVERY"):
    _every = float(os.environ["FAULTS_BEAT_EVERY"])
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": _every} for name, entry in CELERY_BEAT_SCHEDULE.items()
    }
