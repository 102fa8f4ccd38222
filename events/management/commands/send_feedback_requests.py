"""Ask the attendees of events that ended for feedback; safe to run every few minutes from cron or a systemd timer."""

from django.core.management.base import BaseCommand

from events.services import send_feedback_requests


class Command(BaseCommand):
    help = "Ask every attendee of an event that ended (in the last 30 days) for feedback, once."

    def handle(self, *args, **options) -> None:
        sent = send_feedback_requests()
        self.stdout.write(f"{sent} feedback request(s) sent.")
