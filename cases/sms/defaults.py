"""The default SMS templates, loaded by migration 0005 and restored by `ensure_default_templates`."""

from __future__ import annotations

from cases.sms.text import GUIDELINE_GENERIC_TEXT

GENERIC_RESOURCE = "generic_resource"
APPOINTMENT_REMINDER = "appointment_reminder"
DEADLINE_REMINDER = "deadline_reminder"

# The placeholders each template may use: what the code that queues it can fill in.
TEMPLATE_PLACEHOLDERS = {
    GENERIC_RESOURCE: ("hotline",),
    APPOINTMENT_REMINDER: ("time", "place_code", "callback"),
    DEADLINE_REMINDER: ("time", "callback"),
}

DEFAULT_TEMPLATES = [
    {
        "key": GENERIC_RESOURCE,
        "name": "服務資源簡訊（中心統一版本，指引 1-3）",
        "body": GUIDELINE_GENERIC_TEXT,
    },
    {
        "key": APPOINTMENT_REMINDER,
        "name": "預約提醒",
        "body": "您好，提醒您{time}在{place_code}的約定。如需更改，請來電{callback}。",
    },
    {
        "key": DEADLINE_REMINDER,
        "name": "重要日期提醒",
        "body": "您好，提醒您有一項重要日期在{time}，如有疑問請來電{callback}。",
    },
]


def ensure_default_templates(template_model) -> None:
    """Create the templates that are missing (never overwrites an edited one). Takes the model class so
    the data migration can pass its historical model."""
    for row in DEFAULT_TEMPLATES:
        template_model.objects.get_or_create(
            key=row["key"], defaults={"name": row["name"], "body": row["body"]}
        )
