"""The practice, event and organisation forms: titled sections with a short guide, a summary naming the sections
that have errors, and an unfinished draft a member keeps (unchecked) and finds again."""

import re

import pytest
from django.urls import reverse

from accounts.forms import OrganisationForm
from accounts.models import Organisation
from core.models import FormDraft
from core.templatetags.site import form_sections
from directory.forms import PracticeForm
from directory.models import Practice
from events.forms import EventForm
from events.models import Event
from tests import factories
from tests.events.factories import organiser_for
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make_form", [
    lambda user: PracticeForm(user=user, creating=True),
    lambda user: PracticeForm(user=user, creating=False),
    lambda user: EventForm(user=user),
    lambda user: OrganisationForm(),
])
def test_every_field_of_a_long_form_is_in_exactly_one_titled_section(member, make_form):
    form = make_form(member)
    sections = form_sections(form)
    placed = [bound.name for section in sections for bound in section.fields]
    assert sorted(placed) == sorted(bound.name for bound in form.visible_fields())
    assert len(placed) == len(set(placed))
    assert len(sections) >= 3 and all(section.title for section in sections)
    assert "more" not in [s.id for s in sections], "every field has a section chosen for it"


def test_the_practice_form_shows_its_sections_and_guide(client, member):
    client.force_login(member)
    page = client.get(reverse("directory:practice-create")).content.decode()
    legends = re.findall(r"<legend>(\d\. [^<]+)</legend>", page)
    assert legends == ["1. The practice in brief", "2. What it does and for whom", "3. Results and lessons",
                       "4. Where, when and with what", "5. Policy areas and topics",
                       "6. Partners, links and attachments"]
    assert 'aria-label="Sections of this form"' in page
    assert '<a href="#section-results">Results and lessons</a>' in page


def test_a_failed_practice_says_which_sections_need_attention(client, member):
    client.force_login(member)
    response = client.post(reverse("directory:practice-create"), {"save": "1", "title": "", "start_year": "1800",
                                                                    "language": "en"})
    page = response.content.decode()
    summary = re.search(r'<div class="form-errors".*?</div>', page, re.S).group(0)
    assert '<a href="#section-brief">The practice in brief needs attention</a>' in summary
    assert '<a href="#section-place">Where, when and with what needs attention</a>' in summary
    assert "Partners, links" not in summary
    assert 'class="form-section has-error" id="section-brief"' in page
    assert 'class="form-section" id="section-links"' in page
    assert not Practice.objects.exists()


def test_an_unfinished_practice_is_kept_as_a_draft_and_filled_in_again(client, member, outsider):
    client.force_login(member)
    url = reverse("directory:practice-create")
    response = client.post(url, {"save_draft": "1", "title": "Half-written buddy scheme", "start_year": "20",
                                 "policy_areas": ["1", "2"], "csrfmiddlewaretoken": "x", "sneaky": "kept?"})
    assert response.status_code == 302 and response["Location"] == url
    assert not Practice.objects.exists(), "a draft is not checked, so it is not a practice yet"
    draft = FormDraft.objects.get(user=member, key="practice:new")
    assert draft.data["title"] == ["Half-written buddy scheme"]
    assert "sneaky" not in draft.data and "csrfmiddlewaretoken" not in draft.data
    page = client.get(url).content.decode()
    assert 'data-testid="draft-restored"' in page
    assert 'value="Half-written buddy scheme"' in page
    assert re.search(r'<input type="checkbox" name="policy_areas" value="1"[^>]*checked', page)
    # someone else does not see it
    client.force_login(outsider)
    assert "Half-written" not in client.get(url).content.decode()
    # saving the practice for real ends the draft
    client.force_login(member)
    organisation = member.memberships.first().organisation
    response = client.post(url, {
        "save": "1", "organisation": organisation.pk, "title": "Buddy scheme", "summary": "Pairs.",
        "issue": "Isolation.", "how_it_works": "Pairs newcomers with locals.", "results": "120 pairs.",
        "evaluation_type": "none", "start_year": "2020", "country": "AT", "level": "local", "language": "en",
        "policy_areas": ["1"],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not FormDraft.objects.filter(user=member).exists()


def test_a_draft_can_be_discarded(client, member):
    client.force_login(member)
    url = reverse("directory:practice-create")
    client.post(url, {"save_draft": "1", "title": "Throw away"})
    client.post(url, {"discard_draft": "1"})
    assert not FormDraft.objects.exists()
    assert "Throw away" not in client.get(url).content.decode()


def test_a_visitor_keeps_no_draft(client):
    response = client.post(reverse("directory:practice-create"), {"save_draft": "1", "title": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not FormDraft.objects.exists()


def test_an_organisation_draft_and_its_sections(client, member):
    client.force_login(member)
    url = reverse("accounts:organisation-create")
    client.post(url, {"save_draft": "1", "name": "Draft City", "kind": "municipality", "country": "FR"})
    assert not Organisation.objects.filter(name="Draft City").exists()
    page = client.get(url).content.decode()
    assert 'value="Draft City"' in page and '<option value="FR" selected>' in page
    response = client.post(url, {"name": "", "kind": "ngo", "country": "FR", "level": "local"})
    assert '<a href="#section-identity">Who you are needs attention</a>' in response.content.decode()


def test_an_event_draft_for_an_organiser(client):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    client.force_login(organiser)
    url = reverse("events:create")
    client.post(url, {"save_draft": "1", "title": "Roundtable on housing", "kind": "roundtable",
                      "requires_approval": "on", "organisations": [str(organisation.pk)]})
    assert not Event.objects.exists()
    page = client.get(url).content.decode()
    assert 'value="Roundtable on housing"' in page
    assert re.search(r'name="requires_approval"[^>]*checked', page)
    assert re.search(r'name="waitlist_enabled"(?![^>]*checked)[^>]*>', page), "unticked in the draft stays unticked"
    assert '<legend>4. Registration</legend>' in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_hostile_draft_is_shown_inert(client, member, payload):
    client.force_login(member)
    url = reverse("directory:practice-create")
    client.post(url, {"save_draft": "1", "title": payload, "summary": payload})
    assert_inert(client.get(url).content.decode())


def test_an_overlong_draft_is_cut_not_refused(client, member):
    client.force_login(member)
    client.post(reverse("directory:practice-create"), {"save_draft": "1", "how_it_works": "x" * 100_000,
                                                       "target_groups": [str(n) for n in range(900)]})
    draft = FormDraft.objects.get(user=member)
    assert len(draft.data["how_it_works"][0]) == 20_000
    assert sum(len(v) for v in draft.data.values()) <= 300
