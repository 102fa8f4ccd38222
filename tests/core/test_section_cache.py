"""Members' pages take the cross-app sections from the cache (core/fragments.py, {% page_sections %}): an edit
shows on the next request in every language, and no member sees another's block."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import services as directory_services
from events import services as events_services
from events.models import Event
from expertise import services as expertise_services
from forums import services as forum_services
from tests import factories
from tests.directory.factories import make_practice
from tests.events.factories import make_event
from tests.expertise.factories import make_request
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


def _page(client: Client, url: str, language: str = "en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def _seen(client: Client, url: str, text: str) -> bool:
    """On the page in English and French, each asked twice so the second answer comes from the cache."""
    return all(text in _page(client, url, language) for language in ("en", "fr") for _ in range(2))


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Welcome Bridges")


@pytest.fixture
def admin_(organisation):
    user = factories.UserFactory(full_name="Amina Haddad")
    factories.MembershipFactory(user=user, organisation=organisation, role="admin")
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_a_members_second_visit_takes_the_sections_from_the_cache(member_client, organisation, admin_):
    make_event(organisation=organisation, title="Roundtable on housing")
    make_practice(author=admin_, organisation=organisation, status="published", title="Co-housing in Utrecht")
    forum.topic(title="Flats for newcomers")
    url = reverse("core:home")
    with CaptureQueriesContext(connection) as fresh:
        first = _page(member_client, url)
    with CaptureQueriesContext(connection) as cached:
        second = _page(member_client, url)
    assert _main(second) == _main(first)
    assert "Roundtable on housing" in second and "Co-housing in Utrecht" in second and "Flats for newcomers" in second
    assert len(cached) < len(fresh) - 5, f"{len(fresh)} queries fresh, {len(cached)} with the sections cached"


def test_an_edited_event_shows_at_once_on_members_home_and_organisation_pages(member_client, organisation):
    event = make_event(organisation=organisation, title="Roundtable on housing")
    urls = [reverse("core:home"), organisation.get_absolute_url()]
    for url in urls:
        _page(member_client, url), _page(member_client, url, "fr")
    organiser = event.organisations.first().memberships.get(role="organiser").user
    events_services.update_event(actor=organiser, event=event, title="Roundtable on housing, moved online")
    for url in urls:
        assert _seen(member_client, url, "moved online"), url


def test_a_members_only_event_is_listed_to_members_and_never_to_visitors(member_client, organisation):
    make_event(organisation=organisation, title="Closed roundtable", visibility=Event.Visibility.MEMBERS)
    assert "Closed roundtable" in _page(member_client, reverse("core:home"))
    assert "Closed roundtable" not in _page(Client(), reverse("core:home"))


def test_a_new_practice_shows_at_once_on_home_and_its_organisations_page(member_client, organisation, admin_):
    urls = [reverse("core:home"), organisation.get_absolute_url()]
    for url in urls:
        _page(member_client, url), _page(member_client, url, "fr")
    make_practice(author=admin_, organisation=organisation, status="published", title="Language buddies in Ghent")
    for url in urls:
        assert _seen(member_client, url, "Language buddies in Ghent"), url


def test_a_draft_on_the_organisation_page_is_shown_to_its_admin_only(client, organisation, admin_, member):
    make_practice(author=admin_, organisation=organisation, status="draft", title="A draft not yet submitted")
    client.force_login(admin_)
    assert "A draft not yet submitted" in _page(client, organisation.get_absolute_url())
    other = Client()
    other.force_login(member)
    assert "A draft not yet submitted" not in _page(other, organisation.get_absolute_url())
    assert "A draft not yet submitted" not in _page(Client(), organisation.get_absolute_url())


def test_a_reply_and_a_read_show_at_once_in_the_members_active_topics(member_client, member):
    topic = forum.topic(title="Flats for newcomers")
    home = reverse("core:home")
    _page(member_client, home), _page(member_client, home, "fr")
    forum.reply(topic=topic, body="We work with a social letting agency.")
    assert _seen(member_client, home, reverse("forums:first-unread", args=[topic.pk]))  # "new" for this member
    _page(member_client, topic.get_absolute_url())  # read it
    for language in ("en", "fr"):
        assert reverse("forums:first-unread", args=[topic.pk]) not in _page(member_client, home, language)


def test_one_members_read_marks_are_not_shown_to_another(client, member, outsider):
    topic = forum.topic(title="Flats for newcomers")
    forum.reply(topic=topic, body="We work with a social letting agency.")
    client.force_login(member)
    _page(client, topic.get_absolute_url())  # read by member
    assert reverse("forums:first-unread", args=[topic.pk]) not in _page(client, reverse("core:home"))
    other = Client()
    other.force_login(outsider)
    assert reverse("forums:first-unread", args=[topic.pk]) in _page(other, reverse("core:home"))


def test_the_dashboards_own_sections_follow_the_members_writes(member_client, member):
    dashboard = reverse("accounts:dashboard")
    _page(member_client, dashboard), _page(member_client, dashboard, "fr")
    practice = make_practice(author=member, title="My own draft practice")
    assert _seen(member_client, dashboard, "My own draft practice")
    directory_services.update_practice(actor=member, practice=practice, title="My renamed draft practice")
    assert _seen(member_client, dashboard, "My renamed draft practice")
    topic = forum.topic(title="A topic I will watch")
    forum_services.set_watching(user=member, watching=True, topic=topic)
    assert _seen(member_client, dashboard, "A topic I will watch")


def test_an_organisations_requests_for_support_show_at_once(member_client, organisation, admin_):
    url = organisation.get_absolute_url()
    _page(member_client, url), _page(member_client, url, "fr")
    support = make_request(author=admin_, organisation=organisation, title="Peer review of our strategy")
    assert _seen(member_client, url, "Peer review of our strategy")
    expertise_services.update_request(actor=admin_, request=support, title="Peer review of our national strategy")
    assert _seen(member_client, url, "national strategy")


def test_a_block_with_a_form_is_never_shared_so_each_member_posts_with_their_own_token(member, outsider, admin_,
                                                                                       organisation):
    practice = make_practice(author=admin_, organisation=organisation, status="published", title="Co-housing")
    for user in (member, outsider):  # "Start a discussion" is a form: each member's page carries their own token
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(practice.get_absolute_url())
        token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        answer = browser.post(reverse("forums:discuss", args=["practice", practice.slug]),
                              {"csrfmiddlewaretoken": token})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"


# --- Cards: list rows kept per object, language and time zone ({% card %}, core/templatetags/cards.py) -------------


def test_an_edited_event_shows_at_once_in_the_members_event_list(member_client, organisation):
    event = make_event(organisation=organisation, title="Roundtable on housing")
    url = reverse("events:list")
    _page(member_client, url), _page(member_client, url, "fr")
    organiser = event.organisations.first().memberships.get(role="organiser").user
    events_services.update_event(actor=organiser, event=event, title="Roundtable on housing, moved online")
    assert _seen(member_client, url, "moved online")


def test_event_rows_follow_each_members_time_zone(client, organisation):
    make_event(organisation=organisation, title="Roundtable on housing")
    tokyo, lima = factories.UserFactory(timezone="Asia/Tokyo"), factories.UserFactory(timezone="America/Lima")
    rows = {}
    for user in (tokyo, lima):
        browser = Client()
        browser.force_login(user)
        _page(browser, reverse("events:list"))
        rows[user.timezone] = _main(_page(browser, reverse("events:list")))
    assert rows["Asia/Tokyo"] != rows["America/Lima"]


def test_an_organisations_member_list_follows_approvals_and_profile_choices(member_client, organisation, admin_):
    from accounts import services as accounts_services
    from accounts.models import User

    url = organisation.get_absolute_url()
    hidden = factories.UserFactory(full_name="Hedda Hidden", profile_visibility=User.Visibility.MEMBERS)
    factories.MembershipFactory(user=hidden, organisation=organisation)
    assert "Hedda Hidden" in _page(member_client, url) and "Hedda Hidden" in _page(member_client, url, "fr")
    assert "Hedda Hidden" not in _page(Client(), url)
    newcomer = factories.UserFactory(full_name="Nora Newcomer")
    membership = accounts_services.request_membership(user=newcomer, organisation=organisation)
    assert "Nora Newcomer" not in _page(member_client, url)
    accounts_services.approve_membership(actor=admin_, organisation=organisation, membership_id=membership.pk)
    assert _seen(member_client, url, "Nora Newcomer")
    accounts_services.update_profile(user=newcomer, full_name="Nora Newcomer-Berg")
    assert _seen(member_client, url, "Nora Newcomer-Berg")


def test_the_dashboards_events_follow_registrations_and_its_calendar_forms_take_the_members_token(member,
                                                                                                     organisation):
    event = make_event(organisation=organisation, title="Roundtable on housing")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    dashboard = reverse("accounts:dashboard")
    _page(browser, dashboard), _page(browser, dashboard, "fr")
    events_services.register_for_event(user=member, event=event)
    assert _seen(browser, dashboard, "Roundtable on housing")
    page = _page(browser, dashboard)
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = browser.post(reverse("events:feed-token"), {"csrfmiddlewaretoken": token, "action": "regenerate"})
    assert answer.status_code == 302
    assert "webcal://" in _page(browser, dashboard)


def test_an_organisers_new_name_shows_at_once_in_the_event_lists_rows(member_client, organisation, admin_):
    from accounts import services as accounts_services

    make_event(organisation=organisation, title="Roundtable on housing")
    url = reverse("events:list")
    _page(member_client, url), _page(member_client, url, "fr")
    accounts_services.update_organisation(actor=admin_, organisation=organisation, name="Welcome Bridges Network")
    assert _seen(member_client, url, "Welcome Bridges Network")


def test_the_event_filters_are_kept_per_query_and_language_and_follow_the_taxonomy(member_client, member):
    from accounts import services as accounts_services
    from core import versions
    from core.models import PolicyArea

    url = reverse("events:list")
    assert 'value="webinar" selected' in _page(member_client, url + "?kind=webinar")
    assert 'value="webinar" selected' not in _page(member_client, url + "?kind=roundtable")
    assert "Any policy area" in _page(member_client, url)
    accounts_services.set_language(user=member, language="fr")  # a member's pages are in their own language
    assert "Any policy area" not in _page(member_client, url)
    accounts_services.set_language(user=member, language="en")
    PolicyArea.objects.create(code="digital", name="Digital inclusion", position=9)
    versions.bump("core.taxonomy")  # as the admin does (core.admin.BumpsVersionsAdmin)
    assert _seen(member_client, url, "Digital inclusion")
