"""The target groups a practice can be for; created after every migrate, like core's policy areas."""

TARGET_GROUPS: list[tuple[str, str]] = [
    ("newcomers", "Newcomers"),
    ("refugees", "Refugees and asylum seekers"),
    ("youth", "Youth"),
    ("children", "Children"),
    ("women", "Women"),
    ("second-generation", "Second generation"),
    ("older-people", "Older people"),
    ("families", "Families"),
    ("jobseekers", "Jobseekers"),
    ("entrepreneurs", "Entrepreneurs"),
    ("undocumented", "Undocumented migrants"),
    ("host-community", "Host community"),
    ("public-servants", "Public servants and professionals"),
]


def sync_target_groups(**kwargs) -> None:
    """Create or update the target groups; safe to run any number of times."""
    from directory.models import TargetGroup

    for position, (slug, name) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
