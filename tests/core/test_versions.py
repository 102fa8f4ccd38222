"""Versioned cache keys: a bump of a kind changes every key built from it, and only those."""

import pytest
from django.core.cache import cache

from core import versions


def test_a_key_stays_the_same_until_its_kind_is_bumped(db):
    first = versions.key("facets", kinds=["directory.practice"], parts=[{"area": ["cultural"]}])
    assert versions.key("facets", kinds=["directory.practice"], parts=[{"area": ["cultural"]}]) == first
    versions.bump("directory.practice")
    assert versions.key("facets", kinds=["directory.practice"], parts=[{"area": ["cultural"]}]) != first


def test_a_bump_of_another_kind_or_object_leaves_the_key_alone(db):
    first = versions.key("facets", kinds=["directory.practice", ("accounts.organisation", 7)])
    versions.bump("events.event")
    versions.bump("accounts.organisation", 8)
    assert versions.key("facets", kinds=["directory.practice", ("accounts.organisation", 7)]) == first
    versions.bump("accounts.organisation", 7)
    assert versions.key("facets", kinds=["directory.practice", ("accounts.organisation", 7)]) != first


def test_language_and_parts_give_different_keys(db):
    en = versions.key("facets", kinds=["directory.practice"], lang="en", parts=["q=housing"])
    assert versions.key("facets", kinds=["directory.practice"], lang="fr", parts=["q=housing"]) != en
    assert versions.key("facets", kinds=["directory.practice"], lang="en", parts=["q=logement"]) != en


def test_a_lost_generation_never_comes_back_as_an_old_one(db):
    old = versions.key("facets", kinds=["directory.practice"])
    cache.delete("gen:directory.practice")
    assert versions.key("facets", kinds=["directory.practice"]) != old


def test_a_bump_inside_a_transaction_is_repeated_when_it_commits(db, django_capture_on_commit_callbacks):
    before = versions.generations(["directory.practice"])[0]
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("directory.practice")
        during = versions.generations(["directory.practice"])[0]
    after = versions.generations(["directory.practice"])[0]
    assert before < during < after


def test_a_service_decorated_with_bumps_bumps_only_when_it_succeeds(db):
    @versions.bumps("directory.resource")
    def works() -> None:
        return None

    @versions.bumps("directory.resource")
    def refuses() -> None:
        raise ValueError("refused")

    before = versions.key("list", kinds=["directory.resource"])
    with pytest.raises(ValueError):
        refuses()
    assert versions.key("list", kinds=["directory.resource"]) == before
    works()
    assert versions.key("list", kinds=["directory.resource"]) != before


def test_bumps_of_an_argument_bumps_that_objects_generation(db, member, outsider):
    @versions.bumps("forums.reads", of="user")
    def read(*, user) -> None:
        return None

    mine = versions.key("x", kinds=[("forums.reads", member.pk)])
    theirs = versions.key("x", kinds=[("forums.reads", outsider.pk)])
    read(user=member)
    assert versions.key("x", kinds=[("forums.reads", member.pk)]) != mine
    assert versions.key("x", kinds=[("forums.reads", outsider.pk)]) == theirs


def test_an_unknown_kind_is_refused_where_it_is_named(db):
    with pytest.raises(ValueError, match="Unknown cache kind"):
        versions.bumps("events.events")
    with pytest.raises(ValueError, match="Unknown cache kind"):
        versions.key("facets", kinds=["directory.practices"])


def test_cached_builds_once_until_a_bump(db, rendered_cache):
    built = []

    def build() -> str:
        built.append(1)
        return f"built {len(built)}"

    first = versions.cached(versions.key("x", kinds=["events.event"]), build)
    assert versions.cached(versions.key("x", kinds=["events.event"]), build) == first == "built 1"
    versions.bump("events.event")
    assert versions.cached(versions.key("x", kinds=["events.event"]), build) == "built 2"


def test_a_value_kept_with_its_generations_is_current_until_a_bump(db):
    generations, stored = versions.cached_with_generations("page:x", ["events.event"])
    assert stored is None
    cache.set("page:x", (generations, "the page"))
    again, stored = versions.cached_with_generations("page:x", ["events.event"])
    assert stored == (generations, "the page") and again == generations
    versions.bump("events.event")
    after, stored = versions.cached_with_generations("page:x", ["events.event"])
    assert stored[0] != after


def test_kept_rows_build_only_the_rows_not_kept_and_all_of_them_after_a_bump(db, rendered_cache):
    from core import fragments
    from tests import factories

    organisations = [factories.OrganisationFactory() for _ in range(3)]
    built = []

    def build(objects):
        built.append([obj.pk for obj in objects])
        return [f"row {obj.pk}" for obj in objects]

    def rows(objects):
        return fragments.kept_rows("test", objects, ["accounts.organisation"], build)

    assert rows(organisations[:2]) == [f"row {o.pk}" for o in organisations[:2]]
    assert rows(organisations[::-1]) == [f"row {o.pk}" for o in organisations[::-1]]
    assert built == [[o.pk for o in organisations[:2]], [organisations[2].pk]]
    versions.bump("accounts.organisation")
    rows(organisations)
    assert built[-1] == [o.pk for o in organisations]


def test_kept_rows_with_their_own_generations_rebuild_only_the_row_whose_object_was_bumped(db, rendered_cache):
    from core import fragments
    from tests import factories

    organisations = [factories.OrganisationFactory() for _ in range(3)]
    built = []

    def build(objects):
        built.append([obj.pk for obj in objects])
        return [f"row {obj.pk}" for obj in objects]

    def rows():
        return fragments.kept_rows("test-own", organisations, ["accounts.member"], build,
                                   own=lambda obj: [("chat.conversation", obj.pk)])

    assert rows() == [f"row {o.pk}" for o in organisations]
    versions.bump("chat.conversation", organisations[1].pk)
    assert rows() == [f"row {o.pk}" for o in organisations]
    assert built == [[o.pk for o in organisations], [organisations[1].pk]]
    versions.bump("accounts.member")
    rows()
    assert built[-1] == [o.pk for o in organisations]


def test_kept_together_reads_in_one_round_trip_and_makes_only_what_is_not_kept(db, rendered_cache, monkeypatch):
    made = []

    def make(name):
        return lambda: made.append(name) or f"{name} {len(made)}"

    def both():
        return versions.kept_together(("v:a", ["forums.forum"], make("a")),
                                      ("v:b", ["forums.forum", ("forums.reads", 7)], make("b")))

    assert both() == ["a 1", "b 2"]
    round_trips = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: round_trips.append(keys) or get_many(keys))
    assert both() == ["a 1", "b 2"] and made == ["a", "b"] and len(round_trips) == 1
    versions.bump("forums.reads", 7)
    assert both() == ["a 1", "b 3"] and made == ["a", "b", "b"]
    versions.bump("forums.forum")
    assert both() == ["a 4", "b 5"]


def test_cards_in_a_cards_block_are_looked_up_together_and_follow_their_kinds(db, rendered_cache, monkeypatch):
    from django.template import Context, Template
    from django.test import RequestFactory

    from tests import factories

    members = [factories.UserFactory() for _ in range(3)]
    page = Template('{% load cards %}{% cards %}{% card "forums.forum" "test:head" %}head {{ n }}{% endcard %}'
                    '{% for m in members %}{% card "accounts.member" m n in members %}[{{ m.pk }} {{ n }}]'
                    '{% endcard %}{% endfor %}{% card "events.event" "test:foot" %}foot {{ n }}{% endcard %}'
                    '{% endcards %}')
    request = RequestFactory().get("/")

    def render(n):
        return page.render(Context({"request": request, "members": members, "n": n}))

    ids = "".join(f"[{m.pk} 1]" for m in members)
    assert render(1) == f"head 1{ids}foot 1"
    round_trips = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: round_trips.append(keys) or get_many(keys))
    assert render(2) == f"head 1{''.join(f'[{m.pk} 2]' for m in members)}foot 1"  # the rows differ by n
    assert len(round_trips) == 1 and len(round_trips[0]) == 2 + 3 + 3  # 5 cards' keys, their 3 kinds
    versions.bump("forums.forum")
    assert render(3).startswith("head 3") and render(3).endswith("foot 1")
    versions.bump("events.event")
    assert render(4).startswith("head 3") and render(4).endswith("foot 4")


def test_a_cards_block_looks_up_the_cards_of_a_template_it_includes_and_not_the_cards_inside_a_card(
        db, rendered_cache, monkeypatch):
    from django.template import Context, engines
    from django.test import RequestFactory

    engine = engines["django"].engine
    included = engine.from_string('{% load cards %}{% card "events.event" "test:inner" n %}inner {{ n }}{% endcard %}')
    monkeypatch.setattr(engine, "get_template", lambda name: included if name == "test/inner.html" else None)
    page = engine.from_string(
        '{% load cards %}{% cards %}{% card "forums.forum" "test:outer" n %}outer {{ n }}'
        '{% card "forums.forum" "test:nested" n %}nested {{ n }}{% endcard %}{% endcard %}'
        '|{% include "test/inner.html" %}{% endcards %}')
    request = RequestFactory().get("/")

    def render(n):
        return page.render(Context({"request": request, "n": n}))

    assert render(1) == "outer 1nested 1|inner 1"
    round_trips = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: round_trips.append(keys) or get_many(keys))
    assert render(1) == "outer 1nested 1|inner 1"
    assert len(round_trips) == 1
    assert sorted(key.split(":")[3] for key in round_trips[0] if key.startswith("v:card:")) == ["inner", "outer"]
    versions.bump("events.event")
    round_trips.clear()
    assert render(1) == "outer 1nested 1|inner 1" and len(round_trips) == 1
    assert render(2) == "outer 2nested 2|inner 2"
