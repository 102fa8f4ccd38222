"""Search: one function per kind, full-text and weighted on PostgreSQL, a plain match on SQLite; the site-wide page."""

import pytest
from django.conf import settings
from django.db import connection

from core.extensions import SEARCH_PROVIDERS
from directory import selectors
from tests import factories
from tests.directory.factories import make_practice, make_resource

pytestmark = pytest.mark.django_db


def _titles(qs) -> list[str]:
    return list(qs.values_list("title", flat=True))


def test_search_matches_title_summary_and_body_and_ranks_the_title_first():
    body = make_practice(status="published", title="Evening classes", summary="Adults learn together.",
                         how_it_works="Volunteers teach carpentry to newcomers.")
    summary = make_practice(status="published", title="Workshops", summary="A carpentry workshop for youth.")
    title = make_practice(status="published", title="Carpentry for newcomers", summary="Hands-on training.")
    make_practice(status="published", title="Unrelated", summary="Nothing about wood.")
    found = selectors.search_practices(selectors.published_practices(), "carpentry").order_by("-rank", "title")
    assert _titles(found) == [title.title, summary.title, body.title]


def test_unpublished_practices_are_never_found_by_the_public_search(client):
    make_practice(status="submitted", title="Secret carpentry draft")
    make_practice(status="published", title="Public carpentry course")
    page = client.get("/search/", {"q": "carpentry"}).content.decode()
    assert "Public carpentry course" in page and "Secret carpentry draft" not in page


@pytest.mark.postgres
def test_postgresql_search_uses_the_practices_language_to_stem():
    french = make_practice(status="published", language="fr", title="Logements partagés",
                           summary="Les réfugiés partagent des logements avec des étudiants.")
    english = make_practice(status="published", language="en", title="Shared flats",
                            summary="Refugees share housing with students.")
    # "logement" finds "logements" through French stemming; "house" finds "housing" through English stemming.
    assert _titles(selectors.search_practices(selectors.published_practices(), "logement")) == [french.title]
    assert _titles(selectors.search_practices(selectors.published_practices(), "house")) == [english.title]


@pytest.mark.postgres
def test_postgresql_search_understands_phrases_and_exclusions():
    make_practice(status="published", title="Language café", summary="Newcomers practise German over coffee.")
    make_practice(status="published", title="Job café", summary="Jobseekers meet employers over coffee.")
    qs = selectors.published_practices()
    assert _titles(selectors.search_practices(qs, "coffee -german")) == ["Job café"]
    assert _titles(selectors.search_practices(qs, '"practise german"')) == ["Language café"]


@pytest.mark.postgres
def test_the_organisation_practice_and_resource_vectors_have_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                       "('accounts_organisation', 'directory_practice', 'directory_resource') "
                       "AND indexdef ILIKE '%%gin%%'")
        indexes = dict(cursor.fetchall())
    names = indexes.pop("accounts_organisation_name_gin")  # the names alone: events found by their organisers
    assert set(indexes) == {"accounts_organisation_search_gin", "directory_practice_search_gin",
                            "directory_resource_search_gin"}
    assert all("search_vector" in definition for definition in indexes.values())
    assert "to_tsvector('simple'::regconfig, (name)::text)" in names


@pytest.mark.postgres
def test_the_search_vector_follows_edits():
    from directory import services

    practice = make_practice(status="published", title="Bike repair café")
    services.update_practice(actor=practice.author, practice=practice, title="Sewing circle")
    qs = selectors.published_practices()
    assert not selectors.search_practices(qs, "bike").exists()
    assert selectors.search_practices(qs, "sewing").exists()


def test_the_fallback_on_sqlite_is_case_insensitive_behind_the_same_function():
    if settings.IS_POSTGRES:
        pytest.skip("the SQLite fallback only answers on SQLite")
    make_practice(status="published", title="Welcome Desk", summary="Information for newcomers.")
    assert _titles(selectors.search_practices(selectors.published_practices(), "wELCOME desk")) == ["Welcome Desk"]


def test_organisations_and_resources_are_searchable_too():
    organisation = factories.OrganisationFactory(name="Casa dei Diritti", description="Free legal clinics.")
    make_resource(title="Legal clinics handbook", summary="How to run them.")
    orgs = selectors.search_organisations(selectors.directory_organisations(), "clinics")
    assert list(orgs) == [organisation]
    resources = selectors.search_resources(selectors.resources_visible_to(factories.UserFactory()), "clinics")
    assert _titles(resources) == ["Legal clinics handbook"]


def test_the_search_page_groups_results_by_kind_and_links_to_each_full_list(client):
    factories.OrganisationFactory(name="Housing Rights Watch")
    for i in range(6):
        make_practice(status="published", title=f"Housing project {i}")
    make_resource(title="Housing toolkit")
    response = client.get("/search/", {"q": "housing"})
    groups = {group.kind.key: group for group in response.context["groups"]}
    assert [kind.key for kind in SEARCH_PROVIDERS][:3] == ["organisations", "practices", "resources"]
    assert groups["organisations"].total == 1 and groups["resources"].total == 1
    assert groups["practices"].total == 6 and len(groups["practices"].results) == 5
    assert "/practices/?q=housing" in response.content.decode()


def test_an_empty_search_shows_the_form_and_no_results(client):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200 and response.context["groups"] == []


def test_the_search_page_also_finds_events_and_forum_topics_the_visitor_may_see(client):
    from tests.events.factories import make_event
    from tests.forums import factories as forum_factories

    make_event(title="Roundtable on housing newcomers")
    make_event(title="Unpublished housing workshop", publish=False)
    forum_factories.topic(title="Housing for newcomers: who has a guarantee fund?")
    response = client.get("/search/", {"q": "housing"})
    groups = {group.kind.key: group for group in response.context["groups"]}
    assert list(groups) == ["organisations", "practices", "resources", "events", "topics", "requests"]
    assert [e.title for e in groups["events"].results] == ["Roundtable on housing newcomers"]
    assert [t.title for t in groups["topics"].results] == ["Housing for newcomers: who has a guarantee fund?"]
