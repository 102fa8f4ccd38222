"""A member's event page keeps its shared parts as cards (templates/events/detail.html): the event's head, its
description, timetable and speakers, its documents. An edit shows on the next request in every language, a
member's own plan and forms are never shown to another, and a kept form posts with each member's own token."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from core.models import PolicyArea
from events import services
from tests import factories
from tests.cached_pages import browser as _browser
from tests.cached_pages import page as _page
from tests.cached_pages import seen as _seen
from tests.directory.factories import pdf_upload
from tests.events.factories import make_event, organiser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

PLAN_FORM = '<input type="hidden" name="plan" value="yes">'  # "I plan to attend", in any language
IN_MY_PLAN = 'aria-pressed="true"'


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Welcome Bridges")


@pytest.fixture
def organiser(organisation):
    return organiser_for(organisation, full_name="Olga Organiser")


@pytest.fixture
def event(organiser, organisation):
    return make_event(organiser=organiser, organisation=organisation, title="Roundtable on housing", hours=4)


def test_an_edit_of_the_event_shows_at_once_on_a_members_event_page(member, organiser, event):
    browser, url = _browser(member), event.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    area = PolicyArea.objects.create(code="cultural-x", name="Intercultural dialogue")
    services.update_event(actor=organiser, event=event, summary="Now with a site visit.",
                          description="Bring **your** questions.", policy_areas=[area])
    assert _seen(browser, url, "Now with a site visit.")
    assert _seen(browser, url, "<strong>your</strong> questions")
    assert _seen(browser, url, "Intercultural dialogue")


def test_speakers_sessions_and_documents_show_at_once(member, organiser, event):
    browser, url = _browser(member), event.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    speaker = services.add_speaker(actor=organiser, event=event, name="Amina Haddad")
    assert _seen(browser, url, "Amina Haddad")
    services.add_programme_item(actor=organiser, event=event, starts_at=event.starts_at, title="Opening circle",
                                speakers=[speaker])
    assert _seen(browser, url, "Opening circle")
    services.add_attachment(actor=organiser, event=event, kind="programme", title="Agenda of the day",
                            upload=pdf_upload())
    assert _seen(browser, url, "Agenda of the day")


def test_the_organising_organisations_new_name_shows_at_once(member, organisation, event):
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    browser, url = _browser(member), event.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    accounts_services.update_organisation(actor=admin, organisation=organisation, name="Welcome Bridges Network")
    assert _seen(browser, url, "Welcome Bridges Network")


def test_a_members_plan_is_theirs_and_their_kept_forms_post_with_their_own_token(member, organiser, event):
    item = services.add_programme_item(actor=organiser, event=event, starts_at=event.starts_at + timedelta(hours=1),
                                       title="Housing clinic")
    other = factories.UserFactory()
    for user in (member, other):
        services.register_for_event(user=user, event=event)
    url = event.get_absolute_url()
    for user in (member, other):  # each page (the second from the cache) plans with its own session's token
        browser = _browser(user)
        _page(browser, url)
        page = _page(browser, url)
        assert PLAN_FORM in page
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        answer = browser.post(reverse("events:session-plan", args=[event.slug, item.pk]),
                              {"csrfmiddlewaretoken": token, "plan": "yes"})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"
        if user == member:
            assert _seen(browser, url, IN_MY_PLAN)
    # The organiser sees how many plan each session; members do not.
    organisers_page = _browser(organiser)
    assert all("2 plan to attend" in _page(organisers_page, url) for _ in range(2))
    visitor_page = _page(Client(), url)
    assert "plan to attend" not in visitor_page and IN_MY_PLAN not in visitor_page


def test_another_member_does_not_see_a_registrants_plan_or_forms(member, organiser, event):
    services.add_programme_item(actor=organiser, event=event, starts_at=event.starts_at, title="Housing clinic")
    services.register_for_event(user=member, event=event)
    url = event.get_absolute_url()
    assert _seen(_browser(member), url, PLAN_FORM)
    outsider = _browser(factories.UserFactory())
    assert not any(PLAN_FORM in _page(outsider, url, language) for language in ("en", "fr"))
    assert "Housing clinic" in _page(outsider, url)
