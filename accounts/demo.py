"""Demo network: about 30 organisations in 14 countries and 60 members, built through the services.

Idempotent: organisations are found by slug and members by e-mail, so a second run adds nothing.
"""

from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles, services
from accounts.models import Membership, Organisation, User
from core.models import PolicyArea, Topic

DEMO_PASSWORD = "crossroads-demo"

# (e-mail, full name, job title, time zone, what the login is for)
DEMO_LOGINS = [
    ("official@demo.crossroads.example", "Amina Haddad", "Integration officer, City of Vienna", "Europe/Vienna",
     "city official"),
    ("ngo@demo.crossroads.example", "Lukas Becker", "Programme coordinator, Welcome Bridges e.V.", "Europe/Berlin",
     "NGO staffer"),
    ("admin@demo.crossroads.example", "Sofia Marino", "Head of migrant services, Comune di Milano", "Europe/Rome",
     "organisation admin"),
    ("moderator@demo.crossroads.example", "Jonas Lindqvist", "Clearinghouse moderator", "Europe/Stockholm",
     "moderator"),
    ("staff@demo.crossroads.example", "Clara Dubois", "Clearinghouse staff", "Europe/Paris", "staff (Django admin)"),
]

# (name, kind, country, city, level, areas, topics, description)
ORGANISATIONS = [
    ("City of Vienna – Department for Integration and Diversity", "municipality", "AT", "Vienna", "local",
     ["socio-economic", "cultural"], ["language-learning", "employment", "intercultural-dialogue"],
     "Vienna's municipal department for integration runs language courses, start-up coaching for newcomers "
     "and a city-wide diversity monitor."),
    ("Comune di Milano – Migrant Services", "municipality", "IT", "Milan", "local",
     ["socio-economic", "legal-political"], ["housing", "access-to-rights", "employment"],
     "One-stop shop for residence permits, housing advice and job orientation."),
    ("Ville de Lyon – Mission Égalité", "municipality", "FR", "Lyon", "local",
     ["legal-political", "cultural"], ["anti-discrimination", "public-perceptions"],
     "Lyon's equality office handles discrimination complaints and runs awareness campaigns."),
    ("Stadt Leipzig – Referat für Migration und Integration", "municipality", "DE", "Leipzig", "local",
     ["socio-economic", "legal-political"], ["education", "political-participation"],
     "Coordinates Leipzig's migrant advisory council and school integration programmes."),
    ("Gemeente Utrecht – Integration", "municipality", "NL", "Utrecht", "local",
     ["socio-economic"], ["employment", "language-learning", "skills-recognition"],
     "Known for the 'Plan Einstein' approach: newcomers and neighbours learn together from day one."),
    ("Ajuntament de Barcelona – Interculturality Programme", "municipality", "ES", "Barcelona", "local",
     ["cultural"], ["intercultural-dialogue", "everyday-interaction", "public-perceptions"],
     "Barcelona's anti-rumours strategy trains agents who counter prejudice in everyday conversation."),
    ("Lisbon City Council – Migrant Support", "municipality", "PT", "Lisbon", "local",
     ["socio-economic", "legal-political"], ["access-to-rights", "health"],
     "Municipal centres for local migrant integration offering legal and health orientation."),
    ("City of Gothenburg – Newcomers' Unit", "municipality", "SE", "Gothenburg", "local",
     ["socio-economic"], ["employment", "education"], "Introduction programme for newly arrived residents."),
    ("City of Toronto – Newcomer Office", "municipality", "CA", "Toronto", "local",
     ["socio-economic", "legal-political"], ["access-to-rights", "employment", "citizenship"],
     "Toronto's Newcomer Strategy connects residents to services regardless of status."),
    ("Athens Municipality – Migrant Integration Council", "municipality", "GR", "Athens", "local",
     ["legal-political"], ["political-participation", "empowerment"],
     "Advisory council giving migrant residents a voice in municipal decisions."),
    ("Bergamo Municipality – Social Cohesion", "municipality", "IT", "Bergamo", "local",
     ["cultural"], ["sport-and-culture", "everyday-interaction"], "Neighbourhood culture and sport programmes."),
    ("City of Ghent – Integration and Civic Integration", "municipality", "BE", "Ghent", "local",
     ["socio-economic", "cultural"], ["language-learning", "intercultural-dialogue"],
     "Ghent's integration service, with 'language buddies' and neighbourhood mentors."),
    ("Regional Government of Catalonia – Migration Directorate", "government", "ES", "Barcelona", "regional",
     ["legal-political"], ["access-to-rights", "citizenship"], "Regional reception and integration policy."),
    ("Federal Office for Migration and Refugees – Integration Division", "government", "DE", "Nuremberg",
     "national", ["socio-economic"], ["language-learning", "employment"], "National integration courses."),
    ("Ministry of Social Affairs – Integration Unit", "government", "DK", "Copenhagen", "national",
     ["socio-economic", "legal-political"], ["employment", "citizenship"], "Danish national integration policy."),
    ("Welcome Bridges e.V.", "ngo", "DE", "Berlin", "local",
     ["socio-economic", "cultural"], ["employment", "everyday-interaction", "language-learning"],
     "Berlin NGO matching newcomers with local mentors for job search and everyday life."),
    ("Migrant Voice Network", "ngo", "GB", "London", "national",
     ["legal-political", "cultural"], ["empowerment", "media", "public-perceptions"],
     "Trains migrants as spokespeople and works with media to improve reporting on migration."),
    ("Refugee Housing Alliance", "ngo", "NL", "Amsterdam", "national",
     ["socio-economic"], ["housing"], "Finds and manages affordable housing for refugees and newcomers."),
    ("Casa dei Diritti", "ngo", "IT", "Rome", "local",
     ["legal-political"], ["access-to-rights", "anti-discrimination"], "Free legal aid for migrants in Rome."),
    ("Youth Without Borders", "ngo", "FR", "Marseille", "regional",
     ["legal-political", "cultural"], ["political-participation", "sport-and-culture", "empowerment"],
     "Youth participation projects with second-generation and newcomer young people."),
    ("Women's Integration Initiative", "ngo", "SE", "Malmö", "local",
     ["socio-economic"], ["employment", "entrepreneurship", "health"],
     "Entrepreneurship training and health information for migrant women."),
    ("Intercultural Dialogue Centre", "ngo", "PL", "Warsaw", "national",
     ["cultural"], ["intercultural-dialogue", "tolerance-of-diversity"], "Dialogue programmes in schools."),
    ("Migration Policy Research Institute", "research", "BE", "Brussels", "international",
     ["socio-economic", "legal-political", "cultural"], ["employment", "political-participation", "public-perceptions"],
     "Independent research on integration policy in Europe and beyond."),
    ("Centre on Migration, Policy and Society", "research", "GB", "Oxford", "international",
     ["socio-economic", "cultural"], ["housing", "everyday-interaction"], "Academic research centre."),
    ("Institute for Urban Diversity Studies", "research", "NL", "Rotterdam", "national",
     ["cultural"], ["public-perceptions", "tolerance-of-diversity"], "Studies of super-diverse cities."),
    ("Nordic Integration Research Lab", "research", "NO", "Oslo", "regional",
     ["socio-economic"], ["education", "skills-recognition"], "Longitudinal studies of newcomer education."),
    ("UN Network on Migration – Secretariat", "international", "CH", "Geneva", "international",
     ["legal-political", "socio-economic"], ["access-to-rights", "employment"],
     "Supports states in implementing the Global Compact for Migration."),
    ("Intercultural Cities Programme", "international", "FR", "Strasbourg", "international",
     ["cultural"], ["intercultural-dialogue", "public-perceptions"], "Council of Europe programme for cities."),
    ("Cities of Migration Foundation", "foundation", "CA", "Toronto", "international",
     ["socio-economic", "cultural"], ["entrepreneurship", "everyday-interaction"],
     "Collects and shares good ideas in immigrant integration from cities worldwide."),
    ("Eurocities Migration Working Group", "foundation", "BE", "Brussels", "international",
     ["socio-economic", "legal-political", "cultural"], ["housing", "political-participation"],
     "Network of European cities working on migration and integration."),
    ("Welcoming America Network", "foundation", "US", "Decatur", "national",
     ["cultural"], ["tolerance-of-diversity", "everyday-interaction"], "Network of welcoming communities."),
]

FIRST_NAMES = ["Ana", "Omar", "Elif", "Mateo", "Fatima", "Jan", "Chloé", "Daniel", "Yusuf", "Ingrid", "Priya",
               "Marek", "Leila", "Tomás", "Hannah", "Kwame", "Marta", "Nikos", "Sara", "Emre", "Aisha", "Pieter",
               "Giulia", "Ahmed", "Lucía", "Olga", "Samir", "Eva", "Idris", "Noor"]
LAST_NAMES = ["Rossi", "Nowak", "Yılmaz", "García", "Jensen", "Dubois", "Okafor", "Schmidt", "Haddad",
              "Papadopoulos", "Silva", "Virtanen", "Kowalski", "Moreau", "Ahmadi", "Bakker", "Costa", "Novak",
              "Larsen", "Mensah"]
JOB_TITLES = ["Integration officer", "Policy adviser", "Researcher", "Project manager", "Social worker",
              "Programme officer", "Community organiser", "Legal adviser", "Youth worker", "Head of unit"]
ZONE_BY_COUNTRY = {"AT": "Europe/Vienna", "IT": "Europe/Rome", "FR": "Europe/Paris", "DE": "Europe/Berlin",
                   "NL": "Europe/Amsterdam", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "SE": "Europe/Stockholm",
                   "CA": "America/Toronto", "GR": "Europe/Athens", "BE": "Europe/Brussels", "DK": "Europe/Copenhagen",
                   "GB": "Europe/London", "PL": "Europe/Warsaw", "NO": "Europe/Oslo", "CH": "Europe/Zurich",
                   "US": "America/New_York"}


def _member(email: str, full_name: str, job_title: str, tz: str, visibility: str, language: str = "en") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name,
                                        job_title=job_title, timezone=tz, profile_visibility=visibility,
                                        language=language)
        # Hashing once for all demo members keeps the load fast; each has the same demo password.
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        services.update_profile(user=user, bio=f"{job_title}. Happy to exchange with peers working on "
                                               "similar challenges.")
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _join(user: User, organisation: Organisation, role: str, admin: User) -> None:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = services.request_membership(user=user, organisation=organisation)
    if not membership.is_active:
        services.approve_membership(actor=admin, organisation=organisation, membership_id=membership.pk)
    if membership.role != role and role != Membership.Role.MEMBER:
        services.change_member_role(actor=admin, organisation=organisation, membership_id=membership.pk, role=role)


# Members of French- and Spanish-speaking organisations use the platform in French or Spanish: their pages,
# mails and notifications come in it.
LANGUAGE_BY_COUNTRY = {"FR": "fr", "ES": "es"}


def _generated_member(n: int, organisation_country: str, organisation_name: str) -> User:
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]
    return _member(f"member{n + 1:02d}@demo.crossroads.example", f"{first} {last}",
                   f"{JOB_TITLES[n % len(JOB_TITLES)]}, {organisation_name.split(' – ')[0]}",
                   ZONE_BY_COUNTRY.get(organisation_country, "UTC"),
                   User.Visibility.PUBLIC if n % 3 else User.Visibility.MEMBERS,
                   LANGUAGE_BY_COUNTRY.get(organisation_country, "en"))


@transaction.atomic
def build(stdout=None) -> None:
    logins = {email: _member(email, name, job, tz, User.Visibility.PUBLIC) for email, name, job, tz, _ in DEMO_LOGINS}
    staff = logins["staff@demo.crossroads.example"]
    if not staff.is_staff:
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])
    logins["moderator@demo.crossroads.example"].groups.add(Group.objects.get(name=roles.MODERATORS))

    areas = {a.code: a for a in PolicyArea.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    organisations, founders = [], []
    for i, (name, kind, country, city, level, area_codes, topic_slugs, description) in enumerate(ORGANISATIONS):
        # Each organisation is founded by one of its own people; Sofia Marino founds Milan's.
        founder = (logins["admin@demo.crossroads.example"] if i == 1
                   else _generated_member(i, country, name))
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = services.found_organisation(
                founder=founder, name=name, kind=kind, country=country, city=city, level=level,
                website=f"https://example.org/{organisation_slug_hint(name)}", description=description,
                policy_areas=[areas[c] for c in area_codes], topics=[topics[s] for s in topic_slugs],
            )
        if not organisation.verified:
            services.set_organisation_verified(actor=staff, organisation=organisation, verified=True)
        organisations.append(organisation)
        founders.append(founder)

    by_name = {o.name: (o, f) for o, f in zip(organisations, founders, strict=True)}
    for email, org_name, role in [
        ("official@demo.crossroads.example", "City of Vienna – Department for Integration and Diversity",
         Membership.Role.MEMBER),
        ("ngo@demo.crossroads.example", "Welcome Bridges e.V.", Membership.Role.ORGANISER),
        ("moderator@demo.crossroads.example", "Migration Policy Research Institute", Membership.Role.MEMBER),
        ("staff@demo.crossroads.example", "Eurocities Migration Working Group", Membership.Role.ORGANISER),
    ]:
        organisation, admin = by_name[org_name]
        _join(logins[email], organisation, role, admin)

    # More members join the organisations, some as organisers of events.
    for n in range(len(ORGANISATIONS), 55):
        organisation, admin = by_name[ORGANISATIONS[n % len(ORGANISATIONS)][0]]
        user = _generated_member(n, organisation.country.code, organisation.name)
        _join(user, organisation, Membership.Role.ORGANISER if n % 3 == 0 else Membership.Role.MEMBER, admin)

    # One open join request, so the organisation admin has something to approve.
    milan, _ = by_name["Comune di Milano – Migrant Services"]
    newcomer = _member("newcomer@demo.crossroads.example", "Rania Aziz", "Social worker", "Europe/Rome",
                       User.Visibility.PUBLIC, language="ar")  # uses the platform in Arabic
    if not Membership.objects.filter(user=newcomer, organisation=milan).exists():
        services.request_membership(user=newcomer, organisation=milan,
                                    message="I coordinate the Sunday language café in Milan.")


def organisation_slug_hint(name: str) -> str:
    return name.split(" – ")[0].lower().replace(" ", "-").replace(".", "")
