"""Versioned cache keys: a bump of a kind changes every key built from it, and only those."""

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
