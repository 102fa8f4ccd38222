"""The chat app; on start it offers its "write to" action and profile buttons (core.extensions) and its
messages join the moderators' report queue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        from chat import actions, extensions, notifications, reports, selectors
        from core.memberfacts import MEMBER_FACTS, MemberFact

        extensions.register()
        MEMBER_FACTS.register("chat.unread", MemberFact(kinds=lambda user: [("chat.unread", user.pk)],
                                                        make=selectors.unread_total))
        notifications.register()
        actions.register()
        reports.register()
