"""The target groups a practice can be for; created after every migrate, like core's policy areas, and read
in the viewer's language by slug (core.reference)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TARGET_GROUPS: list[tuple[str, str]] = [
    ("newcomers", _("Newcomers")),
    ("refugees", _("Refugees and asylum seekers")),
    ("youth", _("Youth")),
    ("children", _("Children")),
    ("women", _("Women")),
    ("second-generation", _("Second generation")),
    ("older-people", _("Older people")),
    ("families", _("Families")),
    ("jobseekers", _("Jobseekers")),
    ("entrepreneurs", _("Entrepreneurs")),
    ("undocumented", _("Undocumented migrants")),
    ("host-community", _("Host community")),
    ("public-servants", _("Public servants and professionals")),
]

TARGET_GROUP_NAMES = dict(TARGET_GROUPS)


def sync_target_groups(**kwargs) -> None:
    """Create or update the target groups; safe to run any number of times."""
    from directory.models import TargetGroup

    with translation.override("en"):  # the rows keep the English names
        for position, (slug, name) in enumerate(TARGET_GROUPS):
            TargetGroup.objects.update_or_create(slug=slug, defaults={"name": str(name), "position": position})
