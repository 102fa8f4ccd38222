"""The new-practice form as a member meets it: what the page preselects is what the browser sends."""

import re

import pytest
from django.urls import reverse

from directory.models import Practice
from tests import factories

pytestmark = pytest.mark.django_db


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)


def test_a_member_of_one_organisation_finds_it_chosen_as_the_lead(client, member):
    organisation = member.memberships.get().organisation
    client.force_login(member)
    page = client.get(reverse("directory:practice-create")).content.decode()
    assert _selected(page, "organisation") == [str(organisation.pk)]
    assert 'value="">---------</option>' not in re.search(r'<select name="organisation".*?</select>',
                                                         page, re.S).group(0)
    response = client.post(reverse("directory:practice-create"), {
        "organisation": _selected(page, "organisation")[0], "title": "Language cafés in libraries",
        "summary": "Volunteers host weekly conversation tables.", "country": "AT", "level": "local",
        "language": "en", "evaluation_type": "none", "start_year": "2021"})
    assert response.status_code == 302, response.context["form"].errors
    assert Practice.objects.get().organisation == organisation


def test_a_member_of_two_organisations_chooses_the_lead(client, member):
    factories.MembershipFactory(user=member)
    client.force_login(member)
    page = client.get(reverse("directory:practice-create")).content.decode()
    assert _selected(page, "organisation") == [""]
    response = client.post(reverse("directory:practice-create"), {"title": "Language cafés", "country": "AT",
                                                                  "level": "local", "language": "en"})
    assert response.context["form"].errors["organisation"] == ["This field is required."]


def test_a_member_of_one_organisation_finds_it_chosen_as_a_resources_publisher(client, member):
    client.force_login(member)
    page = client.get(reverse("directory:resource-create")).content.decode()
    assert _selected(page, "publisher") == [str(member.memberships.get().organisation_id)]
