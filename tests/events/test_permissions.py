"""Every organiser action, tried from the outside by a visitor, a plain member, a member of another
organisation, a moderator, a plain member of the organising organisation, and by its organiser and admin."""

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Registration
from tests import factories
from tests.events.factories import make_event, organiser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(outsider):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    insider = factories.UserFactory()
    factories.MembershipFactory(user=insider, organisation=organisation)
    event = make_event(organiser=organiser, organisation=organisation, capacity=1, requires_approval=True)
    pending = services.register_for_event(user=factories.UserFactory(), event=event)
    return {"event": event, "organiser": organiser, "admin": admin, "insider": insider, "pending": pending}


def _actions(event: Event, registration: Registration) -> list[tuple[str, str, dict]]:
    slug = event.slug
    return [
        ("get", reverse("events:edit", args=[slug]), {}),
        ("post", reverse("events:edit", args=[slug]), {"title": "Taken over"}),
        ("post", reverse("events:publish", args=[slug]), {}),
        ("get", reverse("events:cancel", args=[slug]), {}),
        ("post", reverse("events:cancel", args=[slug]), {"reason": "no"}),
        ("get", reverse("events:programme", args=[slug]), {}),
        ("post", reverse("events:programme", args=[slug]), {"what": "speaker", "speaker-name": "Intruder"}),
        ("get", reverse("events:registrations", args=[slug]), {}),
        ("get", reverse("events:registrations-csv", args=[slug]), {}),
        ("post", reverse("events:registration-action", args=[slug, registration.pk, "approve"]), {}),
        ("post", reverse("events:registration-action", args=[slug, registration.pk, "decline"]), {}),
        ("post", reverse("events:registration-action", args=[slug, registration.pk, "cancel"]), {}),
        ("post", reverse("events:message", args=[slug]), {"subject": "Hi", "body": "Spam"}),
        ("get", reverse("api-event-registrations", args=[slug]), {}),
    ]


@pytest.mark.parametrize("who", ["visitor", "member", "outsider", "moderator", "insider"])
def test_no_one_but_those_who_run_the_event_can_run_it(client, setting, member, outsider, moderator, who):
    someone = {"visitor": None, "member": member, "outsider": outsider, "moderator": moderator,
               "insider": setting["insider"]}[who]
    if someone is not None:
        client.force_login(someone)
    event, pending = setting["event"], setting["pending"]
    for method, url, data in _actions(event, pending):
        response = getattr(client, method)(url, data)
        if someone is None:
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == 403, (url, response.status_code)
    event.refresh_from_db()
    pending.refresh_from_db()
    assert event.title != "Taken over" and event.status == Event.Status.PUBLISHED
    assert pending.status == Registration.Status.PENDING and not event.speakers.exists()


@pytest.mark.parametrize("who", ["organiser", "admin", "staff"])
def test_organisers_admins_and_staff_run_the_event(client, setting, staff, who):
    client.force_login(staff if who == "staff" else setting[who])
    event, pending = setting["event"], setting["pending"]
    assert client.get(reverse("events:registrations", args=[event.slug])).status_code == 200
    client.post(reverse("events:registration-action", args=[event.slug, pending.pk, "approve"]))
    pending.refresh_from_db()
    assert pending.status == Registration.Status.CONFIRMED


def test_only_an_organiser_may_create_an_event(client, member, moderator):
    for someone in (member, moderator):
        client.force_login(someone)
        assert client.get(reverse("events:create")).status_code == 403
    organisation = factories.OrganisationFactory()
    client.force_login(organiser_for(organisation))
    assert client.get(reverse("events:create")).status_code == 200


def test_an_organiser_cannot_create_an_event_for_an_organisation_they_do_not_organise_for(client):
    theirs, other = factories.OrganisationFactory(), factories.OrganisationFactory()
    client.force_login(organiser_for(theirs))
    response = client.post(reverse("events:create"), {
        "kind": "webinar", "title": "Borrowed name", "organisations": [other.pk], "timezone": "UTC",
        "starts_local": "2030-01-01T10:00", "ends_local": "2030-01-01T11:00", "format": "online",
        "visibility": "public", "registration_scope": "verified"})
    assert response.status_code == 200 and "organisations" in response.context["form"].errors
    assert not Event.objects.filter(title="Borrowed name").exists()


def test_the_join_link_shows_to_confirmed_registrants_and_organisers_only(client, setting, member, outsider):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    webinar = make_event(organiser=organiser, organisation=organisation, kind="webinar", format="online", venue="",
                         join_url="https://meet.example.org/hidden-room", capacity=1)
    services.register_for_event(user=member, event=webinar)
    services.register_for_event(user=outsider, event=webinar)  # waitlisted
    url = webinar.get_absolute_url()
    assert "hidden-room" not in client.get(url).content.decode()
    join = reverse("events:join", args=[webinar.slug])
    for someone, sees in ((member, True), (outsider, False), (organiser, True), (factories.UserFactory(), False)):
        client.force_login(someone)
        page = client.get(url).content.decode()
        # Registrants get the link through the platform's redirect (it records attendance), organisers directly.
        assert ("hidden-room" in page or f'href="{join}"' in page) is sees
        response = client.get(join)
        assert (response.status_code == 302 and response["Location"] == webinar.join_url) is sees
        api = client.get(reverse("api-event", args=[webinar.slug])).json()
        assert (api["join_url"] == "https://meet.example.org/hidden-room") is sees


def test_a_cancelled_event_hides_its_join_link(client, member):
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    webinar = make_event(organiser=organiser, organisation=organisation, kind="webinar", format="online", venue="",
                         join_url="https://meet.example.org/hidden-room")
    services.register_for_event(user=member, event=webinar)
    services.cancel_event(actor=organiser, event=webinar)
    client.force_login(member)
    assert "hidden-room" not in client.get(webinar.get_absolute_url()).content.decode()


def test_contacting_a_sole_organiser_opens_a_direct_conversation_with_them(client, member):
    from chat.models import Message

    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    client.force_login(member)
    response = client.post(reverse("events:contact", args=[event.slug]), {"message": "Is there step-free access?"})
    message = Message.objects.get()
    assert response["Location"] == message.conversation.get_absolute_url()
    assert message.sender == member and message.body == "Is there step-free access?"
    assert set(message.conversation.participants.values_list("user", flat=True)) == {member.pk, organiser.pk}
    assert "@" not in client.get(event.get_absolute_url()).content.decode().split("<main")[1].split("</main>")[0]


def test_contacting_several_organisers_opens_one_group_reused_the_next_time(client, member):
    from chat.models import Conversation, Message

    organisation = factories.OrganisationFactory()
    organiser, co_organiser = organiser_for(organisation), organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    client.force_login(member)
    for text in ("First question", "Second question"):
        client.post(reverse("events:contact", args=[event.slug]), {"message": text})
    conversation = Conversation.objects.get()
    assert conversation.title == f"About “{event.title}”"
    assert set(conversation.participants.values_list("user", flat=True)) == {member.pk, organiser.pk,
                                                                             co_organiser.pk}
    assert list(Message.objects.values_list("body", flat=True).order_by("id")) == ["First question",
                                                                                  "Second question"]


def test_an_empty_or_blocked_contact_is_refused_with_a_message(client, member):
    from chat import services as chat_services

    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    client.force_login(member)
    response = client.post(reverse("events:contact", args=[event.slug]), {"message": "   "})
    assert response.status_code == 200 and "message" in response.context["form"].errors
    chat_services.block_member(user=organiser, other=member)
    response = client.post(reverse("events:contact", args=[event.slug]), {"message": "Hello?"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_a_visitor_cannot_register_contact_or_manage_a_feed(client):
    event = make_event()
    for url in (reverse("events:register", args=[event.slug]), reverse("events:contact", args=[event.slug]),
                reverse("events:feed-token")):
        response = client.post(url, {"message": "hi"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()
