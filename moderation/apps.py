"""The moderation app: the platform's reports queue, sanctions, the moderation log and who moderates
what. Profiles and organisations (accounts, the layer below) are reportable from here; every feature
app registers its own reportable kinds and scopes from its AppConfig.ready()."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from core.memberfacts import MEMBER_FACTS, MemberFact
        from moderation import kinds, notifications
        from moderation.permissions import rights, rights_kinds

        kinds.register()
        MEMBER_FACTS.register("moderation.rights", MemberFact(kinds=rights_kinds, make=rights))
        notifications.register()
