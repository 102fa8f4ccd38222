"""Every read of events with rules: visibility lives in `events_visible_to`, list filters in `filter_events`."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.permissions import AnyUser
from events.models import Event, FeedToken, ProgrammeItem, Registration

FEED_HISTORY = timedelta(days=90)


def _runs_event(user: User) -> Exists:
    return Exists(Membership.objects.filter(
        organisation__events=OuterRef("pk"), user=user, status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANISER, Membership.Role.ADMIN]))


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    """Published and cancelled events the user may see; drafts only to those who run them."""
    qs = Event.objects.all()
    if user.is_authenticated and user.is_staff:
        return qs
    live = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
    if not user.is_authenticated:
        return qs.filter(live, visibility=Event.Visibility.PUBLIC)
    return qs.filter(live | Q(_runs_event(user)))


def listed_events(user: AnyUser) -> QuerySet[Event]:
    """What every list of events shows (the list page, the API, search, an organisation's page): the events
    the user may see, drafts left out even for those who run them."""
    return events_visible_to(user).exclude(status=Event.Status.DRAFT)


def public_events() -> QuerySet[Event]:
    """Published and cancelled events that visitors see."""
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
                                visibility=Event.Visibility.PUBLIC)


def with_list_data(qs: QuerySet[Event]) -> QuerySet[Event]:
    """What a list row shows: organisers, policy areas and the confirmed seat count, in fixed queries.

    The seat count is a correlated subquery, not a join with GROUP BY: PostgreSQL then counts only the
    rows of the page it returns, where the join counted every registration of every matching event first.
    """
    confirmed = (Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
                 .order_by().values("event").annotate(n=Count("pk")).values("n"))
    return qs.prefetch_related(
        Prefetch("organisations", queryset=Organisation.objects.only("id", "name", "slug", "country")),
        "policy_areas",
    ).annotate(confirmed_count=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0))


def filter_events(qs: QuerySet[Event], *, kind: str = "", area: str = "", country: str = "",
                  organisation: str = "", format: str = "", q: str = "") -> QuerySet[Event]:
    """The list's filters, shared by pages, the public feed and the API."""
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(policy_areas__code=area)
    if country:
        qs = qs.filter(country=country)
    if organisation:
        qs = qs.filter(organisations__slug=organisation)
    if format == "online":
        qs = qs.filter(format__in=[Event.Format.ONLINE, Event.Format.HYBRID])
    elif format == "in_person":
        qs = qs.filter(format__in=[Event.Format.IN_PERSON, Event.Format.HYBRID])
    if q:
        text = Q()
        for word in q.split()[:8]:
            text &= (Q(title__folded_contains=word) | Q(summary__folded_contains=word)
                     | Q(description__folded_contains=word) | Q(venue__folded_contains=word)
                     | Q(city__folded_contains=word) | Q(organisations__name__folded_contains=word))
        qs = qs.filter(text)
    if area or organisation or q:
        # Joins through many-to-many relations can repeat a row; keep each event once.
        qs = qs.filter(pk__in=qs.values("pk"))
    return qs


def upcoming(qs: QuerySet[Event], now: datetime | None = None) -> QuerySet[Event]:
    return qs.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "id")


def past(qs: QuerySet[Event], now: datetime | None = None) -> QuerySet[Event]:
    return qs.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-id")


def in_range(qs: QuerySet[Event], start: datetime, end: datetime) -> QuerySet[Event]:
    """Events overlapping [start, end): the month calendar."""
    return qs.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")


def public_feed_events(now: datetime | None = None) -> QuerySet[Event]:
    """Published and cancelled public events from 90 days ago on: the feed never grows without limit."""
    since = (now or timezone.now()) - FEED_HISTORY
    return (Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
                                 visibility=Event.Visibility.PUBLIC, ends_at__gte=since)
            .prefetch_related("organisations", "policy_areas").order_by("starts_at", "id"))


def events_version() -> str:
    """Changes whenever an event is created, changed or deleted: part of the key of what is cached from events."""
    state = Event.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{state['n']}-{state['last'].timestamp() if state['last'] else 0}"


def personal_feed_registrations(user: User, now: datetime | None = None) -> QuerySet[Registration]:
    """The member's confirmed and waitlisted registrations of live events, bounded like the public feed."""
    since = (now or timezone.now()) - FEED_HISTORY
    return (Registration.objects.filter(
        user=user, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED,
                               Registration.Status.PENDING],
        event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED], event__ends_at__gte=since)
        .select_related("event").prefetch_related("event__organisations", "event__policy_areas")
        .order_by("event__starts_at", "event_id"))


def feed_token_owner(token: str) -> User | None:
    found = FeedToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def event_for_page(slug: str, user: AnyUser) -> Event | None:
    return (events_visible_to(user).filter(slug=slug)
            .prefetch_related("organisations", "policy_areas", "speakers", "attachments",
                              Prefetch("programme", queryset=ProgrammeItem.objects.prefetch_related("speakers")))
            .annotate(confirmed_count=Count("registrations",
                                            filter=Q(registrations__status=Registration.Status.CONFIRMED)))
            .first())


def registration_of(user: AnyUser, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(user=user, event=event).first()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when the registration is not waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=Registration.Status.WAITLISTED).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, id__lt=registration.id)).count()
    return ahead + 1


def registrations_for_organiser(event: Event) -> QuerySet[Registration]:
    """Every registration of the event, in queue order, with the member and their organisations."""
    return (Registration.objects.filter(event=event)
            .select_related("user", "event")
            .prefetch_related(Prefetch("user__memberships",
                                       queryset=Membership.objects.filter(status=Membership.Status.ACTIVE)
                                       .select_related("organisation")))
            .order_by("registered_at", "id"))


def registrants_to_tell(event: Event) -> QuerySet[User]:
    """Members with a live registration (confirmed, pending, waitlisted): told of changes and messages."""
    return User.objects.filter(event_registrations__event=event, is_active=True,
                               event_registrations__status__in=Registration.ACTIVE_STATUSES)


def organisers_of(event: Event) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation__events=event, memberships__status=Membership.Status.ACTIVE,
        memberships__role__in=[Membership.Role.ORGANISER, Membership.Role.ADMIN], is_active=True).distinct()


def registrations_of_member(user: User) -> QuerySet[Registration]:
    return (Registration.objects.filter(user=user, status__in=Registration.ACTIVE_STATUSES,
                                        event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
            .select_related("event").order_by("event__starts_at"))


def upcoming_registrations_of_member(user: User, now: datetime | None = None) -> QuerySet[Registration]:
    return registrations_of_member(user).filter(event__ends_at__gte=now or timezone.now())


def events_run_by(user: User) -> QuerySet[Event]:
    """Events of the organisations the member organises for (drafts included): their organiser's list."""
    return Event.objects.filter(_runs_event(user)).order_by("-starts_at")


def upcoming_events_of_organisation(organisation: Organisation, user: AnyUser) -> QuerySet[Event]:
    return upcoming(listed_events(user).filter(organisations=organisation))


def reminder_offsets(event: Event) -> list[int]:
    """Minutes before the start at which registrants are reminded: the event's own, else the site's."""
    offsets = event.reminder_offsets or settings.EVENTS_REMINDER_OFFSETS_MINUTES
    return sorted({int(o) for o in offsets if int(o) > 0}, reverse=True)
