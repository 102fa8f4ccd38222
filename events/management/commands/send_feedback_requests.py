"""Enqueue the feedback requests; safe to run every few minutes from cron or the systemd timer (the worker sends)."""

from django.core.management.base import BaseCommand

from events.tasks import enqueue_feedback_requests


class Command(BaseCommand):
    help = ("Enqueue asking every attendee of an event that ended (in the last 30 days) for feedback; a worker "
            "(manage.py db_worker) sends the requests, once per attendee.")

    def handle(self, *args, **options) -> None:
        enqueue_feedback_requests()
        self.stdout.write("Feedback requests enqueued.")
