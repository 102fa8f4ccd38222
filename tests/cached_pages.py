"""What the tests of members' cached pages share: a page asked in a language the way its reader asks for it, and
a browser that logs a member in and checks CSRF as a real one does."""

from django.test import Client

from accounts import services as accounts_services


def page(client: Client, url: str, language: str = "en") -> str:
    """The page in `language`: a visitor's by Accept-Language, a member's by their own choice of language."""
    if getattr(client, "member", None) is not None:
        accounts_services.set_language(user=client.member, language=language)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def seen(client: Client, url: str, text: str) -> bool:
    """On the page in English and French, each asked twice so the second answer comes from the cache."""
    return all(text in page(client, url, language) for language in ("en", "fr") for _ in range(2))


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.member = user
    return client
