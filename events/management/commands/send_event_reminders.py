"""Enqueue the reminder job; safe to run every minute from cron or the systemd timer (the worker sends)."""

from django.core.management.base import BaseCommand

from events.tasks import enqueue_reminders


class Command(BaseCommand):
    help = ("Enqueue the sending of due event reminders (default 24 h and 1 h before the start); a worker "
            "(manage.py db_worker) sends them, never twice for the same reminder.")

    def handle(self, *args, **options) -> None:
        enqueue_reminders()
        self.stdout.write("Reminders enqueued.")
