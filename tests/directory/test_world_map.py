"""The world map of practices and organisations: drawn on the server from the Natural Earth shapes kept in the
repository, counts per country, each counted country a link that filters the list, and a table of the same."""

import json
import re
from html import unescape

import pytest

from directory import worldmap
from tests import factories
from tests.directory.factories import make_practice
from tests.directory.test_list_queries import _organisations, _practices
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_the_shapes_file_notes_its_source_and_covers_the_network_countries():
    data = json.loads(worldmap.DATA.read_text())
    assert "Natural Earth" in data["source"] and "world-atlas" in data["source"]
    world = worldmap._world()
    for code in ("AT", "DE", "FR", "IT", "US", "CA", "SE", "NL", "BR", "ZA", "IN", "AU", "CN"):
        assert code in world["shapes"], code
    for code in ("MT", "SG", "BH"):  # too small for the 1:110m shapes: drawn as dots
        assert code in world["dots"], code


def test_the_map_is_only_drawn_when_asked_for(client):
    _organisations(2)
    page = client.get("/directory/").content.decode()
    assert "<svg" not in page
    assert 'href="?map=1">Show on a world map</a>' in page


def test_each_country_with_organisations_links_to_the_filtered_list_with_its_count(client):
    for country in ("AT", "AT", "FR"):
        factories.OrganisationFactory(country=country, kind="ngo")
    factories.OrganisationFactory(country="DE", kind="municipality")
    page = client.get("/directory/?map=1&kind=ngo").content.decode()
    svg = re.search(r"<svg class=\"world-map\".*?</svg>", page, re.S).group(0)
    found = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    links = {unescape(label): unescape(href) for href, label in found}
    assert links == {"Austria: 2 organisations": "?map=1&kind=ngo&country=AT",
                     "France: 1 organisation": "?map=1&kind=ngo&country=FR"}, "Germany has no NGO: no link"
    assert svg.count("<path") > 150, "every country is drawn"
    assert 'class="map-level-2"' in svg and 'class="map-level-1"' in svg
    # the table alternative gives the same counts, biggest first
    rows = re.findall(r'<tr><td><a href="([^"]+)">([^<]+)</a></td><td class="number">(\d+)</td></tr>', page)
    assert [(name, count) for _href, name, count in rows] == [("Austria", "2"), ("France", "1")]
    # following a country's link filters the list and keeps the map
    filtered = client.get("/directory/" + links["Austria: 2 organisations"]).content.decode()
    assert filtered.count('class="list-title"') == 2
    assert '<input type="hidden" name="map" value="1">' in filtered


def test_the_practices_map_counts_published_practices_only(client):
    make_practice(status="published", country="AT")
    make_practice(status="draft", country="PT")
    page = client.get("/practices/?map=1").content.decode()
    assert 'aria-label="Austria: 1 practice"' in page
    assert "Portugal" not in re.search(r"<svg.*?</svg>", page, re.S).group(0)


def test_a_small_country_is_a_dot_that_still_links(client):
    factories.OrganisationFactory(country="MT")
    page = client.get("/directory/?map=1").content.decode()
    assert re.search(r'aria-label="Malta: 1 organisation"><title>Malta: 1 organisation</title>'
                     r'<circle class="map-level-1 map-dot"', page)


def test_a_hostile_filter_value_cannot_break_out_of_the_map(client):
    factories.OrganisationFactory(country="AT")
    page = client.get('/directory/?map=1&q="><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("url", ["/directory/?map=1", "/practices/?map=1&area=socio-economic"])
def test_the_map_costs_no_query_per_country(client, url):
    add = _organisations if url.startswith("/directory/") else _practices
    assert_queries_do_not_grow(client, url, add)
