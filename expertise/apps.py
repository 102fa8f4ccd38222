"""The expertise exchange. On start it puts its sections on other apps' pages, its requests in the
site-wide search and the moderators' report queue, through the declared extension points."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertiseConfig(AppConfig):
    name = "expertise"
    verbose_name = _("Expertise exchange")

    def ready(self) -> None:
        from expertise import extensions, moderation, notifications

        extensions.register()
        notifications.register()
        moderation.register()
