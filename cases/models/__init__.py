"""The hub's models, by subject. Other code imports them from here (`from cases.models import Case`)."""

from cases.models.audit import AuditChainHead, AuditEvent
from cases.models.contacts import CaseStatusChange, Contact, ServiceAppointment
from cases.models.core import Case, CaseNumberCounter, CaseReadLog, Dispatch, Intake, Victim
from cases.models.forms import FormDraft, FormSubmission
from cases.models.oversight import BreakGlassGrant, IntakeAlert
from cases.models.sms import SmsMessage, SmsMessageQuerySet, SmsTemplate
from cases.models.statistics import UnitCounter, UnitStatistic
from cases.models.tracker import Deadline, DeadlineReminder, JobLock, Notification

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "BreakGlassGrant",
    "Case",
    "CaseNumberCounter",
    "CaseReadLog",
    "CaseStatusChange",
    "Contact",
    "Deadline",
    "DeadlineReminder",
    "Dispatch",
    "FormDraft",
    "FormSubmission",
    "Intake",
    "IntakeAlert",
    "JobLock",
    "Notification",
    "SmsMessage",
    "SmsMessageQuerySet",
    "ServiceAppointment",
    "SmsTemplate",
    "UnitCounter",
    "UnitStatistic",
    "Victim",
]
