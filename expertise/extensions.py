"""What the expertise exchange contributes to other apps' pages, through core.extensions: a section on the
organisation page (open requests, "Supported by" and "Helped" counts), one on the dashboard (my
organisations' requests, my offers, new requests in the areas I follow), and its requests in the
site-wide search."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core import fragments
from core.extensions import PAGE_SECTIONS, SEARCH_PROVIDERS, SearchProvider, Section
from expertise import selectors
from expertise.models import SupportRequest

SECTION_ROWS = 5


def organisation_section(request: HttpRequest, organisation: Organisation) -> dict:
    user = request.user
    return {"organisation": organisation, "counts": selectors.exchange_counts(organisation, user),
            "supporters": list(selectors.supporters_of(organisation, user)[:SECTION_ROWS]),
            "requests": list(selectors.organisation_open_requests(organisation, user)[:SECTION_ROWS])}


def dashboard_section(request: HttpRequest, obj: object) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return {"requests": list(selectors.my_requests(user)[:SECTION_ROWS]),
            "offers": list(selectors.my_offers(user)[:SECTION_ROWS]),
            "followed": list(selectors.followed_requests(user)[:SECTION_ROWS])}


def search_requests(user, q: str):
    visible = selectors.requests_visible_to(user).exclude(status=SupportRequest.Status.DRAFT)
    return selectors.search_requests(visible, q).select_related("organisation")


def register() -> None:
    requests = fragments.per_viewer("expertise.request", "accounts.organisation")
    PAGE_SECTIONS.register("expertise.organisation", Section(slot="organisation", context=organisation_section,
                                                             template="expertise/organisation_section.html",
                                                             order=40, cache=requests))
    PAGE_SECTIONS.register("expertise.dashboard", Section(slot="dashboard", context=dashboard_section,
                                                          template="expertise/dashboard_section.html", order=40,
                                                          cache=requests))
    SEARCH_PROVIDERS.register("expertise.requests", SearchProvider(
        key="requests", label=_("Requests for support"), search=search_requests,
        template="expertise/search_result.html", list_url_name="expertise:list", order=60))
