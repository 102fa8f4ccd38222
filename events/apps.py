"""The events app; on start it fills core's extension points and moderation's reportable kinds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from events import evidence, extensions, moderation, notifications

        extensions.register()
        notifications.register()
        moderation.register()
        evidence.register()
