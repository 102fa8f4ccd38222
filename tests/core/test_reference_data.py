"""Reference data users see — policy areas, sub-topics, target groups, organisation kinds, levels — reads in
the viewer's language: the rows keep a stable code and their English name, the name shown is looked up by
code among translated names (core.reference)."""

import pytest
from django.utils import translation

from accounts.models import Organisation
from core.models import PolicyArea, Topic
from core.taxonomy import Level
from directory.models import TargetGroup
from tests.directory.factories import make_practice

pytestmark = pytest.mark.django_db


def test_policy_areas_sub_topics_and_target_groups_read_in_the_active_language():
    with translation.override("fr"):
        assert PolicyArea.objects.get(code="cultural").name == "Intégration culturelle"
        assert str(PolicyArea.objects.get(code="socio-economic")) == "Intégration socio-économique"
        assert Topic.objects.get(slug="family-reunification").name == "Regroupement familial"
        assert TargetGroup.objects.get(slug="host-community").name == "Société d’accueil"
    with translation.override("ar"):
        assert PolicyArea.objects.get(code="cultural").name == "الإدماج الثقافي"
    assert PolicyArea.objects.get(code="cultural").name == "Cultural integration"


def test_fixed_choices_read_in_the_active_language_too():
    with translation.override("fr"):
        assert Organisation.Kind.NGO.label == "ONG"
        assert Level.REGIONAL.label == "Régional"


def test_saving_a_row_in_another_language_keeps_its_english_name():
    area = PolicyArea.objects.get(code="cultural")
    with translation.override("fr"):
        area.position = 7
        area.save()
    stored = PolicyArea.objects.filter(code="cultural").values_list("name", flat=True).get()
    assert stored == "Cultural integration"


def test_a_row_staff_added_reads_as_they_named_it():
    area = PolicyArea.objects.create(code="health-and-care", name="Health and care", position=9)
    with translation.override("fr"):
        assert PolicyArea.objects.get(pk=area.pk).name == "Health and care"


def test_the_home_page_names_the_areas_and_sub_topics_in_the_visitors_language(client):
    page = client.get("/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Intégration juridique et politique" in page and "Regroupement familial" in page
    assert "Legal and political integration" not in page


def test_list_facets_name_the_areas_and_target_groups_in_the_visitors_language(client):
    make_practice(status="published", areas=("socio-economic",), targets=("refugees",))
    page = client.get("/practices/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Intégration socio-économique" in page and "Réfugiés et demandeurs d’asile" in page
    assert "Socio-economic integration" not in page
