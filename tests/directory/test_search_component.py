"""Search as one component: stored vectors in the content's language, one match a request for the list's
facets and total, counts cached until a write, a capped total, and the GIN index serving every kind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from core import search
from directory import selectors
from tests import factories
from tests.directory.factories import make_practice, make_resource

pytestmark = pytest.mark.django_db


def _titles(qs) -> list[str]:
    return list(qs.values_list("title", flat=True))


# One practice a language, each found by another form of one of its words, stemmed in its own language
# (Chinese has no stemmer in PostgreSQL: its words, separated as written, match as they are).
LANGUAGES = [
    ("en", "Mentoring newcomers", "Volunteers mentor young refugees.", "mentored"),
    ("fr", "Logements partagés", "Des réfugiés partagent des logements avec des étudiants.", "logement"),
    ("es", "Viviendas compartidas", "Viviendas compartidas para refugiados.", "vivienda"),
    ("ru", "Языковые курсы", "Языковые курсы для мигрантов.", "мигрант"),
    ("ar", "برنامج توظيف", "برنامج توظيف المهاجرين.", "المهاجر"),
    ("zh", "移民 就业 辅导", "为 新移民 提供 就业 辅导。", "就业"),
]


@pytest.mark.postgres
@pytest.mark.parametrize("page_language", ["en", "fr", "ar"])
def test_each_language_finds_its_practice_by_an_inflected_word_whatever_the_page_language(client, page_language):
    for language, title, summary, _word in LANGUAGES:
        make_practice(status="published", language=language, title=title, summary=summary)
    for language, title, _summary, word in LANGUAGES:
        found = _titles(selectors.search_practices(selectors.published_practices(), word))
        assert found == [title], (language, word, found)
        page = client.get("/practices/", {"q": word}, HTTP_ACCEPT_LANGUAGE=page_language).content.decode()
        assert title in page, (language, word)


@pytest.mark.postgres
def test_a_word_is_not_stemmed_in_another_language_than_its_own():
    # "logement" would stem to "log" only in French: an English practice about logs is not found by it.
    make_practice(status="published", language="en", title="Log cabins", summary="Building with logs.")
    assert _titles(selectors.search_practices(selectors.published_practices(), "logement")) == []


@pytest.mark.postgres
def test_the_organisation_vector_follows_edits_of_name_description_and_city():
    organisation = factories.OrganisationFactory(name="Harbour Welcome Centre", description="Legal clinics.")
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    found = lambda q: list(selectors.search_organisations(selectors.directory_organisations(), q))  # noqa: E731
    assert found("harbour") == [organisation]
    account_services.update_organisation(actor=admin, organisation=organisation, name="Bridge Centre",
                                         city="Gdańsk")
    assert found("harbour") == [] and found("bridge") == [organisation] and found("gdańsk") == [organisation]


def _plan(qs) -> str:
    with connection.cursor() as cursor:
        # With a handful of rows, a sequential scan is cheaper; forbid it (and the other paths that could
        # feed one) to see which index serves the match itself.
        for plan_kind in ("seqscan", "indexscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
    return qs.explain()


@pytest.mark.postgres
def test_every_directory_kind_is_searched_through_its_gin_index():
    from accounts.models import Organisation
    from directory.models import Practice, Resource

    make_practice(status="published", title="Housing first")
    make_resource(title="Housing toolkit")
    # Over whole tables: with a handful of rows a visibility filter's own index would serve the query instead.
    assert "directory_practice_search_gin" in _plan(selectors.search_practices(Practice.objects.all(), "housing"))
    assert "directory_resource_search_gin" in _plan(selectors.search_resources(Resource.objects.all(), "housing"))
    assert "accounts_organisation_search_gin" in _plan(
        selectors.search_organisations(Organisation.objects.all(), "housing"))


def _searches(queries) -> list[str]:
    marker = "@@" if connection.vendor == "postgresql" else "crossroads_fold"
    return [q["sql"] for q in queries.captured_queries if marker in q["sql"]]


def test_the_list_its_total_and_every_facet_come_from_one_search_and_the_counts_are_cached(client, member,
                                                                                           rendered_cache):
    client.force_login(member)  # a member's page is built each time (a visitor's may come whole from the cache)
    for i in range(3):
        make_practice(status="published", title=f"Woodwork project {i}", topics=("housing",))
    with CaptureQueriesContext(connection) as cold:
        page = client.get("/practices/", {"q": "woodwork"})
    assert page.context["page"].paginator.count == 3
    # The facets' statement (its search a CTE, the total with it) and the page's rows: one search each.
    facet_statements = [sql for sql in _searches(cold) if "search_matched" in sql]
    assert len(facet_statements) == 1 and len(_searches(cold)) == 2
    with CaptureQueriesContext(connection) as warm:
        client.get("/practices/", {"q": "woodwork"})
    assert _searches(warm) == []  # the same list again: a kept block (core.fragments.block)
    with CaptureQueriesContext(connection) as resorted:
        client.get("/practices/", {"q": "woodwork", "sort": "title"})
    assert len(_searches(resorted)) == 1  # another order: the rows are searched, the counts come from the cache


def _option(response, param: str, value: str):
    group = next(g for g in response.context["facets"] if g.facet.param == param)
    return next((o for o in group.options if o.value == value), None)


def test_facet_counts_change_on_the_next_request_after_a_publication_an_edit_and_a_withdrawal(client, moderator,
                                                                                               rendered_cache):
    from directory import services

    first = make_practice(status="published", title="Woodwork desk", topics=("housing",))
    response = client.get("/practices/", {"q": "woodwork"})
    assert _option(response, "topic", "housing").count == 1 and response.context["total"].count == 1

    second = make_practice(status="published", title="Woodwork fund", topics=("housing",))
    response = client.get("/practices/", {"q": "woodwork"})
    assert _option(response, "topic", "housing").count == 2 and response.context["total"].count == 2

    services.update_practice(actor=first.author, practice=first, title="Employment desk")
    response = client.get("/practices/", {"q": "woodwork"})
    assert _option(response, "topic", "housing").count == 1

    services.return_practice(actor=moderator, practice=second, reason="Needs sources.")
    response = client.get("/practices/", {"q": "woodwork"})
    assert _option(response, "topic", "housing") is None and response.context["total"].count == 0


def test_directory_counts_change_on_the_next_request_after_an_organisation_is_verified(client, staff, rendered_cache):
    organisation = factories.OrganisationFactory(verified=False, kind="ngo", name="Harbour NGO")
    response = client.get("/directory/")
    assert _option(response, "kind", "ngo") is None
    account_services.set_organisation_verified(actor=staff, organisation=organisation, verified=True,
                                               tell_admins=False)
    response = client.get("/directory/")
    assert _option(response, "kind", "ngo").count == 1


def test_library_counts_change_on_the_next_request_after_a_resource_is_added(client, rendered_cache):
    make_resource(title="Housing study", kind="research")
    response = client.get("/resources/")
    assert _option(response, "type", "research").count == 1
    make_resource(title="Housing handbook", kind="research")
    assert _option(client.get("/resources/"), "type", "research").count == 2


def test_a_member_and_a_visitor_do_not_share_library_counts(client, rendered_cache):
    hidden_publisher = factories.OrganisationFactory(verified=False)
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, organisation=hidden_publisher)
    make_resource(actor=member, publisher=hidden_publisher, title="Internal study", kind="policy")
    assert _option(client.get("/resources/"), "type", "policy") is None
    client.force_login(member)
    assert _option(client.get("/resources/"), "type", "policy").count == 1
    client.logout()
    # A visitor's page may now come whole from the page cache: read what it offers.
    assert 'name="type" value="policy"' not in client.get("/resources/").content.decode()


def test_above_the_cap_a_list_says_how_many_at_least_and_its_pages_stop_there(client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for i in range(5):
        make_practice(status="published", title=f"Woodwork project {i}")
    response = client.get("/practices/", {"q": "woodwork"})
    assert response.context["total"].capped and response.context["page"].paginator.count == 3
    assert "3+ results" in response.content.decode()
    site = client.get("/search/", {"q": "woodwork"})
    practices = next(g for g in site.context["groups"] if g.kind.key == "practices")
    assert practices.total == 3 and practices.capped and "(3+)" in site.content.decode()


def test_equal_ranks_keep_one_order_so_pages_never_repeat_a_row(client):
    for _ in range(25):
        make_practice(status="published", title="Woodwork", summary="Same words.")
    first = [p.pk for p in client.get("/practices/", {"q": "woodwork"}).context["page"]]
    second = [p.pk for p in client.get("/practices/", {"q": "woodwork", "page": 2}).context["page"]]
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)


# --- The other searched kinds: events, forum topics, requests for support ---------------------------------

@pytest.mark.postgres
def test_events_and_topics_are_found_by_an_inflected_word_in_their_own_language(client):
    from tests.events.factories import make_event
    from tests.forums import factories as forum_factories

    make_event(title="Logements partagés à Lyon", summary="Rencontre des réfugiés et des étudiants.", language="fr")
    make_event(title="Log cabins for newcomers", summary="A building day.", language="en")
    forum_factories.topic(title="Языковые курсы для мигрантов", language="ru")
    groups = {g.kind.key: g for g in client.get("/search/", {"q": "logement"}).context["groups"]}
    assert [e.title for e in groups["events"].results] == ["Logements partagés à Lyon"]
    groups = {g.kind.key: g for g in client.get("/search/", {"q": "мигрант"}).context["groups"]}
    assert [t.title for t in groups["topics"].results] == ["Языковые курсы для мигрантов"]


@pytest.mark.postgres
def test_an_event_is_found_by_its_organisers_name_once(client):
    from tests.events.factories import make_event

    organisation = factories.OrganisationFactory(name="Harbourside Welcome Network")
    make_event(title="Roundtable on guarantees", organisation=organisation)
    page = client.get("/events/", {"q": "harbourside"}).content.decode()
    assert page.count("Roundtable on guarantees") == 1


@pytest.mark.postgres
def test_events_topics_and_requests_are_searched_through_their_gin_indexes():
    from events.models import Event
    from expertise import selectors as expertise_selectors
    from expertise.models import SupportRequest
    from forums.models import Topic
    from tests.events.factories import make_event
    from tests.expertise.factories import make_request
    from tests.forums import factories as forum_factories

    make_event(title="Housing roundtable")
    forum_factories.topic(title="Housing for newcomers")
    make_request(title="Housing guarantee scheme")
    condition, _query = search.search_condition("housing", "language")
    assert "events_event_search_gin" in _plan(Event.objects.filter(condition))
    assert "forums_topic_search_gin" in _plan(search.matching(Topic.objects.all(), "housing",
                                                              fallback={"A": ["title"]}))
    assert "expertise_supportrequest_search_gin" in _plan(
        expertise_selectors.search_requests(SupportRequest.objects.all(), "housing"))


def test_a_request_for_support_is_found_by_its_words_in_any_order(client):
    from expertise import selectors as expertise_selectors
    from expertise.models import SupportRequest
    from tests.expertise.factories import make_request

    make_request(title="Régie de quartier for newcomers")
    found = expertise_selectors.search_requests(SupportRequest.objects.all(), "newcomers quartier")
    assert [r.title for r in found] == ["Régie de quartier for newcomers"]


@pytest.mark.postgres
def test_a_facet_count_is_served_by_the_covering_index():
    # Index-only once autovacuum has set the visibility map; in a fresh test database a bitmap scan of it.
    from directory.facets import apply_facets

    make_practice(status="published", title="Housing first")
    level = next(f for f in selectors.PRACTICE_FACETS if f.param == "level")
    qs = level.counts_query(apply_facets(selectors.published_practices(), selectors.PRACTICE_FACETS, {}, skip=level))
    with connection.cursor() as cursor:
        # At one row the planner may as well read the status index and then the table; leave it only the
        # index-only path, which just an index holding every column the count reads can take.
        for plan_kind in ("seqscan", "indexscan", "bitmapscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
    assert "directory_practice_facets" in qs.explain()


def test_above_the_cap_a_search_is_listed_newest_first_unless_relevance_is_asked_for(client, monkeypatch):
    """Ranking reads every match's vector; past the cap the list takes its first order (an index walk that stops
    at the page) and its sort menu says so. Asked for explicitly, relevance still ranks."""
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    older = make_practice(status="published", title="Woodwork woodwork woodwork", summary="Woodwork.")
    for i in range(4):
        make_practice(status="published", title=f"Project {i}", summary="Some woodwork.")
    newest = make_practice(status="published", title="Project newest", summary="Some woodwork.")
    response = client.get("/practices/", {"q": "woodwork"})
    assert response.context["sort"] == "recent" and response.context["page"][0].pk == newest.pk
    assert '<option value="recent" selected' in response.content.decode()
    ranked = client.get("/practices/", {"q": "woodwork", "sort": "relevance"})
    assert ranked.context["sort"] == "relevance" and ranked.context["page"][0].pk == older.pk
    monkeypatch.setattr(search, "COUNT_CAP", 1000)
    below = client.get("/practices/", {"q": "woodwork", "page": 1})
    assert below.context["sort"] == "relevance" and below.context["page"][0].pk == older.pk
