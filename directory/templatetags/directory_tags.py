"""Template tags that put the clearinghouse on other apps' pages without those pages knowing about it."""

from django import template

from accounts.models import Organisation
from directory import permissions, selectors

register = template.Library()

SECTION_ROWS = 10
HOME_ROWS = 4


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


@register.inclusion_tag("directory/dashboard_section.html", takes_context=True)
def directory_dashboard(context: template.Context) -> dict:
    """On /me/: the member's own practices by state, and the review queue's length for moderators."""
    user = context["user"]
    return {
        "practices": list(selectors.practices_of_author(user)[:SECTION_ROWS]),
        "awaiting_review": (selectors.practices_awaiting_review().count()
                            if permissions.can_review_practices(user) else None),
        "can_import": permissions.can_import(user),
    }


@register.inclusion_tag("directory/home_section.html")
def latest_practices() -> dict:
    """On the home page: the practices published most recently."""
    return {"practices": list(selectors.practice_list({})[:HOME_ROWS])}
