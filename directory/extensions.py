"""What the directory offers other apps' pages through core.extensions (registered from ready()): its
sections on the home page, the dashboard, organisation and event pages; its kinds of site-wide search
results; practices as discussion subjects and link previews."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Organisation
from accounts.permissions import AnyUser
from core import fragments
from core.extensions import (
    DISCUSSABLE,
    LINK_PREVIEWS,
    PAGE_SECTIONS,
    SEARCH_PROVIDERS,
    Discussable,
    LinkPreview,
    SearchProvider,
    Section,
)
from core.search import ranked
from directory import permissions, selectors
from directory.models import Practice, Resource

SECTION_ROWS = 10
HOME_ROWS = 4
RELATED_ROWS = 5


def organisation_section(request: HttpRequest, organisation: Organisation) -> dict:
    """The organisation's practices and resources, as far as the viewer may see them."""
    return {
        "organisation": organisation,
        "practices": list(selectors.organisation_practices(organisation, request.user)[:SECTION_ROWS]),
        "resources": list(selectors.organisation_resources(organisation, request.user)[:SECTION_ROWS]),
    }


def dashboard_section(request: HttpRequest, obj: None) -> dict:
    """On /me/: the member's own practices by state, and the review queue's length for moderators."""
    user = request.user
    return {
        "practices": list(selectors.practices_of_author(user)[:SECTION_ROWS]),
        "awaiting_review": (selectors.practices_awaiting_review().count()
                            if permissions.can_review_practices(user) else None),
        "can_import": permissions.can_import(user),
    }


def home_section(request: HttpRequest, obj: None) -> dict:
    """On the home page: the practices published most recently."""
    return {"practices": list(selectors.practice_rows({})[:HOME_ROWS])}


def event_section(request: HttpRequest, event) -> dict:
    """On an event's page: published practices sharing its policy areas, newest first."""
    area_ids = [area.pk for area in event.policy_areas.all()]
    return {"event": event, "related_practices": selectors.practices_in_areas(area_ids, limit=RELATED_ROWS)}


def search_organisations(user: AnyUser, q: str) -> QuerySet[Organisation]:
    return ranked(selectors.search_organisations(selectors.directory_organisations(), q), "name").defer(
        *selectors.ORGANISATION_ROW_DEFERRED).prefetch_related("policy_areas")


def search_practices(user: AnyUser, q: str) -> QuerySet[Practice]:
    return ranked(selectors.search_practices(selectors.published_practices(), q), "-published_at").select_related(
        "organisation").defer(*selectors.PRACTICE_ROW_DEFERRED)


def search_resources(user: AnyUser, q: str) -> QuerySet[Resource]:
    return ranked(selectors.search_resources(selectors.resources_visible_to(user), q), "-year").select_related(
        "publisher").defer("search_vector", "summary_html")


def practice_preview(slug: str) -> LinkPreview | None:
    practice = selectors.published_practices().filter(slug=slug).select_related("organisation").first()
    if practice is None:
        return None
    place = ", ".join(p for p in (practice.city, practice.country.name) if p)
    return LinkPreview(kind=gettext("Good practice"), title=practice.title, url=practice.get_absolute_url(),
                       meta=f"{practice.organisation.name} · {place}")




def register() -> None:
    PAGE_SECTIONS.register("directory.home", Section(
        "home", "directory/home_section.html", home_section, order=30,
        cache=fragments.everyone("directory.practice", "accounts.organisation")))
    PAGE_SECTIONS.register("directory.dashboard", Section(
        "dashboard", "directory/dashboard_section.html", dashboard_section, order=30,
        cache=fragments.per_viewer("directory.practice")))
    # Authors, their organisations' admins and moderators see drafts: each member has their own block.
    PAGE_SECTIONS.register("directory.organisation", Section(
        "organisation", "directory/organisation_sections.html", organisation_section, order=10,
        cache=fragments.per_viewer("directory.practice", "directory.resource")))
    PAGE_SECTIONS.register("directory.event", Section(
        "event_details", "directory/_event_related_practices.html", event_section, order=10,
        cache=fragments.everyone("directory.practice", "events.event", "core.taxonomy")))
    for provider in (
        SearchProvider("organisations", gettext_lazy("Organisations"), search_organisations,
                       "directory/search/organisation.html", "directory:organisations", order=10),
        SearchProvider("practices", gettext_lazy("Good practices"), search_practices, "directory/search/practice.html",
                       "directory:practices", order=20),
        SearchProvider("resources", gettext_lazy("Resources"), search_resources, "directory/search/resource.html",
                       "directory:resources", order=30),
    ):
        SEARCH_PROVIDERS.register(provider.key, provider)
    DISCUSSABLE.register("practice", Discussable(
        model=Practice,
        find=lambda slug, user: selectors.published_practices().filter(slug=slug).first(),
        is_public=lambda practice: True,
        policy_area_ids=lambda practice: list(practice.policy_areas.values_list("pk", flat=True)),
        public_subjects=lambda: selectors.published_practices().order_by("-published_at", "-id"),
    ))
    LINK_PREVIEWS.register("directory:practice", practice_preview)
