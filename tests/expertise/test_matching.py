"""Each open request shows its suggested peers, ranked by evidence, each saying why; the engine is the one
"Find peers" uses (accounts.matching), fed by directory, events and forums through their registrations."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from core.models import PolicyArea
from events import services as events_services
from events.models import Event
from expertise import selectors, services
from forums import services as forums_services
from forums.models import Post
from tests import factories
from tests.directory.factories import make_practice
from tests.events.factories import make_event
from tests.expertise.factories import make_request, member_of
from tests.forums import factories as forum_factories
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _published_practice(organisation, *, topic="housing", level="local", author=None):
    author = author or member_of(organisation)
    return make_practice(author=author, organisation=organisation, status="published", level=level,
                         topics=(topic,))


def _speaker_at(organisation, name: str, title: str, area_code: str = "socio-economic") -> Event:
    event = make_event(organisation=organisation, title=title,
                       policy_areas=[PolicyArea.objects.get(code=area_code)])
    events_services.add_speaker(actor=event.created_by, event=event, name=name, organisation_name=organisation.name)
    return event


def _helpful_answer(author: User, area_code: str = "socio-economic") -> Post:
    category = forum_factories.category(policy_area=PolicyArea.objects.get(code=area_code))
    topic = forum_factories.topic(category_=category, title="Housing allocation")
    post = forum_factories.reply(topic=topic, author=author, body="Use a points system.")
    forums_services.toggle_helpful(user=topic.author, post=post)
    return post


def test_suggestions_rank_peers_by_their_evidence_and_say_why():
    request = make_request(topics=["housing"], level="local", country="FR", languages=["fr"],
                           title="Study visit on housing for refugees", kind="study-visit")
    lyon = factories.OrganisationFactory(name="Lyon", kind="municipality", country="FR")
    for _ in range(3):
        _published_practice(lyon, level="local")
    speaker = member_of(lyon, full_name="Claire Martin", language="fr")
    _speaker_at(lyon, "Claire Martin", "The Inter-Ethnic City")
    ghent = factories.OrganisationFactory(name="Ghent", kind="municipality", country="BE")
    _published_practice(ghent, level="regional")
    ngo = factories.OrganisationFactory(name="Helping Hands", country="DE")
    _helpful_answer(member_of(ngo))
    factories.OrganisationFactory(name="Unrelated", country="FR")
    own_practice_org = request.organisation
    _published_practice(own_practice_org)

    suggestions = selectors.suggestions_for(request)
    names = [s.organisation.name for s in suggestions]
    assert names == ["Lyon", "Ghent", "Helping Hands"]
    lyon_reasons = suggestions[0].suggestion.reasons
    assert "3 published practices in Housing at local level" in lyon_reasons
    assert "spoke at “The Inter-Ethnic City”" in lyon_reasons
    assert "speaks Français" in lyon_reasons
    assert "works in the same country" in lyon_reasons
    assert speaker in suggestions[0].suggestion.people
    assert suggestions[1].suggestion.reasons[0] == "1 published practice in Housing"
    assert "also in Western Europe" in suggestions[1].suggestion.reasons
    assert suggestions[2].suggestion.reasons == ["1 forum answer marked helpful in these areas",
                                                 "also in Western Europe"]


def test_the_request_page_shows_suggestions_with_reasons_and_the_requester_can_invite_one(client):
    request = make_request(topics=["housing"], level="local")
    lyon = factories.OrganisationFactory(name="Lyon")
    admin = member_of(lyon, role="admin")
    _published_practice(lyon)
    client.force_login(request.author)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Suggested peers" in page and "1 published practice in Housing at local level" in page
    response = client.post(f"/expertise/{request.slug}/invite/", {"organisation": lyon.pk,
                                                                  "message": "Could you help us?"})
    assert response.status_code == 302
    note = admin.notifications.get(kind="expertise.invitation")
    assert note.url == request.get_absolute_url() and note.body == "Could you help us?"
    assert "Invited" in client.get(request.get_absolute_url()).content.decode()


def test_suggestions_keep_their_query_count_as_evidence_grows(client):
    request = make_request(topics=["housing"], level="local", languages=["en", "fr"])
    client.force_login(request.author)

    def add_peers(n: int) -> None:
        for i in range(n):
            organisation = factories.OrganisationFactory(country="FR")
            person = member_of(organisation, language="fr")
            _published_practice(organisation, author=person)
            _speaker_at(organisation, person.full_name, f"Event {organisation.pk} {i}")
            _helpful_answer(person)

    assert_queries_do_not_grow(client, request.get_absolute_url(), add_peers, more=5)
    assert_queries_do_not_grow(client, f"/api/expertise/requests/{request.slug}/suggestions/", add_peers, more=5)


def test_a_closed_or_draft_request_shows_no_suggestions(client):
    request = make_request(status="closed")
    _published_practice(factories.OrganisationFactory())
    client.force_login(request.author)
    assert client.get(request.get_absolute_url()).context["suggestions"] == []


def test_inviting_the_same_peer_twice_or_ones_own_organisation_is_refused():
    request = make_request()
    peer = factories.OrganisationFactory()
    member_of(peer, role="admin")
    services.invite_peer(actor=request.author, request=request, organisation=peer)
    with pytest.raises(ValidationError):
        services.invite_peer(actor=request.author, request=request, organisation=peer)
    with pytest.raises(ValidationError):
        services.invite_peer(actor=request.author, request=request, organisation=request.organisation)
