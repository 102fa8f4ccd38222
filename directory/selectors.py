"""Every read of the directory with its rules: who sees which practice or resource, facets, search and peers.

Search is one function per kind, through core/search.py: on PostgreSQL one match on the stored vector
(weighted title (A) above summary (B) above body (C), stemmed in the content's own language where it is
known); on SQLite a plain match that folds case and accents, so callers never know which database answers.
A list page runs its search once for all its facet counts and its total (`*_facets`), cached under a
version its writes bump (core/versions.py), and once more for the rows it shows.
"""

from collections.abc import Mapping

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.matching import Suggestion, rank
from accounts.models import Membership, Organisation, User
from accounts.permissions import AnyUser
from core import reference, search, versions
from core.extensions import PEERS, Need
from core.languages import LANGUAGE_CHOICES
from core.models import PolicyArea, Topic
from core.taxonomy import Level
from directory.facets import Facet, Faceted, apply_facets, count_facets, country_labels, facet_groups, year_value
from directory.models import (
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

# Cache generations (core/versions.py) of what the lists count, bumped by directory's and accounts' services.
PRACTICES = "directory.practice"
RESOURCES = "directory.resource"
ORGANISATIONS = "accounts.organisation"

MAX_QUERY_LENGTH = 200


def query_text(params: Params) -> str:
    """The free-text search from the URL, tidied: control characters dropped, spaces collapsed, bounded."""
    raw = params.get("q", "")
    if not isinstance(raw, str):
        return ""
    return " ".join("".join(c for c in raw if c.isprintable()).split())[:MAX_QUERY_LENGTH]


# The columns each kind's stored vector reads, by weight, as its trigger does (the SQLite fallback reads them).
PRACTICE_TEXT = {"A": ["title"], "B": ["summary"],
                 "C": ["issue", "how_it_works", "results", "lessons", "transferability", "city"]}
RESOURCE_TEXT = {"A": ["title"], "B": ["summary"], "C": ["authors"]}
ORGANISATION_TEXT = {"A": ["name"], "B": ["description"], "C": ["city"]}


def search_practices(qs: QuerySet[Practice], q: str) -> QuerySet[Practice]:
    """Practices in `qs` matching `q`, annotated with `rank` (higher is better)."""
    return search.matching(qs, q, fallback=PRACTICE_TEXT)


def search_resources(qs: QuerySet[Resource], q: str) -> QuerySet[Resource]:
    return search.matching(qs, q, fallback=RESOURCE_TEXT)


def search_organisations(qs: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Organisations' language is not recorded: their vector is word for word ("simple")."""
    return search.matching(qs, q, fallback=ORGANISATION_TEXT, language_field=None)


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
                  "start": (pgettext_lazy("sort order", "Newest first started"), ["-start_year", Lower("title"), "id"])}
RESOURCE_SORTS = {"recent": (pgettext_lazy("sort order", "Recently added"), ["-created_at", "-id"]),
                  "year": (pgettext_lazy("sort order", "Year, newest first"), ["-year", Lower("title"), "id"]),
                  "title": (pgettext_lazy("sort order", "Title"), [Lower("title"), "id"])}
RELEVANCE = "relevance"


def sort_key(params: Params, sorts: dict, q: str) -> str:
    """The requested sort if it is one we offer; by relevance when searching, else the first."""
    sort = params.get("sort", "")
    if sort in sorts or (sort == RELEVANCE and q):
        return sort
    return RELEVANCE if q else next(iter(sorts))


# How long cached facet counts may live without a write; writes make them stale at once (versioned keys).
FACETS_CACHE_SECONDS = 600


def _cached_facets(name: str, *, kinds: list[str], base: QuerySet, facets: list[Facet], params: Params,
                   match: QuerySet | None, scope: object = None) -> Faceted:
    """Facet counts and the total for these filters, from the cache while none of `kinds` changed. `scope`
    tells apart viewers who see different rows. Counts do not depend on the page language (the labels,
    which do, are not cached)."""
    q = query_text(params)
    filters = [(facet.param, facet.values_in(params)) for facet in facets]
    key = versions.key(f"facets:{name}", kinds=kinds, parts=[q, scope, filters])
    counted = versions.cached(key, lambda: count_facets(base, facets, params, match=match),
                              timeout=FACETS_CACHE_SECONDS)
    return Faceted(facet_groups(facets, params, counted), counted.total)


def _ordered(qs: QuerySet, sorts: dict, sort: str) -> QuerySet:
    if sort == RELEVANCE:
        return qs.order_by("-rank", *next(iter(sorts.values()))[1])
    return qs.order_by(*sorts[sort][1])


# --- Organisations ----------------------------------------------------------------------------------

def directory_organisations() -> QuerySet[Organisation]:
    """The public directory: verified organisations."""
    return Organisation.objects.filter(verified=True)


ORGANISATION_ROW_DEFERRED = ("search_vector", "description", "description_html")


def _listed_organisations(params: Params) -> QuerySet[Organisation]:
    q = query_text(params)
    qs = apply_facets(search_organisations(directory_organisations(), q), ORGANISATION_FACETS, params)
    return _ordered(qs, ORGANISATION_SORTS, sort_key(params, ORGANISATION_SORTS, q))


def _with_row_data(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a row shows: the taxonomy, and the practice count as a correlated count, not a join grouped over
    whole organisation rows."""
    published = (Practice.objects.filter(organisation=OuterRef("pk"), status=Practice.Status.PUBLISHED)
                 .order_by().values("organisation").annotate(n=Count("pk")).values("n"))
    return (organisations.defer("search_vector")
            .prefetch_related("policy_areas", "topics")
            .annotate(practice_count=Coalesce(Subquery(published, output_field=IntegerField()), 0)))


def organisation_list(params: Params) -> QuerySet[Organisation]:
    """The directory filtered by the URL's facets and text, sorted, with what each row shows."""
    return _with_row_data(_listed_organisations(params))


def organisation_ids(params: Params) -> QuerySet[Organisation]:
    """The directory's organisations, filtered and sorted, with nothing read but their ids: the API reads the
    rest for the items it has not kept (organisations_by_id)."""
    return _listed_organisations(params).only("pk")


def organisations_by_id(ids: list[int]) -> dict[int, Organisation]:
    """The API's items: organisations with their taxonomy and practice count, without the vector."""
    return {organisation.pk: organisation
            for organisation in _with_row_data(Organisation.objects.filter(pk__in=ids))}


def organisation_rows(params: Params) -> QuerySet[Organisation]:
    """The directory page's rows: without the description, which the page does not show."""
    return organisation_list(params).defer(*ORGANISATION_ROW_DEFERRED)


def organisation_facets(params: Params) -> Faceted:
    q = query_text(params)
    base = directory_organisations()
    return _cached_facets("organisations", kinds=[ORGANISATIONS], base=base, facets=ORGANISATION_FACETS,
                          params=params, match=search_organisations(base, q) if q else None)


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


PRACTICE_ROW_DEFERRED = ("search_vector", "issue", "issue_html", "how_it_works", "how_it_works_html", "results",
                         "results_html", "evaluation_indicators", "evaluation_indicators_html", "lessons",
                         "lessons_html", "transferability", "transferability_html", "organisation__search_vector",
                         "organisation__description", "organisation__description_html")


def _practice_row_relations(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.select_related("organisation").prefetch_related("policy_areas", "topics", "target_groups", "partners")


def practice_list(params: Params, base: QuerySet[Practice] | None = None) -> QuerySet[Practice]:
    """Published practices (or `base`) filtered by the URL's facets and text, sorted."""
    q = query_text(params)
    qs = search_practices(base if base is not None else published_practices(), q)
    qs = apply_facets(qs, PRACTICE_FACETS, params)
    return _practice_row_relations(_ordered(qs, PRACTICE_SORTS, sort_key(params, PRACTICE_SORTS, q)))


def practice_ids(params: Params) -> QuerySet[Practice]:
    """The list's practices, filtered and sorted, with nothing read but their ids: the API reads the rest for
    the items it has not kept (practices_by_id)."""
    return practice_list(params).select_related(None).prefetch_related(None).only("pk")


def practices_by_id(ids: list[int]) -> dict[int, Practice]:
    """The API's items: a practice with its relations and versions, without the vector and Markdown sources."""
    qs = with_versions(_practice_row_relations(Practice.objects.filter(pk__in=ids))).defer(
        "search_vector", "issue", "how_it_works", "results", "evaluation_indicators", "lessons", "transferability")
    return {practice.pk: practice for practice in qs}


def practice_rows(params: Params) -> QuerySet[Practice]:
    """The list page's rows: what a row shows, without the vector and the practice's body."""
    return practice_list(params).defer(*PRACTICE_ROW_DEFERRED)


def practice_facets(params: Params) -> Faceted:
    q = query_text(params)
    base = published_practices()
    return _cached_facets("practices", kinds=[PRACTICES, ORGANISATIONS], base=base, facets=PRACTICE_FACETS,
                          params=params, match=search_practices(base, q) if q else None)


def practice_versions(practice: Practice) -> list[Practice]:
    """The same practice in other languages ("Also in: Français · Español"): its original and the original's
    translations, published ones only, by language; one query."""
    original_id = practice.translation_of_id or practice.pk
    return list(Practice.objects.filter(Q(pk=original_id) | Q(translation_of_id=original_id),
                                        status=Practice.Status.PUBLISHED)
                .exclude(pk=practice.pk).only("slug", "language", "title", "translation_of_id").order_by("language"))


def resource_versions(resource: Resource) -> list[Resource]:
    """The same library item in other languages: its original and the original's versions, one query. They share
    the publisher, so whoever sees one sees them all."""
    original_id = resource.translation_of_id or resource.pk
    return list(Resource.objects.filter(Q(pk=original_id) | Q(translation_of_id=original_id))
                .exclude(pk=resource.pk).only("slug", "language", "title", "translation_of_id").order_by("language"))


def with_resource_versions(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """`resources` with their original and their versions in other languages (the API's link): two queries more."""
    return resources.prefetch_related(
        Prefetch("translations", queryset=Resource.objects.only("slug", "language", "translation_of_id")
                 .order_by("language"), to_attr="listed_translations"),
        Prefetch("translation_of", queryset=Resource.objects.only("slug", "language")))


def with_versions(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    """`practices` with their original and their published versions in other languages (the API's link between
    them): two queries more, whatever their number."""
    published = Practice.objects.filter(status=Practice.Status.PUBLISHED).only("slug", "language", "translation_of_id")
    return practices.prefetch_related(
        Prefetch("translations", queryset=published.order_by("language"), to_attr="published_translations"),
        Prefetch("translation_of", queryset=Practice.objects.only("slug", "language")))


def practice_for_page(slug: str) -> QuerySet[Practice]:
    return (Practice.objects.filter(slug=slug)
            .select_related("organisation", "author")
            .prefetch_related("policy_areas", "topics", "target_groups", "partners",
                              Prefetch("resources", queryset=Resource.objects.select_related("publisher")),
                              Prefetch("replications", queryset=Replication.objects.select_related("organisation"))))


# What the practice page shows of a practice's relations, each read only for the card that shows it.
PRACTICE_PAGE_RELATIONS = ("target_groups", "partners",
                           Prefetch("resources", queryset=Resource.objects.select_related("publisher")))
PRACTICE_PAGE_REPLICATIONS = Prefetch("replications", queryset=Replication.objects.select_related("organisation"))


def practice_page_head(slug: str, viewer: AnyUser | None = None) -> QuerySet[Practice]:
    """The practice page's own row: its fields and lead organisation, without the Markdown sources and vectors it
    does not show. Its relations (areas, topics, partners, resources, replications) are read inside the page's
    cards that show them (templates/directory/practice_detail.html), so only when a card is rendered afresh.
    With a member `viewer`, the row carries their active role in the lead organisation (`viewer_role`, None when
    they are not its member), which directory.permissions reads instead of a query of its own."""
    practices = (Practice.objects.filter(slug=slug).select_related("organisation")
                 .defer("search_vector", "issue", "how_it_works", "results", "evaluation_indicators", "lessons",
                        "transferability", "organisation__search_vector", "organisation__description",
                        "organisation__description_html"))
    if viewer is None or not viewer.is_authenticated:
        return practices
    return practices.annotate(viewer_role=Subquery(
        Membership.objects.filter(user=viewer, organisation=OuterRef("organisation"),
                                  status=Membership.Status.ACTIVE).values("role")[:1]))


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
    """The member's own practices in every state, and those of organisations they administer: the union of
    two indexed id sets (by author, by organisation), not an OR that scans every practice."""
    admin_of = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE,
                                         role=Membership.Role.ADMIN).values("organisation_id")
    ids = (Practice.objects.filter(author=user).order_by().values("pk")
           .union(Practice.objects.filter(organisation__in=admin_of).order_by().values("pk")))
    return (Practice.objects.filter(pk__in=ids).select_related("organisation").defer(*PRACTICE_ROW_DEFERRED)
            .order_by("-updated_at", "-id"))




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


def resource_ids(user: AnyUser, params: Params) -> QuerySet[Resource]:
    """The library's resources the user sees, filtered and sorted, with nothing read but their ids: the API reads
    the rest for the items it has not kept (resources_by_id)."""
    return resource_list(user, params).select_related(None).prefetch_related(None).only("pk")


def resources_by_id(ids: list[int]) -> dict[int, Resource]:
    """The API's items: resources with their publisher, areas and versions, without the vectors and the Markdown
    source. What an item shows is the same for every viewer: who sees which resource is the list's business."""
    qs = with_resource_versions(_resource_rows(Resource.objects.filter(pk__in=ids))).defer(
        "search_vector", "summary", "publisher__search_vector", "publisher__description",
        "publisher__description_html")
    return {resource.pk: resource for resource in qs}


def resource_rows(user: AnyUser, params: Params) -> QuerySet[Resource]:
    return resource_list(user, params).defer("search_vector", "summary", "summary_html", "publisher__search_vector",
                                             "publisher__description", "publisher__description_html")


def _resource_scope(user: AnyUser) -> object:
    """Who sees which resources, for the facet cache: staff all, members also their organisations' own."""
    if not user.is_authenticated:
        return "visitor"
    if user.is_staff:
        return "staff"
    return sorted(Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
                  .values_list("organisation_id", flat=True))


def resource_facets(user: AnyUser, params: Params) -> Faceted:
    q = query_text(params)
    base = resources_visible_to(user)
    faceted = _cached_facets("resources", kinds=[RESOURCES, ORGANISATIONS], base=base, facets=RESOURCE_FACETS,
                             params=params, match=search_resources(base, q) if q else None,
                             scope=_resource_scope(user))
    for group in faceted.groups:
        if group.facet.param == "year":
            group.options.sort(key=lambda o: o.value, reverse=True)
    return faceted


def resource_for_page(slug: str) -> QuerySet[Resource]:
    return (Resource.objects.filter(slug=slug).select_related("publisher")
            .prefetch_related("policy_areas", "topics",
                              Prefetch("practices", queryset=published_practices().select_related("organisation"))))


# --- The organisation page's clearinghouse section ------------------------------------------------------

def organisation_practices(organisation: Organisation, user: AnyUser) -> QuerySet[Practice]:
    """Practices the organisation leads or partners in, as far as the viewer may see them: the union of the
    led and the partnered ids (two index scans), then the viewer's rule on those rows only; no join through
    the partners and no DISTINCT over whole rows."""
    led = Practice.objects.filter(organisation=organisation).order_by().values("pk")
    partnered = Practice.partners.through.objects.filter(organisation=organisation).values("practice_id")
    return (practices_visible_to(user).filter(pk__in=led.union(partnered))
            .select_related("organisation").defer(*PRACTICE_ROW_DEFERRED).order_by("-published_at", "-id"))


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


def people_facets(params: Params) -> Faceted:
    """Not cached: memberships change without a generation of their own."""
    counted = count_facets(_people_base(params), PEOPLE_FACETS, params)
    return Faceted(facet_groups(PEOPLE_FACETS, params, counted), counted.total)


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
