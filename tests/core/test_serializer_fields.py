"""Serializers' fields built once per class and language (core.drf.install_field_prototypes): each serializer
still gets its own fields, bound to it, in the active language, seeing its own context and validating afresh."""

import pytest
from django.test import Client
from django.utils import translation
from rest_framework import serializers

from accounts.api import MeSerializer
from core import drf


class Person(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    greeting = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField())

    def get_greeting(self, obj) -> str:
        return f"{self.context['salutation']} {obj['name']}"


class Team(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("a", "Alpha"), ("b", "Beta")])
    people = Person(many=True)


class OwnFields(serializers.Serializer):
    calls = 0

    def get_fields(self):
        OwnFields.calls += 1
        return {"n": serializers.IntegerField()}


def test_each_serializer_gets_its_own_fields_bound_to_it_and_its_context():
    team = {"kind": "a", "people": [{"name": "Ana", "tags": ["x"]}]}
    first, second = Team(team, context={"salutation": "Hello"}), Team(team, context={"salutation": "Bonjour"})
    assert first.data["people"][0]["greeting"] == "Hello Ana"
    assert second.data["people"][0]["greeting"] == "Bonjour Ana"
    assert first.fields["kind"] is not second.fields["kind"]
    assert first.fields["kind"].parent is first and second.fields["kind"].parent is second
    assert first.fields["people"].child is not second.fields["people"].child
    assert first.fields["people"].child.fields["tags"].child.parent is first.fields["people"].child.fields["tags"]
    prototypes = drf._prototypes[(Team, translation.get_language())]
    assert all(field.parent is None and field.field_name is None for field in prototypes.values())


def test_validation_starts_afresh_for_each_serializer():
    bad = Team(data={"kind": "z", "people": [{"name": "Too long", "tags": []}]}, context={"salutation": "Hi"})
    assert not bad.is_valid()
    assert set(bad.errors) == {"kind", "people"}
    good = Team(data={"kind": "b", "people": [{"name": "Bo", "tags": ["y"]}]}, context={"salutation": "Hi"})
    assert good.is_valid(), good.errors
    assert good.validated_data["people"][0]["name"] == "Bo"


def test_fields_and_their_messages_are_in_the_active_language_whichever_was_built_first():
    for language, message in [("fr", "pas un choix valide"), ("en", "is not a valid choice"),
                              ("fr", "pas un choix valide")]:
        with translation.override(language):
            serializer = MeSerializer(data={"timezone": "Mars/Olympus", "full_name": "Mia"}, partial=True)
            assert not serializer.is_valid()
            assert message in str(serializer.errors["timezone"][0])


def test_a_serializer_building_its_own_fields_builds_them_each_time():
    OwnFields.calls = 0
    for _ in range(3):
        assert set(OwnFields().fields) == {"n"}
    assert OwnFields.calls == 3


@pytest.mark.django_db
def test_the_profile_api_reads_and_writes_as_before(member):
    client = Client()
    client.force_login(member)
    for _ in range(2):
        body = client.get("/api/me/").json()
        assert body["full_name"] == member.full_name and body["email"] == member.email
    refused = client.patch("/api/me/", {"timezone": "Mars/Olympus"}, content_type="application/json",
                           headers={"Accept-Language": "fr"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid"
    saved = client.patch("/api/me/", {"timezone": "Europe/Paris", "full_name": "  Mia   M  "},
                         content_type="application/json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["timezone"] == "Europe/Paris" and saved.json()["full_name"] == "Mia M"
