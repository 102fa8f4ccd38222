"""The events app; on start it fills core's extension points and moderation's reportable kinds."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from events import evidence, extensions, moderation, notifications

        extensions.register()
        notifications.register()
        moderation.register()
        evidence.register()
