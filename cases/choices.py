"""Checklists of guideline item 1 (what the caller asked for; services offered per 1-2)."""

from django.db import models


class CallerRequest(models.TextChoices):
    LEGAL = "legal", "法律權益說明"
    TAKEDOWN = "takedown", "影像下架"
    EVIDENCE = "evidence", "保存證據"
    REPORT = "report", "報案協助"
    EMOTIONAL = "emotional", "情緒支持"
    SAFETY = "safety", "人身安全"
    COUNSELLING = "counselling", "心理諮商"
    OTHER = "other", "其他"


class ServiceOffered(models.TextChoices):
    """Guideline 1-2: services the hotline offers a caller."""

    EXPLAIN = "explain", "說明服務內容"
    BOOK = "book", "代為約定服務日期時間"
    COMPLAINT_DEADLINE = "complaint_deadline", "提醒告訴期限"
    EMOTIONAL_SUPPORT = "emotional_support", "給予心理支持"
    TAKEDOWN_RESOURCES = "takedown_resources", "提供影像下架資源"
    DISPATCH = "dispatch", "派案性保組"
    SAFETY_SHEET = "safety_sheet", "提供安全提醒單"


def choice_labels(values, choices) -> str:
    """Stored choice values as staff read them, joined with 、 (["legal"] -> "法律權益說明")."""
    labels = dict(choices)
    return "、".join(str(labels.get(v, v)) for v in values or [])
