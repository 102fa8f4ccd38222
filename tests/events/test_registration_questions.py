"""Registration questions: asked at registration, required ones enforced before a seat is taken, editable until
registration closes, hidden rather than removed once answered, and shown to those who run the event only."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration, RegistrationAnswer, RegistrationQuestion
from tests import factories
from tests.errors import error_fields
from tests.events.factories import make_event, organiser_for
from tests.hostile import ALL_STRINGS, LEGITIMATE, WRONG_TYPES, assert_inert

pytestmark = pytest.mark.django_db
Kind = RegistrationQuestion.Kind


@pytest.fixture
def asked():
    organisation = factories.OrganisationFactory()
    organiser = organiser_for(organisation)
    event = make_event(organiser=organiser, organisation=organisation)
    q = {
        "city": services.add_question(actor=organiser, event=event, kind=Kind.SHORT_TEXT,
                                      label="Which city do you represent?", required=True),
        "language": services.add_question(actor=organiser, event=event, kind=Kind.CHOICE,
                                          label="Interpretation language", choices=["English", "French"]),
        "diet": services.add_question(actor=organiser, event=event, kind=Kind.CHOICES, label="Dietary needs",
                                      choices=["Vegetarian", "Halal", "Gluten-free"]),
        "access": services.add_question(actor=organiser, event=event, kind=Kind.LONG_TEXT,
                                        label="Accessibility needs"),
        "photo": services.add_question(actor=organiser, event=event, kind=Kind.YES_NO, label="Photos OK?"),
        "country": services.add_question(actor=organiser, event=event, kind=Kind.COUNTRY, label="Country"),
    }
    return organiser, event, q


def _post(q, **values) -> dict:
    data = {f"question_{q['city'].pk}": "Vienna", f"question_{q['language'].pk}": "French",
            f"question_{q['photo'].pk}": "yes", f"question_{q['country'].pk}": "AT"}
    data.update({f"question_{q[name].pk}": value for name, value in values.items()})
    return data


def test_the_register_page_asks_the_questions_and_saves_the_answers(client, member, asked):
    _, event, q = asked
    client.force_login(member)
    page = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert "Which city do you represent?" in page and "Gluten-free" in page
    data = _post(q)
    data[f"question_{q['diet'].pk}"] = ["Halal", "Vegetarian"]
    response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=member)
    answers = {a.question_id: a.value for a in registration.answers.all()}
    assert answers == {q["city"].pk: "Vienna", q["language"].pk: "French", q["diet"].pk: ["Vegetarian", "Halal"],
                       q["photo"].pk: True, q["country"].pk: "AT"}


def test_a_missing_required_answer_is_a_form_error_and_no_seat_is_taken(client, member, asked):
    _, event, q = asked
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), _post(q, city=""))
    assert response.status_code == 400
    assert "Answer this question: it is required." in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_the_register_button_without_answers_leads_to_the_questions_and_takes_no_seat(client, member, asked):
    _, event, _q = asked
    client.force_login(member)
    response = client.post(reverse("events:register", args=[event.slug]), {})
    assert response.status_code == 400 and "it is required" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_a_choice_outside_the_options_is_refused_by_the_service(member, asked):
    _, event, q = asked
    with pytest.raises(ValidationError) as error:
        services.register_for_event(user=member, event=event, answers={
            q["city"].pk: "Lyon", q["language"].pk: "Klingon", q["diet"].pk: ["Halal", "Raw"]})
    assert set(error.value.message_dict) == {f"question_{q['language'].pk}", f"question_{q['diet'].pk}"}
    assert not Registration.objects.filter(event=event).exists()


def test_answers_can_change_until_registration_closes(client, member, asked):
    organiser, event, q = asked
    services.register_for_event(user=member, event=event, answers={q["city"].pk: "Vienna"})
    client.force_login(member)
    url = reverse("events:answers", args=[event.slug])
    assert 'value="Vienna"' in client.get(url).content.decode()
    assert client.post(url, _post(q, city="Graz")).status_code == 302
    assert RegistrationAnswer.objects.get(question=q["city"]).value == "Graz"
    services.update_event(actor=organiser, event=event, registration_closes_at=timezone.now() - timedelta(minutes=1),
                          registration_opens_at=None)
    response = client.post(url, _post(q, city="Linz"))
    assert response.status_code == 400 and "Registration is closed" in response.content.decode()
    assert RegistrationAnswer.objects.get(question=q["city"]).value == "Graz"


def test_an_answered_question_cannot_be_removed_only_hidden_and_its_answers_stay(client, member, asked):
    organiser, event, q = asked
    services.register_for_event(user=member, event=event, answers={q["city"].pk: "Vienna"})
    client.force_login(organiser)
    url = reverse("events:questions", args=[event.slug])
    client.post(url, {"action": "remove", "id": q["city"].pk})
    assert RegistrationQuestion.objects.filter(pk=q["city"].pk).exists()
    client.post(url, {"action": "hide", "id": q["city"].pk})
    assert RegistrationQuestion.objects.get(pk=q["city"].pk).hidden
    assert RegistrationAnswer.objects.get(question=q["city"]).value == "Vienna"
    client.force_login(factories.UserFactory())
    assert "Which city" not in client.get(reverse("events:register", args=[event.slug])).content.decode()
    client.force_login(organiser)
    assert "Vienna" in client.get(reverse("events:registrations-csv", args=[event.slug])).content.decode()
    client.post(url, {"action": "remove", "id": q["access"].pk})  # nobody answered it
    assert not RegistrationQuestion.objects.filter(pk=q["access"].pk).exists()


def test_the_organiser_adds_a_choice_question_with_one_option_a_line(client, asked):
    organiser, event, _q = asked
    client.force_login(organiser)
    response = client.post(reverse("events:questions", args=[event.slug]), {
        "action": "add", "kind": "choice", "label": "Interpretation", "choices": "English\n\nArabic\n",
        "required": "on"})
    assert response.status_code == 302
    question = RegistrationQuestion.objects.get(label="Interpretation")
    assert question.choices == ["English", "Arabic"] and question.required
    response = client.post(reverse("events:questions", args=[event.slug]), {
        "action": "add", "kind": "choice", "label": "One option", "choices": "Only"})
    assert response.status_code == 400 and "between 2 and" in response.content.decode()


def test_answers_show_in_the_csv_and_the_organisers_api_and_nowhere_else(client, member, asked):
    organiser, event, q = asked
    services.register_for_event(user=member, event=event, answers={
        q["city"].pk: "Secret-City-Answer", q["language"].pk: "French"})
    csv = reverse("events:registrations-csv", args=[event.slug])
    api = reverse("api-event-registrations", args=[event.slug])
    client.force_login(organiser)
    assert "Secret-City-Answer" in client.get(csv).content.decode()
    rows = client.get(api).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows[0]["answers"][0]["answer"] == "Secret-City-Answer"
    for someone in (member, factories.UserFactory()):
        client.force_login(someone)
        assert client.get(csv).status_code == 403 and client.get(api).status_code == 403
        for url in (event.get_absolute_url(), reverse("api-event", args=[event.slug]),
                    reverse("api-event-registration", args=[event.slug])):
            assert "Secret-City-Answer" not in client.get(url).content.decode()
    client.logout()
    assert "Secret-City-Answer" not in client.get(event.get_absolute_url()).content.decode()


def test_the_api_registers_with_answers_and_names_the_question_that_needs_fixing(client, member, asked):
    _, event, q = asked
    client.force_login(member)
    url = reverse("api-event-registration", args=[event.slug])
    response = client.post(url, {"answers": {str(q["language"].pk): "French"}}, content_type="application/json")
    assert f"question_{q['city'].pk}" in error_fields(response)
    response = client.post(url, {"answers": "nonsense"}, content_type="application/json")
    assert "answers" in error_fields(response)
    response = client.post(url, {"answers": {str(q["city"].pk): "Graz"}}, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("text", ALL_STRINGS)
def test_hostile_text_in_every_answer_is_refused_or_stored_inert(client, member, asked, text):
    organiser, event, q = asked
    client.force_login(member)
    data = _post(q, city=text, access=text, language=text, diet=[text], photo=text, country=text)
    response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code in (302, 400)
    assert_inert(response.content.decode())
    if response.status_code == 400:
        assert not Registration.objects.filter(event=event, user=member).exists()
    client.force_login(organiser)
    for url in (reverse("events:registrations-csv", args=[event.slug]), reverse("events:dashboard", args=[event.slug]),
                reverse("events:questions", args=[event.slug])):
        response = client.get(url)
        assert response.status_code == 200
        if "html" in response["Content-Type"]:
            assert_inert(response.content.decode())


@pytest.mark.parametrize("value", WRONG_TYPES)
def test_wrong_types_in_api_answers_get_a_clear_error_never_a_500(client, member, asked, value):
    _, event, q = asked
    client.force_login(member)
    answers = {str(question.pk): value for question in q.values()}
    response = client.post(reverse("api-event-registration", args=[event.slug]),
                           json.dumps({"answers": answers}), content_type="application/json")
    assert response.status_code in (201, 400)
    if response.status_code == 400:
        assert any(key.startswith("question_") for key in error_fields(response))


@pytest.mark.parametrize("text", [*LEGITIMATE, "<b>bold</b> & \"quotes\""])
def test_hostile_and_real_text_in_the_question_itself_is_shown_inert(client, member, asked, text):
    organiser, event, _q = asked
    services.add_question(actor=organiser, event=event, kind=Kind.SHORT_TEXT, label=text, help_text=text)
    client.force_login(member)
    page = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert_inert(page)
    if text in LEGITIMATE:
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;") in page
