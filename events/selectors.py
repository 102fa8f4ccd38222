"""Every read of events with rules: visibility lives in `events_visible_to`, list filters in `filter_events`."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import Membership, Organisation, User
from accounts.permissions import AnyUser
from core import search, versions
from core.drf import period_start
from events.models import (
    Certificate,
    Event,
    Feedback,
    FeedbackRequest,
    FeedToken,
    ProgrammeItem,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    SessionInterest,
)

FEED_HISTORY = timedelta(days=90)  # a member's own feed: their registrations of events ended since
# The public feed's window, so that its size does not grow with the events: the next FEED_UPCOMING_EVENTS
# upcoming events in start order, and the FEED_PAST_EVENTS latest of those ended in the last FEED_PAST_DAYS
# days (a calendar keeps what it was shown lately). Filters choose within it: a feed of webinars holds the next
# FEED_UPCOMING_EVENTS webinars.
FEED_UPCOMING_EVENTS = 250
FEED_PAST_EVENTS = 50
FEED_PAST_DAYS = 30


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
    the user may see, drafts left out even for those who run them.

    That is events_visible_to without its drafts, written as a plain condition on status (and visibility for a
    visitor): a member sees every live event, so the drafts they run are all the rest would add. The condition
    is then the one of the index `event_listed_by_start`, which the lists' LIMIT walks in their order."""
    if not user.is_authenticated:
        return public_events()
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])


def public_events() -> QuerySet[Event]:
    """Published and cancelled events that visitors see."""
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
                                visibility=Event.Visibility.PUBLIC)


def with_list_data(qs: QuerySet[Event]) -> QuerySet[Event]:
    """What a list row shows: organisers, policy areas and the confirmed seat count, in fixed queries.

    The seat count is a correlated subquery, not a join with GROUP BY: PostgreSQL then counts only the
    rows of the page it returns, where the join counted every registration of every matching event first.
    """
    return with_seats_taken(qs).prefetch_related(*LIST_ROW_RELATIONS)


# What a list row shows of an event's relations: read for every row (with_list_data), or only for the rows whose
# kept card is rendered afresh (read_list_relations).
LIST_ROW_RELATIONS = (
    Prefetch("organisations", queryset=Organisation.objects.only("id", "name", "slug", "country")),
    "policy_areas",
)


def with_seats_taken(qs: QuerySet[Event]) -> QuerySet[Event]:
    """The events with their confirmed seat count (`confirmed_count`), without their relations: a list whose rows
    are kept cards reads those only for the rows it renders (read_list_relations)."""
    confirmed = (Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
                 .order_by().values("event").annotate(n=Count("pk")).values("n"))
    return qs.defer("search_vector").annotate(
        confirmed_count=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0))


def read_list_relations(events: list[Event]) -> None:
    """The organisers and policy areas of `events`, one query each (as with_list_data's prefetch)."""
    prefetch_related_objects(events, *LIST_ROW_RELATIONS)


def read_list_rows(events: list[Event]) -> None:
    """For a list of kept cards whose page read only its events' ids: the rows rendered afresh get what a row shows
    (their fields but the description, the seat count, organisers and policy areas), in three queries however
    many rows."""
    rows = with_seats_taken(Event.objects.filter(pk__in=[event.pk for event in events]))
    found = {row.pk: row for row in rows.defer("description", "description_html")}
    for event in events:
        event.__dict__.update(found[event.pk].__dict__)
    read_list_relations(events)


def _text_match(qs: QuerySet[Event], q: str) -> QuerySet[Event]:
    """PostgreSQL: the event's stored vector in its language (core/search.py), or one of its organisers' names:
    two indexed matches whose ids are combined, not a join through the organisers of every event. The names
    alone, through their own index: the organisations' whole vector would find an event by words of its
    organisers' descriptions, and a common word reads most organisations' vectors."""
    condition, query = search.search_condition(q, "language")
    if not query:
        return qs.none()
    simple = search.readings(q).get("simple", "")
    if not simple:
        return qs.filter(condition)
    named = Organisation.objects.filter(search.Matches(search.WordsOf("name"), simple))
    by_organiser = Event.organisations.through.objects.filter(organisation__in=named.values("pk")).values("event_id")
    return qs.filter(condition | Q(pk__in=by_organiser))


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
    if q and settings.IS_POSTGRES:
        qs = _text_match(qs, q)
    elif q:
        text = Q()
        for word in q.split()[:8]:
            text &= (Q(title__folded_contains=word) | Q(summary__folded_contains=word)
                     | Q(description__folded_contains=word) | Q(venue__folded_contains=word)
                     | Q(city__folded_contains=word) | Q(organisations__name__folded_contains=word))
        qs = qs.filter(text)
    if area or organisation or (q and not settings.IS_POSTGRES):
        # Joins through many-to-many relations can repeat a row; keep each event once.
        qs = qs.filter(pk__in=qs.values("pk"))
    return qs


def upcoming(qs: QuerySet[Event], now: datetime | None = None, *,
             open_since: datetime | None = None) -> QuerySet[Event]:
    """Events not ended at `now`, in start order. `open_since`, the earliest_open_start at `now`, changes nothing
    in the result but lets the index walk (event_listed_by_start) begin there rather than at the first event."""
    qs = qs.filter(ends_at__gte=now or timezone.now())
    if open_since is not None:
        qs = qs.filter(starts_at__gte=open_since)
    return qs.order_by("starts_at", "id")


def earliest_open_start(now: datetime) -> datetime | None:
    """The earliest start of a live event not ended at `now` (None if there is none): every upcoming event any
    list shows starts then or later."""
    return (Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED], ends_at__gte=now)
            .aggregate(first=Min("starts_at"))["first"])


def past(qs: QuerySet[Event], now: datetime | None = None) -> QuerySet[Event]:
    return qs.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-id")


# The lists of events (the page and /api/events/) read the time as the start of the minute: their count is then
# kept per minute until an event changes (core.drf.VersionedCountPaginator, `period`), and so is where the upcoming
# ones begin in the index. An event that ended within the minute stays listed until the next.
LIST_PERIOD = 60
# What a list of events shows (its rows and its count): the kinds its kept rows and counts are keyed by.
LIST_KINDS = ("events.event", "accounts.organisation", "core.taxonomy")


def listed_this_minute(qs: QuerySet[Event], *, when: str = "upcoming") -> QuerySet[Event]:
    """`qs` upcoming (or "past") as of the start of this minute, in list order. The upcoming list's walk of the
    index `event_listed_by_start` begins at the earliest start of an event not ended (kept for the minute until an
    event changes): its LIMIT then skips no past event (15,000 of them at 10x)."""
    now = period_start(LIST_PERIOD)
    if when == "past":
        return past(qs, now)
    open_since = versions.kept(f"events:open-since:{now.timestamp()}", ["events.event"],
                               lambda: earliest_open_start(now), timeout=LIST_PERIOD)
    return upcoming(qs, now, open_since=open_since)


def in_range(qs: QuerySet[Event], start: datetime, end: datetime) -> QuerySet[Event]:
    """Events overlapping [start, end): the month calendar."""
    return qs.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "id")


def public_feed_events(now: datetime | None = None, **filters: str) -> QuerySet[Event]:
    """The public feed: published and cancelled public events with the list's `filters` (filter_events), the
    next FEED_UPCOMING_EVENTS upcoming ones in start order and the FEED_PAST_EVENTS latest of those ended in the
    last FEED_PAST_DAYS days, so that the feed stays the same size however many events there are. One query
    (the two windows are LIMITed subqueries) and the prefetches."""
    now = now or timezone.now()
    chosen = filter_events(public_events(), **filters)
    next_ones = upcoming(chosen, now).values("pk")[:FEED_UPCOMING_EVENTS]
    recent = (chosen.filter(ends_at__lt=now, ends_at__gte=now - timedelta(days=FEED_PAST_DAYS))
              .order_by("-ends_at", "-id").values("pk")[:FEED_PAST_EVENTS])
    return (Event.objects.filter(Q(pk__in=next_ones) | Q(pk__in=recent)).defer("search_vector")
            .prefetch_related("organisations", "policy_areas").order_by("starts_at", "id"))


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


# What the event page's own row holds for a member: the event, its seats taken and questions (events.event), whether
# they run it (memberships and roles: accounts.organisation; groups and staff: accounts.member) and whether they
# have a calendar feed (events.feed). A member's row is kept until one of them changes, and a minute at most.
DETAIL_ROW_KINDS = ("events.event", "accounts.organisation", "accounts.member", "events.feed")
DETAIL_ROW_SECONDS = 60


def event_for_detail_page(slug: str, user: AnyUser) -> Event | None:
    """The event page's own row: what the page shows around its cards (templates/events/detail.html) and what the
    viewer's rights are worked out from (its organisers), and whether it asks registrants questions. The
    programme, speakers, documents and policy areas are read inside the cards that show them, so only when a card
    is rendered afresh; the seat count is a correlated count, not a join grouped over the event's whole row.

    A member's row is kept per member (DETAIL_ROW_KINDS): its query, with four subqueries, cost more CPU to build
    than the rest of the page's own queries together. A visitor's whole page is kept (core/pagecache.py)."""

    def read() -> Event | None:
        confirmed = (Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
                     .order_by().values("event").annotate(n=Count("pk")).values("n"))
        qs = (events_visible_to(user).filter(slug=slug).defer("search_vector", "description")
              .annotate(confirmed_count=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0),
                        has_questions=Exists(RegistrationQuestion.objects.filter(event=OuterRef("pk"),
                                                                                 hidden=False))))
        if user.is_authenticated:
            # Whether the viewer runs it, and has a personal calendar feed: in the same query.
            qs = qs.annotate(viewer_runs=_runs_event(user),
                             viewer_has_feed=Exists(FeedToken.objects.filter(user=user)))
        return qs.first()

    if not user.is_authenticated:
        return read()
    event = versions.kept(f"v:event-page-row:{user.pk}:{slug}", DETAIL_ROW_KINDS, read, timeout=DETAIL_ROW_SECONDS)
    if event is not None:
        event.runs_for = (user.pk, event.viewer_runs)  # events.permissions.can_run_event answers from it
    return event


def registration_of(user: AnyUser, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    registration = Registration.objects.filter(user=user, event=event).first()
    if registration is not None:
        registration.event = event  # the permissions ask whether it is cancelled or over: no second read of it
    return registration


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


# --- Questions, answers, attendance ------------------------------------------------------------------


def questions_of(event: Event, *, include_hidden: bool = False) -> QuerySet[RegistrationQuestion]:
    qs = RegistrationQuestion.objects.filter(event=event)
    if not include_hidden:
        qs = qs.filter(hidden=False)
    return qs.annotate(answer_count=Count("answers")).order_by("position", "id")


def answers_of(registration: Registration) -> dict[int, object]:
    """The registrant's answers by question id: what the answer form starts from."""
    return dict(registration.answers.values_list("question_id", "value"))


def registrations_with_answers(event: Event) -> QuerySet[Registration]:
    """The attendee list with every answer, for those who run the event: CSV, .xlsx and the API."""
    return registrations_for_organiser(event).prefetch_related(
        Prefetch("answers", queryset=RegistrationAnswer.objects.select_related("question")
                 .order_by("question__position", "question_id")))  # in the form's order, as the CSV lists them


def registration_by_ticket(event: Event, code: str) -> Registration | None:
    return Registration.objects.filter(event=event, ticket_code=code).select_related("user", "event").first()


def check_in_candidates(event: Event, q: str = "") -> QuerySet[Registration]:
    """Confirmed registrants, found by any words of their name: the organiser's check-in desk."""
    qs = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).select_related("user")
    for word in q.split()[:5]:
        qs = qs.filter(user__full_name__folded_contains=word)
    return qs.order_by("user__full_name", "id")


def certificate_by_code(code: str) -> Certificate | None:
    return (Certificate.objects.filter(code=code.strip().upper())
            .select_related("registration__event").prefetch_related("registration__event__organisations").first())


def attended_registrations_of_member(user: User, now: datetime | None = None) -> QuerySet[Registration]:
    """The member's past events where they were present: the dashboard's certificates and feedback."""
    return (Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED,
                                        checked_in_at__isnull=False, event__status=Event.Status.PUBLISHED,
                                        event__ends_at__lte=now or timezone.now())
            .select_related("event", "feedback").order_by("-event__starts_at"))


# --- Sessions ------------------------------------------------------------------------------------------


def timetable_items(event: Event, user: AnyUser) -> list[ProgrammeItem]:
    """The programme with speakers, each item's interest count and whether the viewer plans to attend it."""
    interested = (SessionInterest.objects.filter(item=OuterRef("pk"), user=user) if user.is_authenticated
                  else SessionInterest.objects.none())
    return list(ProgrammeItem.objects.filter(event=event).prefetch_related("speakers")
                .annotate(interest_count=Count("interests"), planned=Exists(interested))
                .order_by("starts_at", "room", "id"))


# --- Feedback ------------------------------------------------------------------------------------------


def feedback_summary(event: Event) -> dict:
    """Counts, the average, the distribution and the comments; names only where the attendee agreed."""
    answers = list(Feedback.objects.filter(registration__event=event).select_related("registration__user")
                   .order_by("-created_at", "-id"))
    attended = Registration.objects.filter(event=event, checked_in_at__isnull=False,
                                           status=Registration.Status.CONFIRMED).count()
    distribution = dict.fromkeys(range(1, 6), 0)
    again = dict.fromkeys(Feedback.Again.values, 0)
    for feedback in answers:
        distribution[feedback.rating] += 1
        again[feedback.attend_again] += 1
    return {
        "count": len(answers), "attended": attended,
        "requested": FeedbackRequest.objects.filter(registration__event=event).count(),
        "average": round(sum(f.rating for f in answers) / len(answers), 1) if answers else None,
        "distribution": distribution, "again": again,
        "comments": [{"useful": f.useful, "improve": f.improve, "rating": f.rating, "created_at": f.created_at,
                      "name": f.registration.user.full_name if f.named else None}
                     for f in answers if f.useful or f.improve],
    }


# --- The organiser's view ---------------------------------------------------------------------------------


def registration_stats(event: Event) -> dict:
    """What the organiser's view shows, as aggregates: counts by status, attendance, organisation kind, country."""
    registrations = Registration.objects.filter(event=event)
    by_status = dict(registrations.order_by().values_list("status").annotate(n=Count("pk")))
    confirmed = by_status.get(Registration.Status.CONFIRMED, 0)
    attended = registrations.filter(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False).count()
    active = registrations.filter(status__in=Registration.ACTIVE_STATUSES)
    primary = (Membership.objects.filter(user=OuterRef("user"), status=Membership.Status.ACTIVE)
               .order_by("created_at", "id"))
    kinds = (active.annotate(kind=Subquery(primary.values("organisation__kind")[:1]))
             .order_by().values("kind").annotate(n=Count("pk")).order_by("-n", "kind"))
    country_rows = (active.annotate(country=Subquery(primary.values("organisation__country")[:1]))
                    .order_by().values("country").annotate(n=Count("pk")).order_by("-n", "country"))
    kind_labels = dict(Organisation.Kind.choices)
    return {
        "confirmed": confirmed, "attended": attended,
        "waitlisted": by_status.get(Registration.Status.WAITLISTED, 0),
        "pending": by_status.get(Registration.Status.PENDING, 0),
        "cancelled": by_status.get(Registration.Status.CANCELLED, 0),
        "declined": by_status.get(Registration.Status.DECLINED, 0),
        "check_in_rate": round(100 * attended / confirmed) if confirmed else None,
        "by_kind": [(kind_labels.get(row["kind"], row["kind"]) if row["kind"] else None, row["n"]) for row in kinds],
        "by_country": [(row["country"] or None, row["n"]) for row in country_rows],
    }


def registrations_per_day(event: Event) -> list[tuple[date, int]]:
    """Registrations still active, by the day (in the venue's zone) they were made."""
    days: dict[date, int] = {}
    for registered_at in (Registration.objects.filter(event=event, status__in=Registration.ACTIVE_STATUSES)
                          .order_by("registered_at").values_list("registered_at", flat=True)):
        day = registered_at.astimezone(event.tzinfo).date()
        days[day] = days.get(day, 0) + 1
    return sorted(days.items())


def choice_answer_summaries(event: Event) -> list[dict]:
    """For each choice, yes/no and country question: how many active registrants gave each answer."""
    Kind = RegistrationQuestion.Kind
    questions = list(RegistrationQuestion.objects.filter(
        event=event, kind__in=[Kind.CHOICE, Kind.CHOICES, Kind.YES_NO, Kind.COUNTRY]).order_by("position", "id"))
    counts: dict[int, dict[str, int]] = {q.pk: {} for q in questions}
    for question_id, value in RegistrationAnswer.objects.filter(
            question__in=questions, registration__status__in=Registration.ACTIVE_STATUSES).values_list(
            "question_id", "value"):
        values = value if isinstance(value, list) else [value]
        for v in values:
            key = str(v)
            counts[question_id][key] = counts[question_id].get(key, 0) + 1
    summaries = []
    for question in questions:
        found = counts[question.pk]
        if question.kind in (Kind.CHOICE, Kind.CHOICES):
            rows = [(choice, found.get(choice, 0)) for choice in question.choices]
        elif question.kind == Kind.YES_NO:
            rows = [(_("Yes"), found.get("True", 0)), (_("No"), found.get("False", 0))]
        else:
            names = dict(countries)
            rows = sorted(((names.get(code, code), n) for code, n in found.items()), key=lambda r: -r[1])
        summaries.append({"question": question, "rows": rows, "total": sum(n for _label, n in rows)})
    return summaries
