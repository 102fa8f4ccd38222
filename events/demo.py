"""Demo events: the UN roundtable on the inter-ethnic city, webinars upcoming and past, a full workshop with a
waitlist, and a few more, dated relative to today so the demo stays fresh. Built through the services.

Idempotent: events are found by title, registrations by member, so a second run adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from core.models import PolicyArea
from events import services
from events.models import AttendanceLog, Event, Registration, RegistrationQuestion
from events.timezones import local_to_utc

ROUNDTABLE = "The Inter-Ethnic City: Management and Policies for a Better Integration of Migrants"
ROUNDTABLE_DESCRIPTION = """\
Cities are where integration succeeds or fails. This roundtable brings together mayors, city officials,
researchers and civil society to compare how cities **manage diversity** and which **policies** help
migrants and long-standing residents build a shared future.

The discussion follows the clearinghouse's three policy areas: socio-economic, legal and political, and
cultural integration. Each panel starts from practices documented in the Crossroads clearinghouse.

Interpretation: English, French and Spanish. The roundtable is webcast on UN Web TV.
"""

# (title, kind, format, organisation, zone, days from today, local start, hours, capacity, extra fields)
OTHER_EVENTS = [
    ("Welcoming Newcomers into the Job Market: What Works", Event.Kind.WEBINAR, Event.Format.ONLINE,
     "Welcome Bridges e.V.", "Europe/Berlin", 6, time(15, 0), 1.5, 100,
     {"join_url": "https://meet.example.org/crossroads-job-market", "summary":
      "Mentoring, skills recognition and employers' networks: three cities compare what helps newcomers into work.",
      "areas": ["socio-economic"]}),
    ("Youth Participation and Migrant Voice", Event.Kind.WEBINAR, Event.Format.ONLINE,
     "Youth Without Borders", "Europe/Paris", -20, time(17, 0), 1.5, None,
     {"join_url": "https://meet.example.org/crossroads-youth-voice",
      "recording_url": "https://video.example.org/crossroads/youth-participation-and-migrant-voice",
      "summary": "Young people with a migration background on how they take part in local democracy.",
      "areas": ["legal-political", "cultural"]}),
    # An event whose page is in French, organised in Lyon by French-speaking members.
    ("Discriminations à l’embauche : ce que les tests de situation changent", Event.Kind.ROUNDTABLE,
     Event.Format.HYBRID, "Ville de Lyon – Mission Égalité", "Europe/Paris", 20, time(14, 0), 2.5, 60,
     {"venue": "Hôtel de Ville de Lyon, salle Henri IV, 1 place de la Comédie", "city": "Lyon", "country": "FR",
      "join_url": "https://meet.example.org/crossroads-lyon-egalite", "language": "fr",
      "summary": "Des employeurs, des chercheurs et la Ville de Lyon échangent sur ce que les tests de situation "
                 "ont changé dans le recrutement, et sur la manière de les reproduire ailleurs.",
      "description": "La Ville de Lyon teste depuis 2014 les discriminations à l’embauche avec des CV appariés, puis "
                     "accompagne les employeurs concernés plutôt que de les désigner publiquement.\n\n"
                     "**Au programme**\n\n"
                     "- Les résultats de dix ans de tests, présentés par l’université partenaire ;\n"
                     "- Le témoignage de deux employeurs qui ont revu leur recrutement ;\n"
                     "- Un atelier : comment lancer des tests dans votre ville.\n\n"
                     "La rencontre se tient en français ; les questions en anglais sont les bienvenues.",
      "areas": ["legal-political"]}),
    ("Anti-Rumours Strategies: Training City Agents", Event.Kind.WORKSHOP, Event.Format.IN_PERSON,
     "Ajuntament de Barcelona – Interculturality Programme", "Europe/Madrid", 30, time(10, 0), 6, 12,
     {"venue": "Espai Avinyó, Carrer d'Avinyó 7", "city": "Barcelona", "country": "ES",
      "summary": "A hands-on day on countering prejudice in everyday conversation, with Barcelona's trainers.",
      "areas": ["cultural"]}),
    ("Housing First for Refugees: Lessons from Five Cities", Event.Kind.CONFERENCE, Event.Format.HYBRID,
     "Refugee Housing Alliance", "Europe/Amsterdam", 55, time(9, 30), 8, 150,
     {"venue": "Pakhuis de Zwijger, Piet Heinkade 179", "city": "Amsterdam", "country": "NL",
      "requires_approval": True, "join_url": "https://meet.example.org/crossroads-housing-first",
      "summary": "Municipal housing programmes for refugees, compared on cost, speed and outcomes.",
      "areas": ["socio-economic"]}),
    ("Counting Inclusion: the City Diversity Monitor", Event.Kind.WEBINAR, Event.Format.ONLINE,
     "City of Vienna – Department for Integration and Diversity", "Europe/Vienna", 13, time(11, 0), 1, None,
     {"join_url": "https://meet.example.org/crossroads-diversity-monitor", "visibility": Event.Visibility.MEMBERS,
      "summary": "How Vienna measures integration every two years, and how other cities can start.",
      "areas": ["socio-economic", "cultural"]}),
    ("Sport and Culture in the Neighbourhood", Event.Kind.ROUNDTABLE, Event.Format.IN_PERSON,
     "Bergamo Municipality – Social Cohesion", "Europe/Rome", 20, time(18, 0), 2, 40,
     {"venue": "Sala Viterbi, Via Tasso 8", "city": "Bergamo", "country": "IT", "cancel": True,
      "summary": "Neighbourhood sport and arts programmes that bring residents together.", "areas": ["cultural"]}),
]

SPEAKERS = [
    ("Amina Haddad", "Integration officer", "City of Vienna"),
    ("Sofia Marino", "Head of migrant services", "Comune di Milano"),
    ("Daniel Okafor", "Senior researcher", "Migration Policy Research Institute"),
    ("Leila Ahmadi", "Programme director", "Intercultural Cities Programme"),
    ("Tomás García", "Coordinator", "UN Network on Migration"),
]

# (minutes after the start, title, speaker indexes)
PROGRAMME = [
    (0, "Opening remarks", [4]),
    (20, "Panel 1 — Managing diversity: city administrations that reflect their residents", [0, 1]),
    (100, "Coffee break", []),
    (120, "Panel 2 — Policies for better integration: jobs, housing and political participation", [2, 3]),
    (210, "Conclusions and the way forward", [4]),
]


def _organiser(organisation: Organisation) -> User:
    membership = (Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE,
                                            role__in=[Membership.Role.ORGANISER, Membership.Role.ADMIN])
                  .select_related("user").order_by("-role", "id").first())
    return membership.user


def _at(zone: str, days: int, local: time) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return local_to_utc(datetime.combine(date(day.year, day.month, day.day), local), zone)


def _register(event: Event, users: list[User], answers=None) -> None:
    """Register each member (with answers made by `answers(index)`), spread over the last three weeks."""
    now = timezone.now()
    for index, user in enumerate(users):
        if not Registration.objects.filter(event=event, user=user).exists():
            when = min(now - timedelta(days=(len(users) - index) * 21 // max(len(users), 1), hours=index % 7),
                       event.starts_at - timedelta(hours=1))
            services.register_for_event(user=user, event=event, answers=answers(index) if answers else None,
                                        now=when)


# The roundtable's registration questions: (kind, label, help text, required, choices)
QUESTIONS = [
    (RegistrationQuestion.Kind.SHORT_TEXT, "Which city do you represent?", "Leave empty if you do not work for a "
     "city.", False, []),
    (RegistrationQuestion.Kind.CHOICE, "Interpretation language", "The roundtable is interpreted into these.", True,
     ["English", "French", "Spanish"]),
    (RegistrationQuestion.Kind.CHOICES, "Dietary needs", "For the lunch.", False,
     ["Vegetarian", "Vegan", "Halal", "Kosher", "Gluten-free"]),
    (RegistrationQuestion.Kind.LONG_TEXT, "Accessibility needs", "Step-free access, sign language, captions…",
     False, []),
    (RegistrationQuestion.Kind.YES_NO, "May we list your name among the participants?", "", True, []),
]
CITIES = ["Vienna", "Milan", "Barcelona", "Bergamo", "Montréal", "Lisbon", "Amsterdam", "", "Athens"]


def _roundtable_answers(questions: list[RegistrationQuestion]):
    def answers(index: int) -> dict:
        city, language, diet, access, listed = questions
        return {city.pk: CITIES[index % len(CITIES)], language.pk: language.choices[index % 3],
                diet.pk: [diet.choices[index % 5]] if index % 3 == 0 else [],
                access.pk: "Step-free access, please." if index == 2 else "", listed.pk: index % 4 != 0}
    return answers


def _questions(staff: User, event: Event) -> list[RegistrationQuestion]:
    if not event.questions.exists():
        for position, (kind, label, help_text, required, choices) in enumerate(QUESTIONS):
            services.add_question(actor=staff, event=event, kind=kind, label=label, help_text=help_text,
                                  required=required, choices=choices, position=position)
    return list(event.questions.order_by("position", "id"))


PAST_WORKSHOP = "Municipal Welcome Desks: a Training Day"
# (minutes after the start, minutes long, room, title)
PAST_SESSIONS = [
    (0, 30, "", "Welcome and introductions"),
    (30, 90, "Room A", "Designing a one-stop welcome desk"),
    (30, 90, "Room B", "Working with interpreters and cultural mediators"),
    (120, 60, "", "Lunch"),
    (180, 90, "Room A", "Data protection at the front desk"),
    (180, 90, "Room B", "Referral networks with NGOs"),
    (270, 30, "", "What we take home"),
]
PAST_FEEDBACK = [
    (5, "The parallel sessions on interpreters were concrete and practical.", "More time for questions.", "yes",
     True),
    (4, "Meeting colleagues from other cities.", "The room was too warm.", "yes", False),
    (5, "The referral network examples.", "", "yes", False),
    (3, "", "Less theory in the first session, more cases.", "maybe", False),
    (4, "Templates we can reuse.", "Share the slides before the day.", "yes", True),
]


def _past_workshop(areas: dict[str, PolicyArea], generated: list[User]) -> Event:
    """An event that took place: parallel sessions, registrations answered over weeks, attendance, certificates
    and feedback. Registrations are made in the past through the services' `now`."""
    event = Event.objects.filter(title=PAST_WORKSHOP).first()
    if event is not None:
        return event
    organisation = Organisation.objects.get(name="City of Vienna – Department for Integration and Diversity")
    actor = _organiser(organisation)
    starts = _at("Europe/Vienna", -9, time(9, 0))
    event = services.create_event(
        actor=actor, organisations=[organisation], kind=Event.Kind.WORKSHOP, title=PAST_WORKSHOP,
        summary="How cities set up a single welcome desk for newcomers: a day of parallel sessions.",
        description="A training day for city staff who set up or run a welcome desk for newcomers.",
        policy_areas=[areas["socio-economic"]], starts_at=starts, ends_at=starts + timedelta(hours=5),
        timezone_name="Europe/Vienna", venue="Rathaus, Festsaal", city="Vienna", country="AT", capacity=40)
    for minutes, length, room, title in PAST_SESSIONS:
        services.add_programme_item(actor=actor, event=event, starts_at=starts + timedelta(minutes=minutes),
                                    ends_at=starts + timedelta(minutes=minutes + length), room=room, title=title)
    event = services.publish_event(actor=actor, event=event)
    city = services.add_question(actor=actor, event=event, kind=RegistrationQuestion.Kind.SHORT_TEXT,
                                 label="Which city do you represent?", required=True)
    language = services.add_question(actor=actor, event=event, kind=RegistrationQuestion.Kind.CHOICE,
                                     label="Interpretation language", choices=["German", "English", "Arabic"])
    attendees = generated[38:52]
    for index, user in enumerate(attendees):
        answers = {city.pk: CITIES[index % len(CITIES)] or "Graz",
                   language.pk: language.choices[0 if index % 4 == 0 else index % 3]}
        services.register_for_event(user=user, event=event, answers=answers,
                                    now=starts - timedelta(days=30 - 2 * index, hours=index))
    sessions = list(event.programme.exclude(room="").order_by("starts_at", "room"))
    for index, user in enumerate(attendees):
        for session in sessions[index % 2::2]:
            services.set_session_interest(user=user, event=event, item_id=session.pk, interested=True)
    registrations = list(Registration.objects.filter(event=event).select_related("user").order_by("id"))
    for index, registration in enumerate(registrations[:11]):  # three did not come
        services.check_in(actor=actor, event=event, registration_id=registration.pk, now=starts - timedelta(
            minutes=20 - index), method=AttendanceLog.Method.QR if index % 3 else AttendanceLog.Method.LIST)
    for registration in registrations[:6]:
        services.issue_certificate(user=registration.user, event=event)
    for registration, (rating, useful, improve, again, named) in zip(registrations, PAST_FEEDBACK, strict=False):
        services.submit_feedback(user=registration.user, event=event, rating=rating, useful=useful,
                                 improve=improve, attend_again=again, named=named)
    return event


def _roundtable(staff: User, areas: dict[str, PolicyArea]) -> Event:
    event = Event.objects.filter(title=ROUNDTABLE).first()
    if event is not None:
        return event
    organisations = [Organisation.objects.get(name="UN Network on Migration – Secretariat"),
                     Organisation.objects.get(name="Intercultural Cities Programme")]
    starts = _at("America/New_York", 21, time(9, 0))
    event = services.create_event(
        actor=staff, organisations=organisations, kind=Event.Kind.ROUNDTABLE, title=ROUNDTABLE,
        summary="Mayors, city officials, researchers and civil society on managing diverse cities.",
        description=ROUNDTABLE_DESCRIPTION, policy_areas=areas.values(), starts_at=starts,
        ends_at=starts + timedelta(hours=4), timezone_name="America/New_York",
        venue="Conference Room 8, United Nations Headquarters", city="New York", country="US",
        webcast_url="https://webtv.example.org/crossroads-inter-ethnic-city", capacity=60,
    )
    speakers = [services.add_speaker(actor=staff, event=event, name=name, role=role, organisation_name=org)
                for name, role, org in SPEAKERS]
    for minutes, title, indexes in PROGRAMME:
        services.add_programme_item(actor=staff, event=event, starts_at=starts + timedelta(minutes=minutes),
                                    title=title, speakers=[speakers[i] for i in indexes])
    return services.publish_event(actor=staff, event=event)


@transaction.atomic
def build(stdout=None) -> None:
    staff = User.objects.get(email="staff@demo.crossroads.example")
    areas = {a.code: a for a in PolicyArea.objects.all()}
    generated = list(User.objects.filter(email__startswith="member", email__endswith="@demo.crossroads.example")
                     .order_by("email"))
    roundtable = _roundtable(staff, areas)
    questions = _questions(staff, roundtable)
    _register(roundtable, [User.objects.get(email="official@demo.crossroads.example"), *generated[:8]],
              answers=_roundtable_answers(questions))
    _past_workshop(areas, generated)

    for title, kind, format, org_name, zone, days, local, hours, capacity, extra in OTHER_EVENTS:
        extra = dict(extra)
        event = Event.objects.filter(title=title).first()
        if event is None:
            organisation = Organisation.objects.get(name=org_name)
            actor = _organiser(organisation)
            starts = _at(zone, days, local)
            recording_url, cancel = extra.pop("recording_url", ""), extra.pop("cancel", False)
            extra.setdefault("language", "en")  # written in English unless said otherwise
            extra.setdefault("description", extra["summary"])
            event = services.create_event(
                actor=actor, organisations=[organisation], kind=kind, format=format, title=title,
                policy_areas=[areas[c] for c in extra.pop("areas")],
                starts_at=starts, ends_at=starts + timedelta(hours=hours), timezone_name=zone, capacity=capacity,
                **extra)
            event = services.publish_event(actor=actor, event=event)
            if recording_url:
                event = services.publish_recording(actor=actor, event=event, recording_url=recording_url)
            if cancel:
                event = services.cancel_event(actor=actor, event=event,
                                              reason="The hall is being renovated; a new date follows.")
        if event.status != Event.Status.PUBLISHED or event.starts_at <= timezone.now():
            continue
        if title.startswith("Welcoming Newcomers"):
            _register(event, [User.objects.get(email="official@demo.crossroads.example"), *generated[8:20]])
        elif title.startswith("Anti-Rumours"):
            # Twelve seats, fifteen takers: three wait in line.
            _register(event, [User.objects.get(email="ngo@demo.crossroads.example"), *generated[20:34]])
        elif title.startswith("Housing First"):
            _register(event, generated[34:38])
