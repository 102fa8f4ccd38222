"""The site's URL patterns are resolved once per path and process (core/routing.py)."""

import pytest
from django.urls import Resolver404, get_resolver, resolve, reverse

from config.urls import urlpatterns
from core import routing


@pytest.fixture
def remembering():
    resolver = urlpatterns[0]
    assert isinstance(resolver, routing.RememberingResolver)
    resolver.remembered.clear()
    yield resolver
    resolver.remembered.clear()


def test_a_path_resolved_again_is_not_walked_through_the_patterns_again(remembering, monkeypatch):
    path = reverse("events:detail", args=["some-event"]).removeprefix("/")
    first = remembering.resolve(path)
    walked = []
    # Django's own resolving, which walks the patterns, is not asked again.
    monkeypatch.setattr(routing.URLResolver, "resolve", lambda self, p: walked.append(p))
    again = remembering.resolve(path)
    assert walked == []
    assert (again.func, again.args, again.kwargs, again.url_name, again.namespaces) == \
        (first.func, first.args, first.kwargs, first.url_name, first.namespaces)
    assert again.kwargs == {"slug": "some-event"} and again.url_name == "detail"


def test_each_request_gets_its_own_arguments(remembering):
    path = reverse("events:detail", args=["some-event"])
    resolve(path).kwargs["slug"] = "changed by a view"
    assert resolve(path).kwargs == {"slug": "some-event"}


def test_a_path_is_kept_per_language(remembering):
    from django.utils import translation

    path = reverse("core:home")
    with translation.override("fr"):
        resolve(path)
    resolve(path)
    assert {language for _path, language in remembering.remembered} >= {"fr", "en"}


def test_a_path_nothing_matches_is_not_kept_and_stays_a_404(remembering):
    for _ in range(2):
        with pytest.raises(Resolver404):
            get_resolver().resolve("/no/such/page/anywhere/")
    assert not any(path.startswith("no/such") for path, _language in remembering.remembered)


def test_the_table_is_bounded(remembering, monkeypatch):
    monkeypatch.setattr(routing, "LIMIT", 3)
    for number in range(5):
        resolve(reverse("events:detail", args=[f"event-{number}"]))
    assert len(remembering.remembered) <= 3


def test_a_long_path_is_resolved_but_not_kept(remembering):
    path = reverse("events:detail", args=["e" * routing.LONGEST])
    assert resolve(path).kwargs == {"slug": "e" * routing.LONGEST}
    assert not remembering.remembered


def test_a_remembered_page_is_served_as_before(client, remembering):
    assert client.get(reverse("core:health")).status_code == 200
    assert client.get(reverse("core:health")).json() == {"status": "ok"}
    assert client.get("/no/such/page/anywhere/").status_code == 404
