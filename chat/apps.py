"""The chat app; on start its messages join the moderators' report queue."""

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from chat import actions, reports

        reports.register()
        actions.register()
