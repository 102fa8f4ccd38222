"""Load the demo network: each app's `demo` module builds its part, in INSTALLED_APPS order; then the
demo logins (accounts' own) are printed. The command lives in accounts, the lowest app that has demo data,
so core imports no app above it.

Safe to run again: every builder finds what it made before and adds nothing twice. Builders write
through the real services, which notify by e-mail; the demo addresses do not exist, so while the
demo is built mail goes nowhere (otherwise `make run` would print dozens of mails over the logins).
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load the demo organisations, members, practices, events, forums and conversations (idempotent)."

    def handle(self, *args, **options) -> None:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for config in apps.get_app_configs():
                if config.name.startswith(("django.", "allauth", "rest_framework", "drf_")):
                    continue
                if module_has_submodule(config.module, "demo"):
                    import_module(f"{config.name}.demo").build(stdout=self.stdout)
                    self.stdout.write(f"  demo data: {config.verbose_name} ready")

        from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for email, name, _job, _tz, role in DEMO_LOGINS:
            self.stdout.write(f"  {role:<22} {email:<38} {name}")
