"""Platform roles as Django groups: staff grant them in the admin by adding a user to a group."""

MODERATORS = "Moderators"

# group name → permissions ("app_label.codename") its members hold
ROLE_GROUPS: dict[str, list[str]] = {
    MODERATORS: ["accounts.moderate"],
}


def sync_role_groups(**kwargs) -> None:
    """Create the role groups with their permissions; runs after every migrate and test flush."""
    from django.contrib.auth.models import Group, Permission

    for name, perms in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
