"""What events offer other apps' pages through core.extensions (registered from ready()): sections on the
home page, the dashboard and organisation pages; events in the site-wide search; events as discussion
subjects and link previews. (Evidence for matching peers: events/evidence.py, into MATCHING_EVIDENCE.)"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext

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
from events import selectors
from events.models import Event, FeedToken
from events.permissions import may_give_feedback

HOME_ROWS = 4
SECTION_ROWS = 10


def home_section(request: HttpRequest, obj: None) -> dict:
    qs = selectors.upcoming(selectors.events_visible_to(request.user).filter(status=Event.Status.PUBLISHED))
    return {"events": list(selectors.with_list_data(qs)[:HOME_ROWS])}


def organisation_section(request: HttpRequest, organisation: Organisation) -> dict:
    qs = selectors.upcoming_events_of_organisation(organisation, request.user)
    return {"events": list(selectors.with_list_data(qs)[:SECTION_ROWS]), "organisation": organisation}


def dashboard_section(request: HttpRequest, obj: None) -> dict:
    user = request.user
    return {
        "registrations": list(selectors.upcoming_registrations_of_member(user)),
        "organised": list(selectors.events_run_by(user).filter(ends_at__gte=timezone.now())[:20]),
        "attended": [(r, may_give_feedback(r) and not hasattr(r, "feedback"))
                     for r in selectors.attended_registrations_of_member(user)[:20]],
    }


def dashboard_feed_section(request: HttpRequest, obj: None) -> dict:
    """The member's personal calendar address, with the forms that make, replace and switch it off."""
    token = FeedToken.objects.filter(user=request.user).first()
    feed_https = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    return {"feed_https": feed_https,
            "feed_webcal": "webcal://" + feed_https.split("://", 1)[1] if token else ""}


def search_events(user: AnyUser, q: str) -> QuerySet[Event]:
    """Events the user may see (drafts left out, as on the events list), newest first."""
    return (selectors.filter_events(selectors.listed_events(user), q=q)
            .defer("search_vector", "description", "description_html").order_by("-starts_at", "-id"))


def event_preview(slug: str) -> LinkPreview | None:
    event = selectors.public_events().filter(slug=slug).first()
    if event is None:
        return None
    starts = event.starts_at.astimezone(event.tzinfo)
    place = event.city or event.get_format_display()
    # Translators: a link card's line about an event: when (with the venue's zone) and where.
    meta = gettext("%(when)s (%(zone)s) · %(place)s") % {"when": date_format(starts, "DATETIME_FORMAT"),
                                                          "zone": event.timezone, "place": place}
    if event.is_cancelled:
        meta = " · ".join((meta, pgettext("event", "cancelled")))
    return LinkPreview(kind=event.get_kind_display(), title=event.title, url=event.get_absolute_url(), meta=meta)




def register() -> None:
    # Members see members-only events too; drafts are left out of both lists, so all members see the same.
    shown = fragments.visitors_and_members("events.event", "accounts.organisation", "core.taxonomy")
    PAGE_SECTIONS.register("events.home", Section("home", "events/partials/home_events.html", home_section, order=10,
                                                  cache=shown))
    # The member's own registrations, attended and organised events (registrations bump events.event, roles
    # accounts.organisation); then the calendar address, kept until an address is made, replaced or revoked
    # (events.feed), its forms with the stand-in for the session's token (core/templatetags/sections.py).
    PAGE_SECTIONS.register("events.dashboard", Section("dashboard", "events/partials/dashboard_events.html",
                                                       dashboard_section, order=10,
                                                       cache=fragments.per_viewer("events.event")))
    PAGE_SECTIONS.register("events.dashboard_feed", Section("dashboard", "events/partials/dashboard_feed.html",
                                                            dashboard_feed_section, order=11,
                                                            cache=fragments.per_viewer("events.feed")))
    PAGE_SECTIONS.register("events.organisation", Section("organisation", "events/partials/organisation_events.html",
                                                          organisation_section, order=20, cache=shown))
    SEARCH_PROVIDERS.register("events", SearchProvider("events", gettext_lazy("Events"), search_events,
                                                       "directory/search/event.html", "events:list", order=40))
    DISCUSSABLE.register("event", Discussable(
        model=Event,
        find=lambda slug, user: selectors.events_visible_to(user).filter(slug=slug,
                                                                         status=Event.Status.PUBLISHED).first(),
        is_public=lambda event: event.visibility == Event.Visibility.PUBLIC,
        policy_area_ids=lambda event: list(event.policy_areas.values_list("pk", flat=True)),
        public_subjects=lambda: selectors.public_events().filter(status=Event.Status.PUBLISHED).order_by("pk"),
    ))
    LINK_PREVIEWS.register("events:detail", event_preview)
