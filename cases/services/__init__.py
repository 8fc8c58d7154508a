"""Writes of the hub, by subject. Every service takes the acting user, validates before saving and
records the actor in history (cases.writes)."""

from cases.services.appointments import (
    appointment_book,
    appointment_label,
    appointment_set_status,
    appointments_move_to_case,
)
from cases.services.breakglass import break_glass_open, break_glass_review
from cases.services.closing import (
    case_close_decide,
    case_close_request,
    case_reopen,
    open_deadlines_blocking_closure,
)
from cases.services.contacts import case_clear_danger, case_flag_danger_from_intake, contact_record
from cases.services.intake import (
    case_open_from_intake,
    dispatch_case,
    intake_attach,
    intake_close,
    intake_record,
    victim_update,
)

__all__ = [
    "appointment_book",
    "appointment_label",
    "appointment_set_status",
    "appointments_move_to_case",
    "break_glass_open",
    "break_glass_review",
    "case_clear_danger",
    "case_close_decide",
    "case_close_request",
    "case_flag_danger_from_intake",
    "case_open_from_intake",
    "case_reopen",
    "contact_record",
    "dispatch_case",
    "intake_attach",
    "intake_close",
    "intake_record",
    "open_deadlines_blocking_closure",
    "victim_update",
]
