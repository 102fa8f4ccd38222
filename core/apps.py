from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import drf, folding
        from core.memberfacts import MEMBER_FACTS, MemberFact
        from core.selectors import count_unread_notifications
        from core.taxonomy import sync_taxonomy

        folding.install()
        MEMBER_FACTS.register("core.unread_notifications", MemberFact(
            kinds=lambda user: [("core.notifications", user.pk)], make=count_unread_notifications))
        drf.install_field_prototypes()

        # Like content types and permissions, the taxonomy is re-created after every migrate
        # and every test flush, so it is always there for the apps that reference it.
        post_migrate.connect(sync_taxonomy, sender=self, dispatch_uid="core.sync_taxonomy")
