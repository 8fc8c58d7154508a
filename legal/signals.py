"""The official calendar changed (an admin added a typhoon day off): open complaint periods get their
art. 122 note recounted (legal.services.complaint_notes_refresh), connected in LegalConfig.ready()."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _rest_day_changed(sender, instance, **kwargs) -> None:
    from legal.services import complaint_notes_refresh

    complaint_notes_refresh(day=instance.date, actor=None)


def connect() -> None:
    from legal.models import RestDay

    post_save.connect(_rest_day_changed, sender=RestDay, dispatch_uid="legal_restday_saved")
    post_delete.connect(_rest_day_changed, sender=RestDay, dispatch_uid="legal_restday_deleted")
