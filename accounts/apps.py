from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and organisations")

    def ready(self) -> None:
        from accounts import evidence, extensions, notifications
        from accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="accounts.sync_role_groups")
        extensions.register()
        notifications.register()
        evidence.register()
