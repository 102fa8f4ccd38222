"""Send the daily e-mail digest of notifications; safe to run from cron as often as hourly."""

from django.core.management.base import BaseCommand

from core.services import send_notification_digests


class Command(BaseCommand):
    help = "E-mail members who chose a daily digest their unread notifications (idempotent)."

    def handle(self, *args, **options) -> None:
        sent = send_notification_digests()
        self.stdout.write(f"{sent} digest(s) sent")
