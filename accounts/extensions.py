"""What accounts offers through core.extensions (registered from ready()): the preview card of a link to a
verified organisation's page, shown under forum posts."""

from accounts.models import Organisation
from core.extensions import LINK_PREVIEWS, LinkPreview


def organisation_preview(slug: str) -> LinkPreview | None:
    organisation = Organisation.objects.filter(slug=slug, verified=True).first()
    if organisation is None:
        return None
    place = ", ".join(p for p in (organisation.city, organisation.country.name) if p)
    return LinkPreview(kind="Organisation", title=organisation.name, url=organisation.get_absolute_url(),
                       meta=f"{organisation.get_kind_display()} · {place}")


def register() -> None:
    LINK_PREVIEWS.register("accounts:organisation", organisation_preview)
