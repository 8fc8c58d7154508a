"""The hub's public write kit: every app saves its records through these, so history names the actor.

Validation comes first (full_clean), then the save; the history row (django-simple-history) carries
the acting user. Writes belong in services, which call these inside their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models


def model_save(*, actor, instance: models.Model, update_fields: Iterable[str] | None = None) -> None:
    """Validate and save a new or changed record, with `actor` on its history row.

    With update_fields only those columns are validated and written (a concurrent change to another
    column is not overwritten).
    """
    instance._history_user = actor
    if update_fields is None:
        instance.full_clean()
        instance.save()
        return
    update_fields = list(update_fields)
    instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in update_fields])
    auto_now = [f.name for f in instance._meta.fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=update_fields + [f for f in auto_now if f not in update_fields])


def model_update(*, actor, instance: models.Model, data: Mapping, fields: Iterable[str]) -> list[str]:
    """Set `fields` of `instance` from `data` (those present in it) and save the ones that changed.

    Returns the names of the changed fields; nothing is written (and no history row made) when none did.
    """
    changed = []
    for name in fields:
        if name not in data:
            continue
        if getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        model_save(actor=actor, instance=instance, update_fields=changed)
    return changed
