"""The events app; on start its events become reportable to the moderators."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from events import evidence, moderation

        moderation.register()
        evidence.register()
