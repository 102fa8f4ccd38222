"""Visitors' public pages come whole from the cache while nothing they show changed (core/pagecache.py), and
never carry one visitor's state to another."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as accounts_services
from core.pagecache import HIT_HEADER
from directory import services as directory_services
from events import services as events_services
from expertise import services as expertise_services
from forums import services as forum_services
from tests import factories
from tests.directory.factories import make_practice, make_resource
from tests.events.factories import make_event
from tests.expertise.factories import make_request
from tests.forums import factories as forum

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


def _get(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


@pytest.fixture
def content(db):
    """One of each public thing, made through the services."""
    organisation = factories.OrganisationFactory(name="Welcome Bridges")
    author = factories.UserFactory(full_name="Amina Haddad")
    factories.MembershipFactory(user=author, organisation=organisation, role="admin")
    category = forum.category(name="Housing", slug="housing")
    topic = forum.topic(author=author, category_=category, title="Flats for newcomers")
    return {
        "organisation": organisation, "author": author, "category": category, "topic": topic,
        "practice": make_practice(author=author, organisation=organisation, status="published",
                                  title="Co-housing in Utrecht"),
        "resource": make_resource(actor=author, publisher=organisation, title="Welcome guide"),
        "event": make_event(organisation=organisation, title="Roundtable on housing"),
        "request": make_request(author=author, organisation=organisation, visibility="public",
                                title="Peer review of our strategy"),
    }


def _public_urls(content) -> list[str]:
    return [
        reverse("core:home"),
        reverse("core:page-about"),
        reverse("directory:organisations"),
        reverse("directory:practices"),
        content["practice"].get_absolute_url(),
        reverse("directory:resources"),
        content["resource"].get_absolute_url(),
        reverse("directory:search") + "?q=housing",
        reverse("events:list"),
        reverse("events:calendar"),
        content["event"].get_absolute_url(),
        reverse("forums:categories"),
        content["category"].get_absolute_url(),
        content["topic"].get_absolute_url(),
        content["organisation"].get_absolute_url(),
        reverse("expertise:list"),
        content["request"].get_absolute_url(),
    ]


def test_every_public_page_is_served_to_the_next_visitor_from_the_cache_without_a_query(client, content):
    for url in _public_urls(content):
        first = _get(client, url)
        assert first[HIT_HEADER] == "miss", f"{url} was not stored (a cookie, a CSRF token or the session?)"
        with CaptureQueriesContext(connection) as queries:
            second = _get(Client(), url)
        assert second[HIT_HEADER] == "hit", url
        assert second.content == first.content, url
        assert len(queries) == 0, f"{url} queried the database when served from the cache"


def test_a_cached_page_carries_no_cookie_and_no_csrf_token_and_keeps_its_vary_headers(client, content):
    url = content["event"].get_absolute_url()
    first = _get(client, url)
    second = _get(Client(), url)
    for response in (first, second):
        assert not response.cookies
        assert b"csrfmiddlewaretoken" not in response.content and b"X-CSRFToken" not in response.content
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"cookie", "accept-language"} <= vary
        assert response["Content-Language"] == "en"
    assert second[HIT_HEADER] == "hit"


def test_each_language_has_its_own_copy(client, content):
    url = reverse("directory:practices")
    english = _get(client, url, HTTP_ACCEPT_LANGUAGE="en")
    french = _get(Client(), url, HTTP_ACCEPT_LANGUAGE="fr")
    assert french[HIT_HEADER] == "miss"
    assert b'<html lang="fr"' in french.content and b'<html lang="en"' in english.content
    again = _get(Client(), url, HTTP_ACCEPT_LANGUAGE="fr")
    assert again[HIT_HEADER] == "hit" and b'<html lang="fr"' in again.content


def test_each_visitor_time_zone_has_its_own_copy(content):
    url = content["event"].get_absolute_url()
    tokyo, lima = Client(), Client()
    tokyo.cookies["tz"], lima.cookies["tz"] = "Asia/Tokyo", "America/Lima"
    in_tokyo = _get(tokyo, url)
    in_lima = _get(lima, url)
    assert in_lima[HIT_HEADER] == "miss"
    assert in_tokyo.content != in_lima.content


def test_a_visitor_with_a_message_waiting_sees_it_and_nobody_else_does(client, content, member):
    home = reverse("core:home")
    _get(Client(), home)  # cached, without any message
    client.force_login(member)
    client.post(reverse("account_logout"))  # a visitor again, with "You have signed out." waiting
    mine = _get(client, home)
    assert "You have signed out" in mine.content.decode()
    assert mine.get(HIT_HEADER) is None
    assert "You have signed out" not in _get(client, home).content.decode()  # shown once
    theirs = _get(Client(), home)
    assert "You have signed out" not in theirs.content.decode() and theirs[HIT_HEADER] == "hit"


def test_members_are_never_served_a_visitors_page(client, content, member):
    url = content["topic"].get_absolute_url()
    _get(Client(), url)
    client.force_login(member)
    page = _get(client, url)
    assert page.get(HIT_HEADER) is None
    assert member.get_short_name() in page.content.decode()
    assert "X-CSRFToken" in page.content.decode()  # htmx posts of members carry the token


def test_log_in_and_sign_up_pages_are_not_cached(client):
    for url in (reverse("account_login"), reverse("account_signup")):
        response = _get(client, url)
        assert response.get(HIT_HEADER) is None
        assert "csrftoken" in response.cookies


def test_the_cache_can_be_switched_off(client, content, settings):
    settings.CACHE_RENDERED = False
    url = reverse("events:list")
    _get(client, url)
    assert _get(Client(), url).get(HIT_HEADER) is None


# --- Every kind's bump: an edit shows on the next visitor's request, in English and in French ---------------------


def _seen_by_visitors(url: str, text: str) -> bool:
    """Whether `text` is on the visitor's page in both languages; each page is asked twice, so the second answer
    is the cached one."""
    for language in ("en", "fr"):
        for _ in range(2):
            if text not in _get(Client(), url, HTTP_ACCEPT_LANGUAGE=language).content.decode():
                return False
    return True


def _warm(urls: list[str]) -> None:
    for url in urls:
        for language in ("en", "fr"):
            _get(Client(), url, HTTP_ACCEPT_LANGUAGE=language)


def test_an_edited_event_shows_at_once_on_its_page_the_list_and_the_home_page(content):
    event = content["event"]
    urls = [event.get_absolute_url(), reverse("events:list"), reverse("core:home")]
    _warm(urls)
    organiser = event.organisations.first().memberships.get(role="organiser").user
    events_services.update_event(actor=organiser, event=event, title="Roundtable on housing, moved online")
    for url in urls:
        assert _seen_by_visitors(url, "moved online"), url


def test_a_registration_changes_the_seats_visitors_see(content, member):
    event = content["event"]
    organiser = event.organisations.first().memberships.get(role="organiser").user
    events_services.update_event(actor=organiser, event=event, capacity=2)
    url = event.get_absolute_url()
    _warm([url])
    before = _get(Client(), url).content.decode()
    events_services.register_for_event(user=member, event=event)
    after = _get(Client(), url).content.decode()
    assert after != before


def test_an_edited_practice_shows_at_once(content):
    practice, author = content["practice"], content["author"]
    urls = [practice.get_absolute_url(), reverse("directory:practices"), reverse("core:home")]
    _warm(urls)
    directory_services.update_practice(actor=author, practice=practice, title="Co-housing in Utrecht and Gouda")
    for url in urls:
        assert _seen_by_visitors(url, "Utrecht and Gouda"), url


def test_an_edited_resource_shows_at_once(content):
    resource, author = content["resource"], content["author"]
    urls = [resource.get_absolute_url(), reverse("directory:resources")]
    _warm(urls)
    directory_services.update_resource(actor=author, resource=resource, title="Welcome guide, second edition")
    for url in urls:
        assert _seen_by_visitors(url, "second edition"), url


def test_an_edited_organisation_shows_at_once(content):
    organisation, admin = content["organisation"], content["author"]
    urls = [organisation.get_absolute_url(), reverse("directory:organisations"), content["practice"].get_absolute_url()]
    _warm(urls)
    accounts_services.update_organisation(actor=admin, organisation=organisation, name="Welcome Bridges Europe")
    for url in urls:
        assert _seen_by_visitors(url, "Welcome Bridges Europe"), url


def test_a_renamed_member_shows_at_once_on_their_posts(content):
    author, url = content["author"], content["topic"].get_absolute_url()
    _warm([url])
    accounts_services.update_profile(user=author, full_name="Amina Haddad-Rossi")
    assert _seen_by_visitors(url, "Amina Haddad-Rossi")


def test_a_new_avatar_shows_at_once_on_the_members_posts(content, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.accounts.test_pictures import png

    settings.MEDIA_ROOT = tmp_path / "media"
    author, url = content["author"], content["topic"].get_absolute_url()
    _warm([url])
    accounts_services.set_avatar(user=author, upload=SimpleUploadedFile("me.png", png(), content_type="image/png"))
    author.refresh_from_db()
    assert author.avatar and _seen_by_visitors(url, author.avatar)


def test_a_reply_shows_at_once_on_the_topic_its_category_and_the_forum_index(content, member):
    topic = content["topic"]
    urls = [topic.get_absolute_url(), content["category"].get_absolute_url(), reverse("forums:categories")]
    _warm(urls)
    forum_services.reply_to_topic(author=member, topic=topic, body="We found flats through the municipal agency.")
    assert _seen_by_visitors(topic.get_absolute_url(), "through the municipal agency")
    for url in urls[1:]:
        assert _seen_by_visitors(url, member.get_short_name()), url


def test_a_hidden_post_disappears_at_once(content, member, moderator):
    topic = content["topic"]
    post = forum_services.reply_to_topic(author=member, topic=topic, body="Buy cheap watches here.")
    url = topic.get_absolute_url()
    _warm([url])
    forum_services.hide_post(moderator=moderator, post=post, reason="Spam.")
    for language in ("en", "fr"):
        assert "cheap watches" not in _get(Client(), url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_an_edited_request_for_support_shows_at_once(content):
    support, author = content["request"], content["author"]
    urls = [support.get_absolute_url(), reverse("expertise:list")]
    _warm(urls)
    expertise_services.update_request(actor=author, request=support, title="Peer review of our national strategy")
    for url in urls:
        assert _seen_by_visitors(url, "national strategy"), url


def test_an_edited_footer_page_shows_at_once(staff):
    from core import services as core_services
    from core.models import Page

    url = reverse("core:page-about")
    _warm([url])
    page = Page.objects.get(slug="about")
    page.body = "We are the **clearinghouse** of good practices, since 2026."
    core_services.save_page(page=page, actor=staff)
    assert _seen_by_visitors(url, "since 2026")


def test_policy_areas_reordered_in_the_admin_show_at_once(rf, staff):
    from django.contrib import admin

    from core.models import PolicyArea

    url = reverse("core:home")

    def cultural_first(language: str) -> bool:
        page = _get(Client(), url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return page.index("area-cultural") < page.index("area-socio-economic")

    _warm([url])
    assert not cultural_first("en")
    area = PolicyArea.objects.get(code="socio-economic")
    model_admin = admin.site._registry[PolicyArea]
    request = rf.post("/admin/")
    request.user = staff
    form = model_admin.get_form(request, area)(instance=area, data={
        "code": area.code, "name": "Socio-economic integration", "description": "", "position": 99})
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    model_admin.save_related(request, form, [], change=True)
    for language in ("en", "fr"):
        for _ in range(2):
            assert cultural_first(language), language
