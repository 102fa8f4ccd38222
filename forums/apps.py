"""The forums app; loading its services registers forum posts as something members can report."""

from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self) -> None:
        from forums import evidence, services  # noqa: F401  services registers Post in forums.reports

        evidence.register()
