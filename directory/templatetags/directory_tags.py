"""Template tags that put the clearinghouse on other apps' pages without those pages knowing about it."""

from django import template

from accounts.models import Organisation
from directory import selectors

register = template.Library()

SECTION_ROWS = 10


@register.inclusion_tag("directory/organisation_sections.html", takes_context=True)
def organisation_clearinghouse(context: template.Context, organisation: Organisation) -> dict:
    """The organisation's practices and resources, as far as the viewer may see them."""
    user = context["user"]
    return {
        "organisation": organisation,
        "practices": list(selectors.organisation_practices(organisation, user)[:SECTION_ROWS]),
        "resources": list(selectors.organisation_resources(organisation, user)[:SECTION_ROWS]),
        "user": user,
    }
