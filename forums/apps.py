"""The forums app; on start it fills core's extension points (sections, search, evidence) and
moderation's (reportable posts, category moderators, held posts)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from forums import evidence, extensions, moderation, notifications

        extensions.register()
        notifications.register()
        moderation.register()
        evidence.register()
