"""The faceted lists: facets combine, counts per value, text search and sort, all from the URL; CSV of any list."""

import csv
import io

import pytest

from core.models import PolicyArea, Topic
from tests import factories
from tests.directory.factories import make_practice, make_resource

pytestmark = pytest.mark.django_db


def _facet(response, param: str) -> dict[str, int]:
    group = next(g for g in response.context["facets"] if g.facet.param == param)
    return {o.value: o.count for o in group.options}


def _names(response) -> list[str]:
    return [getattr(o, "name", None) or o.title for o in response.context["page"]]


@pytest.fixture
def directory():
    area = {a.code: a for a in PolicyArea.objects.all()}
    topic = {t.slug: t for t in Topic.objects.all()}
    return {
        "vienna": factories.OrganisationFactory(name="Vienna City", kind="municipality", country="AT",
                                                policy_areas=[area["socio-economic"]], topics=[topic["housing"]]),
        "lyon": factories.OrganisationFactory(name="Lyon City", kind="municipality", country="FR",
                                              policy_areas=[area["cultural"], area["socio-economic"]]),
        "ngo": factories.OrganisationFactory(name="Berlin Helpers", kind="ngo", country="DE",
                                             policy_areas=[area["cultural"]], description="Housing advice."),
        "hidden": factories.OrganisationFactory(name="Unverified Org", verified=False, country="AT"),
    }


def test_the_directory_lists_only_verified_organisations(client, directory):
    assert sorted(_names(client.get("/directory/"))) == ["Berlin Helpers", "Lyon City", "Vienna City"]


def test_facets_combine_with_and_across_and_or_within_and_count_each_value(client, directory):
    response = client.get("/directory/", {"kind": "municipality", "area": ["cultural", "socio-economic"]})
    assert sorted(_names(response)) == ["Lyon City", "Vienna City"]
    # Counts of a facet ignore its own selection but apply the others'.
    assert _facet(response, "kind") == {"municipality": 2, "ngo": 1}
    assert _facet(response, "area") == {"socio-economic": 2, "cultural": 1}
    assert _facet(response, "country") == {"AT": 1, "FR": 1}
    response = client.get("/directory/", {"country": "AT"})
    assert _names(response) == ["Vienna City"]


def test_text_search_and_facets_combine_and_the_url_holds_everything(client, directory):
    response = client.get("/directory/", {"q": "housing", "kind": "ngo", "sort": "name"})
    assert _names(response) == ["Berlin Helpers"]
    assert response.context["query_string"] == "q=housing&kind=ngo&sort=name"
    assert 'href="/directory/export.csv?q=housing&amp;kind=ngo&amp;sort=name"' in response.content.decode()


def test_sorting_by_name_or_by_most_recent_activity(client, directory):
    from django.utils import timezone

    from accounts.models import Organisation

    Organisation.objects.filter(pk=directory["lyon"].pk).update(last_activity_at=timezone.now())
    assert _names(client.get("/directory/", {"sort": "name"})) == ["Berlin Helpers", "Lyon City", "Vienna City"]
    assert _names(client.get("/directory/", {"sort": "recent"}))[0] == "Lyon City"


def test_pagination_keeps_the_filters(client):
    for i in range(25):
        factories.OrganisationFactory(name=f"Org {i:02d}", kind="research")
    response = client.get("/directory/", {"kind": "research", "sort": "name"})
    assert response.context["page"].paginator.num_pages == 2
    assert 'href="?kind=research&amp;sort=name&amp;page=2"' in response.content.decode()
    assert len(client.get("/directory/", {"kind": "research", "page": 2}).context["page"]) == 5


def test_practices_facet_on_target_group_period_and_running(client):
    make_practice(status="published", title="Youth council", start_year=2021, targets=("youth",))
    make_practice(status="published", title="Old mentoring", start_year=2008, end_year=2012, targets=("women",))
    make_practice(status="submitted", title="Pending", start_year=2021, targets=("youth",))
    response = client.get("/practices/", {"target": "youth"})
    assert _names(response) == ["Youth council"]
    assert _facet(response, "period") == {"since-2020": 1}
    assert _names(client.get("/practices/", {"period": "before-2010"})) == ["Old mentoring"]
    assert _names(client.get("/practices/", {"running": "ongoing"})) == ["Youth council"]
    assert _facet(client.get("/practices/"), "target") == {"youth": 1, "women": 1}


def test_resources_facet_on_type_language_and_year(client):
    make_resource(title="A guide", kind="guideline", language="fr", year=2020)
    make_resource(title="A paper", kind="research", language="en", year=2024)
    response = client.get("/resources/", {"type": "research"})
    assert _names(response) == ["A paper"]
    assert _facet(response, "language") == {"en": 1}
    assert [o.value for o in next(g for g in client.get("/resources/").context["facets"]
                                  if g.facet.param == "year").options] == ["2024", "2020"]


def test_the_csv_export_holds_the_filtered_list_and_defuses_formulas(client):
    make_practice(status="published", title="=HYPERLINK(\"http://evil\")", country="AT")
    make_practice(status="published", title="Plain title", country="FR")
    response = client.get("/practices/export.csv", {"country": "AT"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Title", "Lead organisation", "Country"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(\"http://evil\")"]


def test_the_members_directory_is_for_members_and_never_shows_an_email(client, member, outsider):
    assert client.get("/people/").status_code == 302
    assert client.get("/people/export.csv").status_code == 302
    client.force_login(member)
    response = client.get("/people/")
    page = response.content.decode()
    assert "Otto Outsider" in page and outsider.email not in page and "@" not in page.split("<main")[1]
    export = b"".join(client.get("/people/export.csv").streaming_content).decode()
    assert "Otto Outsider" in export and outsider.email not in export


def test_the_members_directory_filters_by_country_area_and_job_title(client, member):
    organisation = factories.OrganisationFactory(country="SE", policy_areas=[PolicyArea.objects.get(code="cultural")])
    swede = factories.UserFactory(full_name="Ingrid Larsen", job_title="Youth worker")
    factories.MembershipFactory(user=swede, organisation=organisation)
    pending = factories.UserFactory(full_name="Pending Person", job_title="Youth worker")
    factories.MembershipFactory(user=pending, organisation=organisation, status="pending")
    client.force_login(member)
    people = [m.user.full_name for m in client.get("/people/", {"country": "SE"}).context["page"]]
    assert people == ["Ingrid Larsen"]
    people = [m.user.full_name for m in client.get("/people/", {"area": "cultural", "job_title": "youth"}
                                                   ).context["page"]]
    assert people == ["Ingrid Larsen"]


def test_facet_counts_read_as_one_result_or_several_to_a_screen_reader(client, directory):
    page = client.get("/directory/").content.decode()
    assert '<span class="visually-hidden">1 result</span>' in page
    assert '<span class="visually-hidden">2 results</span>' in page
    assert "1 results" not in page


@pytest.mark.parametrize("url", ["/directory/", "/practices/", "/resources/", "/people/"])
def test_the_filter_form_refreshes_the_list_in_place_and_the_same_address_serves_the_whole_page(client, member,
                                                                                                  directory, url):
    client.force_login(member)  # the members' directory is for members
    page = client.get(url, {"area": "cultural"})
    html = page.content.decode()
    assert "<html" in html and 'id="listing"' in html and f'hx-get="{url}"' in html and 'hx-push-url="true"' in html
    assert "HX-Request" in page["Vary"]
    # The form's own htmx request: the list with its filters alone, for the same address.
    part = client.get(url, {"area": "cultural"}, headers={"HX-Request": "true"})
    fragment = part.content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="listing">')
    assert 'value="cultural" checked' in fragment and "HX-Request" in part["Vary"]
    # Going back to an address htmx has no snapshot of: the whole page again.
    restored = client.get(url, {"area": "cultural"},
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.content.decode()


def test_an_htmx_refresh_lists_what_the_filters_say(client, directory):
    fragment = client.get("/directory/", {"kind": "ngo"}, headers={"HX-Request": "true"}).content.decode()
    assert "Berlin Helpers" in fragment and "Vienna City" not in fragment


def test_a_cached_list_keeps_the_partial_and_the_whole_page_apart(client, directory, rendered_cache):
    """Visitors' pages come from the cache: the htmx partial, the page, and htmx's history restore (a whole
    page asked for with htmx's headers) are three answers for one address."""
    client.get("/directory/", {"kind": "ngo"}, headers={"HX-Request": "true"})
    client.get("/directory/", {"kind": "ngo"}, headers={"HX-Request": "true", "HX-Target": "listing"})
    page = client.get("/directory/", {"kind": "ngo"}).content.decode()
    restored = client.get("/directory/", {"kind": "ngo"},
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}).content.decode()
    assert "<html" in page and "<html" in restored and "Berlin Helpers" in restored
