"""Which language a page is in: a member's profile language; a visitor's menu choice (a cookie), else the
browser's Accept-Language, else English. The header's language menu switches it, without JavaScript."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.middleware import ChannelsLanguageMiddleware
from tests import factories

pytestmark = pytest.mark.django_db

HOME = "/"


def html_lang_dir(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]*)" dir="([^"]*)">', response.content.decode())
    assert match, "the page has no <html lang dir>"
    return match.group(1), match.group(2)


def menu_token(client: Client) -> str:
    """The CSRF token in the language menu of a member's page, as the browser would send it."""
    page = client.get(HOME).content.decode()
    menu = page[page.index('class="language-menu"'):]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)


# --- Visitors ----------------------------------------------------------------------------------------------

def test_a_visitor_without_a_preference_reads_english(client):
    response = client.get(HOME)
    assert html_lang_dir(response) == ("en", "ltr")
    assert ">Home</a>" in response.content.decode()


def test_a_visitor_whose_browser_asks_for_spanish_gets_spanish(client):
    response = client.get(HOME, headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    page = response.content.decode()
    assert html_lang_dir(response) == ("es", "ltr")
    assert ">Inicio</a>" in page and "Iniciar sesión" in page
    assert ">Home</a>" not in page
    assert "Accept-Language" in response.headers["Vary"]


def test_a_language_the_platform_does_not_offer_falls_back_to_english(client):
    response = client.get(HOME, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert html_lang_dir(response) == ("en", "ltr")


def test_a_browser_asking_for_chinese_gets_simplified_chinese(client):
    response = client.get(HOME, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert html_lang_dir(response)[0] == "zh-hans"


def test_arabic_pages_say_so_and_read_right_to_left(client):
    response = client.get(HOME, headers={"Accept-Language": "ar"})
    assert html_lang_dir(response) == ("ar", "rtl")
    assert ">الرئيسية</a>" in response.content.decode()


def test_the_menu_names_each_language_in_itself_and_marks_the_current_one(client):
    page = client.get(HOME, headers={"Accept-Language": "fr"}).content.decode()
    menu = page[page.index('class="language-menu"'):page.index("</details>")]
    for code, name in settings.LANGUAGES:
        assert f'value="{code}" lang="{code}"' in menu
        assert name in menu
    assert re.search(r'value="fr" lang="fr" aria-current="true">Français<', menu)
    assert menu.count("aria-current") == 1
    assert f'name="next" value="{HOME}"' in menu


def test_a_visitors_page_carries_no_csrf_token_so_it_can_be_cached_whole(client):
    page = client.get(HOME).content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert "X-CSRFToken" not in page


def test_the_menu_switches_a_visitors_language_and_returns_to_the_same_page(client):
    visitor = Client(enforce_csrf_checks=True)  # no token on a visitor's page, and none is needed
    response = visitor.post(reverse("accounts:set-language"), {"language": "fr", "next": "/events/"},
                            headers={"Accept-Language": "es"})
    assert response.status_code == 302 and response.url == "/events/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"

    # The choice beats what the browser asks for, on every page after.
    response = visitor.get(HOME, headers={"Accept-Language": "es"})
    assert html_lang_dir(response) == ("fr", "ltr")
    assert ">Accueil</a>" in response.content.decode()


def test_the_menu_does_not_send_a_visitor_to_another_site(client):
    response = client.post(reverse("accounts:set-language"), {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response.url.startswith("https://evil.example")


def test_the_language_is_reset_after_the_request(client):
    client.get(HOME, headers={"Accept-Language": "ar"})
    assert translation.get_language() == settings.LANGUAGE_CODE


# --- Members -----------------------------------------------------------------------------------------------

def test_a_members_profile_language_wins_over_the_browser_and_the_cookie(client):
    member = factories.UserFactory(language="fr")
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(HOME, headers={"Accept-Language": "es"})
    assert html_lang_dir(response) == ("fr", "ltr")
    assert ">Accueil</a>" in response.content.decode()


def test_the_menu_saves_a_members_language_in_the_profile(client):
    member = factories.UserFactory(language="en")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(reverse("accounts:set-language"),
                            {"language": "ar", "next": "/me/", "csrfmiddlewaretoken": menu_token(browser)})
    assert response.status_code == 302 and response.url == "/me/"
    member.refresh_from_db()
    assert member.language == "ar"
    # Another device, without the cookie, shows the member's pages in Arabic too.
    elsewhere = Client()
    elsewhere.force_login(member)
    assert html_lang_dir(elsewhere.get(HOME)) == ("ar", "rtl")


def test_a_members_menu_post_without_the_csrf_token_is_refused(client):
    member = factories.UserFactory(language="en")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(reverse("accounts:set-language"), {"language": "ar", "next": "/me/"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_language_not_offered_leaves_the_profile_as_it_was(client):
    member = factories.UserFactory(language="es")
    client.force_login(member)
    client.post(reverse("accounts:set-language"), {"language": "de", "next": "/"})
    member.refresh_from_db()
    assert member.language == "es"


def test_a_members_page_carries_the_token_its_forms_need(client):
    client.force_login(factories.UserFactory())
    menu = client.get(HOME).content.decode()
    assert 'name="csrfmiddlewaretoken"' in menu[menu.index('class="language-menu"'):]


# --- API and WebSocket ------------------------------------------------------------------------------------

def test_api_errors_answer_in_the_callers_language(client):
    body = client.get("/api/me/", headers={"Accept-Language": "fr"}).json()
    assert body["error"]["code"] == "not_authenticated"
    with translation.override("fr"):
        from rest_framework.exceptions import NotAuthenticated
        assert body["error"]["message"] == str(NotAuthenticated.default_detail)
    assert body["error"]["message"] != "Authentication credentials were not provided."


async def _language_seen_by_a_consumer(scope: dict) -> str:
    seen = []

    async def consumer(scope, receive, send):
        seen.append(translation.get_language())

    await ChannelsLanguageMiddleware(consumer)(scope, None, None)
    return seen[0]


@pytest.mark.asyncio
async def test_a_websocket_speaks_the_members_language():
    from django.contrib.auth.models import AnonymousUser

    class Member:
        is_authenticated = True
        language = "ru"

    assert await _language_seen_by_a_consumer({"user": Member(), "headers": [(b"accept-language", b"es")]}) == "ru"
    visitor = {"user": AnonymousUser(), "headers": [(b"accept-language", b"es"),
                                                    (b"cookie", f"{settings.LANGUAGE_COOKIE_NAME}=ar".encode())]}
    assert await _language_seen_by_a_consumer(visitor) == "ar"
    assert translation.get_language() == settings.LANGUAGE_CODE


@pytest.mark.urls("tests.core.boom_urls")
def test_the_server_error_page_is_in_the_visitors_language_too():
    failing = Client(raise_request_exception=False)
    response = failing.get("/fail/", headers={"Accept-Language": "ar"})
    assert response.status_code == 500
    assert html_lang_dir(response) == ("ar", "rtl")


def test_choosing_a_language_in_the_profile_form_switches_the_pages_and_outlasts_logging_out(client):
    member = factories.UserFactory(language="en", timezone="Europe/Vienna")
    client.force_login(member)
    response = client.post(reverse("accounts:profile-edit"), {
        "full_name": member.full_name, "job_title": "", "bio": "", "timezone": "Europe/Vienna", "language": "es",
        "profile_visibility": "public", "email_notifications": "each"}, follow=True)
    assert html_lang_dir(response) == ("es", "ltr")
    assert response.redirect_chain and ">Inicio</a>" in response.content.decode()
    client.post(reverse("account_logout"))  # as the header's button does (client.logout() drops every cookie)
    assert not client.get(HOME).wsgi_request.user.is_authenticated
    assert html_lang_dir(client.get(HOME, headers={"Accept-Language": "fr"})) == ("es", "ltr")
