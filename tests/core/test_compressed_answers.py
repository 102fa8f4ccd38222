"""Visitors' cached pages and the iCal feeds are kept gzip-compressed as well as plain (core/compression.py): a
client that accepts gzip gets the compressed bytes, one that does not the plain ones, with the same content in
every language; an edit shows in both at once; 304s and HEAD work for both; members' pages stay plain."""

import gzip

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from core import compression
from events import feeds, services
from tests.events.factories import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

BROWSER = "gzip, deflate, br"
LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh-hans"]
EVENTS = reverse("events:list")
FEED = reverse("events:feed")


def _get(url: str, encoding: str | None, language: str = "en", **headers):
    if encoding is not None:
        headers["accept-encoding"] = encoding
    return Client().get(url, headers={"accept-language": language, **headers})


def _content(response) -> bytes:
    """The body as the client reads it, after decompression."""
    assert response.status_code == 200
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    assert "Content-Encoding" not in response
    return response.content


@pytest.fixture
def event():
    return make_event(title="Roundtable on housing")


def _organiser(event):
    return event.organisations.first().memberships.get(role="organiser").user


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url", [EVENTS, FEED])
def test_a_visitor_gets_the_same_content_with_and_without_gzip_in_each_language(event, url, language):
    plain_first = _get(url, None, language)  # built by this request, then kept
    for _ in range(2):  # the second from the cache
        compressed = _get(url, BROWSER, language)
        plain = _get(url, None, language)
        assert compressed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
        assert _content(compressed) == _content(plain) == _content(plain_first)
        assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
        assert int(plain["Content-Length"]) == len(plain.content)
        assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
    if url == FEED:
        assert compressed["ETag"] == compression.encoded_etag(plain["ETag"]) != plain["ETag"]
        assert "Roundtable on housing" in str(icalendar.Calendar.from_ical(_content(compressed)).walk("VEVENT")[0]
                                             ["SUMMARY"])
    else:
        assert "Roundtable on housing" in _content(compressed).decode()


@pytest.mark.parametrize("encoding", ["", "identity", "gzip;q=0", "br", "*;q=0, br"])
def test_a_client_that_does_not_accept_gzip_gets_plain_bytes(event, encoding):
    for url in (EVENTS, FEED, EVENTS, FEED):
        response = _get(url, encoding)
        assert "Content-Encoding" not in response and response.status_code == 200


@pytest.mark.parametrize("encoding", ["gzip", "GZIP;q=0.5", "deflate, gzip", "*", "x-gzip"])
def test_every_way_of_accepting_gzip_gets_the_compressed_bytes(event, encoding):
    for url in (EVENTS, FEED, EVENTS, FEED):
        assert _get(url, encoding)["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", [EVENTS, FEED])
def test_an_edit_shows_on_the_next_request_in_both_variants(event, url):
    for encoding in (BROWSER, None):
        assert b"Roundtable on housing" in _content(_get(url, encoding))
    services.update_event(actor=_organiser(event), event=event, title="Roundtable on shelter")
    for encoding in (BROWSER, None, BROWSER, None):
        body = _content(_get(url, encoding))
        assert b"Roundtable on shelter" in body and b"Roundtable on housing" not in body


@pytest.fixture(params=["small", "large"])
def body_size(request, monkeypatch):
    if request.param == "large":
        monkeypatch.setattr(feeds, "LARGE_BODY_BYTES", 0)
    return request.param


def test_the_feed_answers_304_to_each_variants_etag_and_200_to_the_other(event, body_size):
    compressed, plain = _get(FEED, BROWSER), _get(FEED, None)
    for encoding, etag in ((BROWSER, compressed["ETag"]), (None, plain["ETag"])):
        assert _get(FEED, encoding, if_none_match=etag).status_code == 304
    assert _get(FEED, BROWSER, if_none_match=plain["ETag"]).status_code == 200
    assert _get(FEED, None, if_none_match=compressed["ETag"]).status_code == 200
    services.update_event(actor=_organiser(event), event=event, title="Roundtable on shelter")
    assert _get(FEED, BROWSER, if_none_match=compressed["ETag"]).status_code == 200
    assert _get(FEED, None, if_none_match=plain["ETag"]).status_code == 200


def test_a_personal_feed_is_compressed_too(event):
    from tests import factories

    member = factories.UserFactory()
    services.register_for_event(user=member, event=event)
    url = services.regenerate_feed_token(user=member).get_absolute_url()
    compressed, plain = _get(url, BROWSER), _get(url, None)
    assert _content(compressed) == _content(plain) and b"Roundtable on housing" in _content(plain)
    assert compressed["Cache-Control"] == plain["Cache-Control"] == "private, max-age=300"


@pytest.mark.parametrize("url", [EVENTS, FEED])
def test_head_gives_the_variants_headers(event, url):
    for encoding in (BROWSER, None):
        got = _get(url, encoding)
        head = Client().head(url, headers={"accept-encoding": encoding} if encoding else {})
        assert head.status_code == 200 and head.content == b""
        assert head.get("Content-Encoding") == got.get("Content-Encoding")
        assert head["Content-Type"] == got["Content-Type"]


def test_a_members_page_stays_plain(event, member):
    client = Client()
    client.force_login(member)
    for _ in range(2):
        response = client.get(EVENTS, headers={"accept-encoding": BROWSER})
        assert response.status_code == 200 and "Content-Encoding" not in response
        assert b"Roundtable on housing" in response.content
