"""Run the SMS outbox sweeper once (the same job Celery beat runs every minute: sms-sweep).

Enqueues queued messages that are due and whose task was lost (a broker that was down, a lost
message), and marks messages stuck in 'sending' longer than SMS_SENDING_TIMEOUT as uncertain for a
person to check (never resent automatically). Safe to run from cron while beat also runs.
"""

from django.core.management.base import BaseCommand

from cases.sms import outbox


class Command(BaseCommand):
    help = "Enqueue due SMS left in the outbox; mark messages stuck in 'sending' for a person to check."

    def handle(self, *args, **options):
        result = outbox.sms_sweep()
        self.stdout.write(f"enqueued {result['enqueued']}, marked uncertain {result['uncertain']}")
        if result["broker_down"]:
            self.stdout.write(
                self.style.WARNING(
                    f"broker unavailable: {result['broker_down']} message(s) wait for the next sweep"
                )
            )
