"""Mail the event reminders that are due; safe to run every minute from cron or a systemd timer."""

from django.core.management.base import BaseCommand

from events.services import send_due_reminders


class Command(BaseCommand):
    help = "Send due event reminders (default 24 h and 1 h before the start); never twice for the same reminder."

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
