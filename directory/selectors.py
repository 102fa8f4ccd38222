"""Every read of the directory with its rules: who sees which practice or resource, facets, search and peers.

Search is one function per kind. On PostgreSQL it is full-text search, weighted title (A) above summary (B)
above body (C), stemmed in the content's own language where it is known; on SQLite the same function
falls back to a plain case-insensitive match, so callers never know which database answers.
"""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Case, Count, F, FloatField, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.matching import Suggestion, rank
from accounts.models import Membership, Organisation, User
from accounts.permissions import AnyUser
from core import reference
from core.extensions import PEERS, Need
from core.models import PolicyArea, Topic
from core.taxonomy import Level
from directory.facets import Facet, FacetGroup, apply_facets, country_labels, facet_groups, year_value
from directory.models import (
    CONTENT_LANGUAGES,
    LANGUAGE_CHOICES,
    ImportJob,
    Practice,
    PracticeRevision,
    PracticeTransition,
    Replication,
    Resource,
    TargetGroup,
)
from moderation.permissions import is_moderator

Params = QueryDict | Mapping

MAX_QUERY_LENGTH = 200


def query_text(params: Params) -> str:
    """The free-text search from the URL, tidied: control characters dropped, spaces collapsed, bounded."""
    raw = params.get("q", "")
    if not isinstance(raw, str):
        return ""
    return " ".join("".join(c for c in raw if c.isprintable()).split())[:MAX_QUERY_LENGTH]


def _language_match(q: str) -> tuple[Q, Case]:
    """Each document matched by the query in its own language's configuration, and ranked by it.

    A French practice is searched with French stemming, an English one with English stemming, so
    "logement" finds "logements" and an exclusion ("-german") holds in every language.
    """
    languages_by_config: dict[str, list[str]] = {}
    for code, (_name, config) in CONTENT_LANGUAGES.items():
        languages_by_config.setdefault(config, []).append(code)
    match, ranks = Q(), []
    for config, codes in languages_by_config.items():
        query = SearchQuery(q, config=config, search_type="websearch")
        match |= Q(language__in=codes, search_vector=query)
        ranks.append(When(language__in=codes, then=SearchRank(F("search_vector"), query)))
    return match, Case(*ranks, default=Value(0.0), output_field=FloatField())


def _fallback_rank(q: str, a: list[str], b: list[str], c: list[str]) -> tuple[Q, Case]:
    """SQLite: every word must appear somewhere, folding accents and case; ranked title above summary above body."""
    words = [w.strip('"').lstrip("-") for w in q.split()]
    words = [w for w in words if w] or [q]

    def every_word_in(fields: list[str]) -> Q:
        condition = Q()
        for word in words:
            in_any = Q()
            for name in fields:
                in_any |= Q(**{f"{name}__folded_contains": word})
            condition &= in_any
        return condition

    rank = Case(When(every_word_in(a), then=Value(3)), When(every_word_in(a + b), then=Value(2)),
                default=Value(1), output_field=IntegerField())
    return every_word_in(a + b + c), rank


def search_practices(qs: QuerySet[Practice], q: str) -> QuerySet[Practice]:
    """Practices in `qs` matching `q`, annotated with `rank` (higher is better)."""
    if not q:
        return qs.annotate(rank=Value(0, output_field=IntegerField()))
    if settings.IS_POSTGRES:
        match, rank = _language_match(q)
        return qs.filter(match).annotate(rank=rank)
    match, rank = _fallback_rank(q, ["title"], ["summary"],
                                 ["issue", "how_it_works", "results", "lessons", "transferability", "city"])
    return qs.filter(match).annotate(rank=rank)


def search_resources(qs: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    if not q:
        return qs.annotate(rank=Value(0, output_field=IntegerField()))
    if settings.IS_POSTGRES:
        match, rank = _language_match(q)
        return qs.filter(match).annotate(rank=rank)
    match, rank = _fallback_rank(q, ["title"], ["summary"], ["authors"])
    return qs.filter(match).annotate(rank=rank)


def search_organisations(qs: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Organisations' language is not recorded, so their text is matched word for word ("simple")."""
    if not q:
        return qs.annotate(rank=Value(0, output_field=IntegerField()))
    if settings.IS_POSTGRES:
        vector = (SearchVector("name", weight="A", config="simple")
                  + SearchVector("description", weight="B", config="simple")
                  + SearchVector("city", weight="C", config="simple"))
        query = SearchQuery(q, config="simple", search_type="websearch")
        return qs.annotate(search=vector).filter(search=query).annotate(rank=SearchRank(F("search"), query))
    match, rank = _fallback_rank(q, ["name"], ["description"], ["city"])
    return qs.filter(match).annotate(rank=rank)


# --- Labels for facets ---------------------------------------------------------------------------------

def _area_labels() -> dict[str, str]:
    return reference.labels(PolicyArea.objects.all())


def _topic_labels() -> dict[str, str]:
    return reference.labels(Topic.objects.order_by("area__position", "position"))


def _target_labels() -> dict[str, str]:
    return reference.labels(TargetGroup.objects.all())


def _choices(choices: list[tuple[str, str]]):
    return lambda: dict(choices)


PERIODS = {"since-2020": _("2020 or later"), "2015-2019": "2015–2019", "2010-2014": "2010–2014",
           "before-2010": _("Before 2010")}
PERIOD = Case(
    When(start_year__gte=2020, then=Value("since-2020")),
    When(start_year__gte=2015, then=Value("2015-2019")),
    When(start_year__gte=2010, then=Value("2010-2014")),
    default=Value("before-2010"),
)
RUNNING = Case(When(end_year__isnull=True, then=Value("ongoing")), default=Value("completed"))

ORGANISATION_FACETS = [
    Facet("kind", pgettext_lazy("organisation", "Kind"), "kind", _choices(Organisation.Kind.choices)),
    Facet("country", _("Country"), "country", country_labels),
    Facet("area", _("Policy area"), "policy_areas__code", _area_labels, many=True),
    Facet("topic", _("Sub-topic"), "topics__slug", _topic_labels, many=True),
    Facet("level", _("Level"), "level", _choices(Level.choices)),
]
PRACTICE_FACETS = [
    Facet("area", _("Policy area"), "policy_areas__code", _area_labels, many=True),
    Facet("topic", _("Sub-topic"), "topics__slug", _topic_labels, many=True),
    Facet("target", _("Target group"), "target_groups__slug", _target_labels, many=True),
    Facet("country", _("Country"), "country", country_labels),
    Facet("level", _("Level"), "level", _choices(Level.choices)),
    # Translators: a filter of practices by the year they started.
    Facet("period", pgettext_lazy("practice", "Started"), "period", lambda: PERIODS, expression=PERIOD),
    # Translators: a filter of practices: still running (ongoing) or completed.
    Facet("running", pgettext_lazy("practice", "Running"), "running",
          lambda: {"ongoing": pgettext_lazy("practice", "Ongoing"),
                   "completed": pgettext_lazy("practice", "Completed")},
          expression=RUNNING),
    Facet("kind", _("Lead organisation"), "organisation__kind", _choices(Organisation.Kind.choices)),
    Facet("language", _("Written in"), "language", _choices(LANGUAGE_CHOICES)),
]
RESOURCE_FACETS = [
    Facet("type", pgettext_lazy("resource", "Type"), "kind", _choices(Resource.Kind.choices)),
    Facet("area", _("Policy area"), "policy_areas__code", _area_labels, many=True),
    Facet("topic", _("Sub-topic"), "topics__slug", _topic_labels, many=True),
    Facet("language", _("Language"), "language", _choices(LANGUAGE_CHOICES)),
    Facet("country", _("Publisher's country"), "publisher__country", country_labels),
    Facet("year", _("Year"), "year", check=year_value),
]
PEOPLE_FACETS = [
    Facet("country", _("Country"), "organisation__country", country_labels),
    Facet("area", _("Policy area"), "organisation__policy_areas__code", _area_labels, many=True),
    Facet("kind", _("Organisation kind"), "organisation__kind", _choices(Organisation.Kind.choices)),
]

ORGANISATION_SORTS = {"name": (pgettext_lazy("sort order", "Name"), [Lower("name"), "id"]),
                      "recent": (pgettext_lazy("sort order", "Most recent activity"), ["-last_activity_at", "id"])}
PRACTICE_SORTS = {"recent": (pgettext_lazy("sort order", "Recently published"), ["-published_at", "-id"]),
                  "title": (pgettext_lazy("sort order", "Title"), [Lower("title"), "id"]),
                  "start": (pgettext_lazy("sort order", "Newest first started"), ["-start_year", Lower("title")])}
RESOURCE_SORTS = {"recent": (pgettext_lazy("sort order", "Recently added"), ["-created_at", "-id"]),
                  "year": (pgettext_lazy("sort order", "Year, newest first"), ["-year", Lower("title")]),
                  "title": (pgettext_lazy("sort order", "Title"), [Lower("title"), "id"])}
RELEVANCE = "relevance"


def sort_key(params: Params, sorts: dict, q: str) -> str:
    """The requested sort if it is one we offer; by relevance when searching, else the first."""
    sort = params.get("sort", "")
    if sort in sorts or (sort == RELEVANCE and q):
        return sort
    return RELEVANCE if q else next(iter(sorts))


def _ordered(qs: QuerySet, sorts: dict, sort: str) -> QuerySet:
    if sort == RELEVANCE:
        return qs.order_by("-rank", *next(iter(sorts.values()))[1])
    return qs.order_by(*sorts[sort][1])


# --- Organisations ----------------------------------------------------------------------------------

def directory_organisations() -> QuerySet[Organisation]:
    """The public directory: verified organisations."""
    return Organisation.objects.filter(verified=True)


def _organisation_base(params: Params) -> QuerySet[Organisation]:
    return search_organisations(directory_organisations(), query_text(params))


def organisation_list(params: Params) -> QuerySet[Organisation]:
    """The directory filtered by the URL's facets and text, sorted, with what each row shows."""
    q = query_text(params)
    qs = apply_facets(_organisation_base(params), ORGANISATION_FACETS, params)
    return (_ordered(qs, ORGANISATION_SORTS, sort_key(params, ORGANISATION_SORTS, q))
            .prefetch_related("policy_areas", "topics")
            .annotate(practice_count=Count("practices", filter=Q(practices__status=Practice.Status.PUBLISHED),
                                           distinct=True)))


def organisation_facets(params: Params) -> list[FacetGroup]:
    q = query_text(params)
    base = directory_organisations()
    if q:
        base = base.filter(pk__in=search_organisations(directory_organisations(), q).values("pk"))
    return facet_groups(base, ORGANISATION_FACETS, params)


# --- Practices -------------------------------------------------------------------------------------

def published_practices() -> QuerySet[Practice]:
    return Practice.objects.filter(status=Practice.Status.PUBLISHED)


def practices_visible_to(user: AnyUser) -> QuerySet[Practice]:
    """Published practices, plus those the user edits (author or organisation admin); all for moderators."""
    if user.is_authenticated and (user.is_staff or is_moderator(user)):
        return Practice.objects.all()
    if not user.is_authenticated:
        return published_practices()
    active = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
    return Practice.objects.filter(
        Q(status=Practice.Status.PUBLISHED)
        | Q(author=user, organisation__in=active.values("organisation_id"))
        | Q(organisation__in=active.filter(role=Membership.Role.ADMIN).values("organisation_id"))
    )


def _practice_row_relations(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.select_related("organisation").prefetch_related("policy_areas", "topics", "target_groups", "partners")


def practice_list(params: Params, base: QuerySet[Practice] | None = None) -> QuerySet[Practice]:
    """Published practices (or `base`) filtered by the URL's facets and text, sorted."""
    q = query_text(params)
    qs = search_practices(base if base is not None else published_practices(), q)
    qs = apply_facets(qs, PRACTICE_FACETS, params)
    return _practice_row_relations(_ordered(qs, PRACTICE_SORTS, sort_key(params, PRACTICE_SORTS, q)))


def practice_facets(params: Params) -> list[FacetGroup]:
    q = query_text(params)
    base = published_practices()
    if q:
        base = base.filter(pk__in=search_practices(published_practices(), q).values("pk"))
    return facet_groups(base, PRACTICE_FACETS, params)


def practice_for_page(slug: str) -> QuerySet[Practice]:
    return (Practice.objects.filter(slug=slug)
            .select_related("organisation", "author")
            .prefetch_related("policy_areas", "topics", "target_groups", "partners",
                              Prefetch("resources", queryset=Resource.objects.select_related("publisher")),
                              Prefetch("replications", queryset=Replication.objects.select_related("organisation"))))


def practice_transitions(practice: Practice) -> QuerySet[PracticeTransition]:
    return practice.transitions.select_related("actor")


def practice_revisions(practice: Practice) -> QuerySet[PracticeRevision]:
    return practice.revisions.select_related("editor")


def practices_in_areas(area_ids: list[int], limit: int) -> list[Practice]:
    """Published practices in any of the policy areas, newest first (an event's related practices)."""
    if not area_ids:
        return []
    qs = published_practices().filter(pk__in=published_practices().filter(policy_areas__in=area_ids).values("pk"))
    return list(qs.select_related("organisation").prefetch_related("policy_areas").order_by("-published_at", "-id")
                [:limit])


def practices_awaiting_review() -> QuerySet[Practice]:
    return (Practice.objects.filter(status=Practice.Status.SUBMITTED)
            .select_related("organisation", "author").order_by("submitted_at", "id"))


def practices_of_author(user: User) -> QuerySet[Practice]:
    """The member's own practices in every state, and those of organisations they administer."""
    admin_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE,
                                         role=Membership.Role.ADMIN).values("organisation_id")
    return (Practice.objects.filter(Q(author=user) | Q(organisation__in=admin_of))
            .select_related("organisation").order_by("-updated_at", "-id"))




# --- Resources -------------------------------------------------------------------------------------

def resources_visible_to(user: AnyUser) -> QuerySet[Resource]:
    """Resources of verified publishers; members also see their own organisations' resources."""
    if user.is_authenticated and user.is_staff:
        return Resource.objects.all()
    if not user.is_authenticated:
        return Resource.objects.filter(publisher__verified=True)
    mine = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("organisation_id")
    return Resource.objects.filter(Q(publisher__verified=True) | Q(publisher__in=mine))


def _resource_rows(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return qs.select_related("publisher").prefetch_related("policy_areas")


def resource_list(user: AnyUser, params: Params) -> QuerySet[Resource]:
    q = query_text(params)
    qs = apply_facets(search_resources(resources_visible_to(user), q), RESOURCE_FACETS, params)
    return _resource_rows(_ordered(qs, RESOURCE_SORTS, sort_key(params, RESOURCE_SORTS, q)))


def resource_facets(user: AnyUser, params: Params) -> list[FacetGroup]:
    q = query_text(params)
    base = resources_visible_to(user)
    if q:
        base = base.filter(pk__in=search_resources(resources_visible_to(user), q).values("pk"))
    groups = facet_groups(base, RESOURCE_FACETS, params)
    for group in groups:
        if group.facet.param == "year":
            group.options.sort(key=lambda o: o.value, reverse=True)
    return groups


def resource_for_page(slug: str) -> QuerySet[Resource]:
    return (Resource.objects.filter(slug=slug).select_related("publisher")
            .prefetch_related("policy_areas", "topics",
                              Prefetch("practices", queryset=published_practices().select_related("organisation"))))


# --- The organisation page's clearinghouse section ------------------------------------------------------

def organisation_practices(organisation: Organisation, user: AnyUser) -> QuerySet[Practice]:
    """Practices the organisation leads or partners in, as far as the viewer may see them."""
    return (practices_visible_to(user)
            .filter(Q(organisation=organisation) | Q(partners=organisation)).distinct()
            .select_related("organisation").order_by("-published_at", "-id"))


def organisation_resources(organisation: Organisation, user: AnyUser) -> QuerySet[Resource]:
    return resources_visible_to(user).filter(publisher=organisation).order_by("-year", "-id")


# --- People and peers ------------------------------------------------------------------------------

def _people_base(params: Params) -> QuerySet[Membership]:
    qs = Membership.objects.filter(status=Membership.Status.ACTIVE, user__is_active=True,
                                   organisation__verified=True)
    q = query_text(params)
    if q:
        qs = qs.filter(Q(user__full_name__folded_contains=q) | Q(user__job_title__folded_contains=q)
                       | Q(organisation__name__folded_contains=q))
    job = query_text({"q": params.get("job_title", "")})[:100]
    if job:
        qs = qs.filter(user__job_title__folded_contains=job)
    return qs


def people_list(params: Params) -> QuerySet[Membership]:
    """The members' directory: one row per person and organisation, with what the Message action needs."""
    qs = apply_facets(_people_base(params), PEOPLE_FACETS, params)
    active = Membership.objects.filter(status=Membership.Status.ACTIVE).select_related("organisation")
    return (qs.select_related("user", "organisation")
            .prefetch_related(Prefetch("user__memberships", queryset=active.order_by("organisation__name")))
            .order_by(Lower("user__full_name"), "user_id", "organisation__name"))


def people_facets(params: Params) -> list[FacetGroup]:
    return facet_groups(_people_base(params), PEOPLE_FACETS, params)


def peers_of(organisation: Organisation) -> list[Suggestion]:
    """Verified organisations sharing the most sub-topics, then policy areas, with the same kind first.

    The ranking is the matching engine's (accounts.matching), fed by each organisation's declared
    interests; each suggestion says why it matched. Expects topics and policy_areas prefetched.
    """
    need = Need(topic_ids=frozenset(t.pk for t in organisation.topics.all()),
                area_ids=frozenset(a.pk for a in organisation.policy_areas.all()),
                kind=organisation.kind, exclude=frozenset({organisation.pk}))
    return rank(need, purpose=PEERS, limit=None)


def organisations_for_peers(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE
                                       ).prefetch_related("topics", "policy_areas").order_by("name")


def recent_imports(user: User, *, limit: int = 10) -> QuerySet[ImportJob]:
    """The staff member's latest CSV imports, to go back to one that runs or needs fixing."""
    return ImportJob.objects.filter(created_by=user).defer("content", "seen_keys", "errors").order_by(
        "-created_at", "-id")[:limit]
