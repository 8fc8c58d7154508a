"""SMS to victims (guideline 1-3 and reminders): text rules, backends, the gateway adapter.

The outbox services that queue and deliver messages are in `cases.sms.outbox`; docs/sms.md explains both.
"""
