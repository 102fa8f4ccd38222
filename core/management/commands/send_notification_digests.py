"""Enqueue the daily e-mail digest of notifications; safe to run from cron as often as hourly."""

from django.core.management.base import BaseCommand

from core.tasks import enqueue, send_notification_digests


class Command(BaseCommand):
    help = ("Enqueue the mailing of unread notifications to members who chose a daily digest; a worker "
            "(manage.py db_worker) sends them, never twice (idempotent).")

    def handle(self, *args, **options) -> None:
        enqueue(send_notification_digests)
        self.stdout.write("Digests enqueued.")
