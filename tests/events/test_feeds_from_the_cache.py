"""The iCal feeds come from the cache while nothing they show changed (events/feeds.py): a conditional GET is
answered from the cached validators and a full GET from the cached body, without a query; every write a feed
shows is in the next one, per language for the public feed and per member for the personal one."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from events import feeds, services
from events.models import Event
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

FEED = reverse("events:feed")


def _get(url: str, **headers):
    response = Client().get(url, headers=headers)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


def _summaries(response) -> set[str]:
    return {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture(params=["small", "large"])
def body_size(request, monkeypatch):
    """Feeds kept with their validators (a member's), or apart and in the process's memory (the public one)."""
    if request.param == "large":
        monkeypatch.setattr(feeds, "LARGE_BODY_BYTES", 0)
    return request.param


@pytest.fixture
def event():
    organisation = factories.OrganisationFactory(name="Welcome Bridges")
    return make_event(organiser=organiser_for(organisation), title="Roundtable on housing")


def _organiser(event: Event):
    return event.organisations.first().memberships.get(role="organiser").user


@pytest.fixture
def subscriber(event):
    """A member registered for `event`, with a personal feed."""
    member = factories.UserFactory(full_name="Amina Haddad")
    services.register_for_event(user=member, event=event)
    return member, services.regenerate_feed_token(user=member).get_absolute_url()


@pytest.mark.parametrize("url", ["public", "personal"])
def test_an_unchanged_feed_is_answered_without_a_query_and_its_validators_with_304(url, subscriber, body_size,
                                                                                django_assert_num_queries):
    url = FEED if url == "public" else subscriber[1]
    first = _get(url)
    with django_assert_num_queries(0):
        again = _get(url)
        assert again.content == first.content and again["ETag"] == first["ETag"]
        assert Client().get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
        assert Client().get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


def test_an_edited_event_shows_in_the_next_public_feed_in_each_language(event, body_size):
    etags = {language: _get(FEED, accept_language=language)["ETag"] for language in ("en", "fr")}
    assert "Événements Crossroads" in _get(FEED, accept_language="fr").content.decode()
    services.update_event(actor=_organiser(event), event=event, title="Roundtable on housing, moved online")
    for language, etag in etags.items():
        response = Client().get(FEED, headers={"accept-language": language, "if-none-match": etag})
        assert response.status_code == 200 and response["ETag"] != etag, language
        assert _summaries(response) == {"Roundtable on housing, moved online"}, language
        again = _get(FEED, accept_language=language)  # from the cache now
        assert again["ETag"] == response["ETag"] and again.content == response.content, language


def test_a_new_and_a_cancelled_event_show_in_the_next_public_feed(event):
    _get(FEED)
    make_event(organiser=_organiser(event), title="Webinar on schools")
    assert _summaries(_get(FEED)) == {"Roundtable on housing", "Webinar on schools"}
    services.cancel_event(actor=_organiser(event), event=event, reason="Venue closed")
    vevents = icalendar.Calendar.from_ical(_get(FEED).content).walk("VEVENT")
    assert {str(v["SUMMARY"]): str(v["STATUS"]) for v in vevents}["Roundtable on housing"] == "CANCELLED"


def test_a_renamed_organisation_shows_in_the_next_public_feed(event):
    assert "Welcome Bridges" in _get(FEED).content.decode()
    organisation = event.organisations.first()
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    accounts_services.update_organisation(actor=admin, organisation=organisation, name="Open Doors")
    assert "Open Doors" in _get(FEED).content.decode()


def test_each_filter_has_its_own_feed_and_the_text_query_is_not_a_filter(event):
    make_event(organiser=_organiser(event), title="Webinar on schools", kind=Event.Kind.WEBINAR)
    assert _summaries(_get(FEED)) == {"Roundtable on housing", "Webinar on schools"}
    assert _summaries(_get(FEED + "?kind=webinar")) == {"Webinar on schools"}
    assert _summaries(_get(FEED + "?kind=roundtable&q=schools")) == {"Roundtable on housing"}
    assert _summaries(_get(FEED + "?kind=nonsense")) == {"Roundtable on housing", "Webinar on schools"}


def test_a_write_that_leaves_the_feed_the_same_still_answers_304_to_its_etag(event):
    etag = _get(FEED)["ETag"]
    services.register_for_event(user=factories.UserFactory(), event=event)  # seats change; the feed shows none
    assert Client().get(FEED, headers={"if-none-match": etag}).status_code == 304


def test_a_registration_and_its_cancellation_show_in_the_members_next_feed(event, subscriber, body_size):
    member, url = subscriber
    assert _summaries(_get(url)) == {"Roundtable on housing"}
    other = make_event(organiser=_organiser(event), title="Webinar on schools")
    services.register_for_event(user=member, event=other)
    assert _summaries(_get(url)) == {"Roundtable on housing", "Webinar on schools"}
    services.cancel_registration(user=member, event=event)
    assert _summaries(_get(url)) == {"Webinar on schools"}


def test_a_seat_approved_by_the_organisers_shows_in_the_members_next_feed(event):
    services.update_event(actor=_organiser(event), event=event, requires_approval=True)
    member = factories.UserFactory()
    registration = services.register_for_event(user=member, event=event)
    url = services.regenerate_feed_token(user=member).get_absolute_url()
    assert _summaries(_get(url)) == {"[Pending approval] Roundtable on housing"}
    services.approve_registration(actor=_organiser(event), event=event, registration_id=registration.pk)
    assert _summaries(_get(url)) == {"Roundtable on housing"}


def test_an_edited_event_shows_in_its_registrants_next_feed(event, subscriber):
    _get(subscriber[1])
    services.update_event(actor=_organiser(event), event=event, title="Roundtable on housing, moved online")
    assert _summaries(_get(subscriber[1])) == {"Roundtable on housing, moved online"}


def test_the_members_name_and_language_show_in_their_next_feed(subscriber):
    member, url = subscriber
    assert "Amina Haddad" in _get(url).content.decode()
    accounts_services.update_profile(user=member, full_name="Amina Haddad-Rossi")
    assert "Amina Haddad-Rossi" in _get(url).content.decode()
    accounts_services.set_language(user=member, language="fr")
    assert "Détails et inscription" in _get(url).content.decode()


def test_a_revoked_or_replaced_address_answers_404_at_once(subscriber):
    member, url = subscriber
    _get(url)
    new_url = services.regenerate_feed_token(user=member).get_absolute_url()
    assert Client().get(url).status_code == 404
    _get(new_url)
    services.revoke_feed_token(user=member)
    assert Client().get(new_url).status_code == 404
    assert Client().get(new_url, headers={"if-none-match": "*"}).status_code == 404


def test_one_members_feed_is_never_served_for_another(event, subscriber):
    other = factories.UserFactory(full_name="Boris Petrov")
    other_url = services.regenerate_feed_token(user=other).get_absolute_url()
    assert "Amina Haddad" in _get(subscriber[1]).content.decode()
    response = _get(other_url)
    assert "Boris Petrov" in response.content.decode() and _summaries(response) == set()
