"""The forums app; on start its posts join moderation (reportable, category moderators, held posts)."""

from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self) -> None:
        from forums import evidence, moderation

        moderation.register()
        evidence.register()
