from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory and clearinghouse")

    def ready(self) -> None:
        from directory import actions, evidence, extensions, moderation, notifications
        from directory.taxonomy import sync_target_groups

        post_migrate.connect(sync_target_groups, sender=self, dispatch_uid="directory.sync_target_groups")
        extensions.register()
        notifications.register()
        moderation.register()
        evidence.register()
        actions.register()
