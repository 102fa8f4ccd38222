"""Demo requests for support, in three states, built through the services:

- a national ministry asks for peer review of its draft integration strategy (open, two offers waiting);
- a city asks for a study visit on housing for refugees (matched: one offer accepted, the group
  conversation open, another offer waiting);
- an NGO asks for help evaluating its mentoring programme (completed, the outcome turned into a draft
  good practice).

Idempotent: a request is found by its title and organisation, so a second run adds nothing.
"""

from accounts.models import Membership, Organisation, User
from core.models import Topic
from expertise import services
from expertise.models import SupportRequest

OFFICIAL = "official@demo.crossroads.example"  # Amina Haddad, City of Vienna
NGO = "ngo@demo.crossroads.example"  # Lukas Becker, Welcome Bridges e.V.
ADMIN = "admin@demo.crossroads.example"  # Sofia Marino, Comune di Milano

MINISTRY = "Ministry of Social Affairs – Integration Unit"
MILAN = "Comune di Milano – Migrant Services"
WELCOME_BRIDGES = "Welcome Bridges e.V."

REQUESTS = [
    {
        "organisation": MINISTRY, "author": None, "status": "open",
        "title": "Peer review of our draft national integration strategy 2027–2031",
        "kind": "peer-review", "country": "DK", "level": "national", "city": "", "languages": ["en", "da"],
        "effort": "weeks", "visibility": "public", "topics": ["employment", "citizenship", "language-learning"],
        "needs": "Denmark's Ministry of Social Affairs is drafting its **national integration strategy for "
                 "2027–2031**. Before public consultation we would like two or three peers to review the draft:\n\n"
                 "- Are the employment targets realistic, and how do others measure them?\n"
                 "- How do other countries link language courses to the path to citizenship?\n"
                 "- What did you learn from evaluating your own strategy?\n\n"
                 "The draft (about 40 pages) is in English. A written review and one online meeting would help.",
        "offers": [
            ("Federal Office for Migration and Refugees – Integration Division",
             "We evaluated Germany's integration courses in 2023 and can review the language and employment "
             "chapters, with a short written note.", "Two weeks in February", "en", "pending"),
            ("Migration Policy Research Institute",
             "Our team compares national integration strategies across Europe; we can review the whole draft "
             "against that comparison and join the online meeting.", "From March", "en", "pending"),
        ],
    },
    {
        "organisation": MILAN, "author": ADMIN, "status": "matched",
        "title": "Study visit on housing for refugees", "kind": "study-visit", "country": "IT", "level": "local",
        "city": "Milan", "languages": ["it", "en"], "effort": "days", "visibility": "public",
        "topics": ["housing", "access-to-rights"],
        "needs": "Milan is redesigning how refugees move from reception centres into ordinary housing. We would "
                 "like to **visit a city or organisation** that runs a programme of shared or supported housing "
                 "for refugees, meet the caseworkers and landlords, and see how tenancies are followed up.\n\n"
                 "A delegation of four (two officials, two caseworkers) could travel in spring.",
        "offers": [
            ("Refugee Housing Alliance",
             "We manage 600 homes for refugees in Amsterdam and can host your delegation for two days: visits to "
             "shared flats, a meeting with landlords and with our tenancy coaches.", "Two days in April", "en",
             "accepted"),
            ("City of Vienna – Department for Integration and Diversity",
             "Vienna's housing advice for newcomers could be part of the visit: one day with our advisers.",
             "May", "en", "pending"),
        ],
    },
    {
        "organisation": WELCOME_BRIDGES, "author": NGO, "status": "completed",
        "title": "Help evaluating our mentoring programme for newcomers", "kind": "data", "country": "DE",
        "level": "local", "city": "Berlin", "languages": ["de", "en"], "effort": "weeks", "visibility": "members",
        "topics": ["employment", "everyday-interaction"],
        "needs": "Welcome Bridges has matched 300 newcomers with local mentors since 2019. Funders now ask for an "
                 "**evaluation**: we need help choosing indicators, designing a short survey and reading the "
                 "results.",
        "offers": [
            ("Migration Policy Research Institute",
             "We can design the evaluation with you: indicators, a survey of mentors and mentees, and a "
             "workshop on the results.", "Six weeks from January", "en", "accepted"),
        ],
        "outcome": {
            "what_was_done": "The institute and Welcome Bridges chose six indicators, surveyed 180 mentees and "
                             "120 mentors, and discussed the results in a workshop with the funders.",
            "what_changed": "Matches now start with a goals conversation; mentors get a monthly peer meeting. "
                            "The evaluation is repeated every year.",
            "links": "https://example.org/welcome-bridges/evaluation-2026",
        },
    },
]


def _admin_of(organisation: Organisation) -> User:
    members = Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE,
                                        user__is_active=True).select_related("user").order_by("created_at")
    membership = members.filter(role=Membership.Role.ADMIN).first() or members.first()
    return membership.user


def _person(email: str | None, organisation: Organisation) -> User:
    if email:
        return User.objects.get(email=email)
    return _admin_of(organisation)


def build(stdout=None) -> None:
    organisations = {o.name: o for o in Organisation.objects.filter(
        name__in={MINISTRY, MILAN, WELCOME_BRIDGES, *(o[0] for r in REQUESTS for o in r["offers"])})}
    for spec in REQUESTS:
        organisation = organisations.get(spec["organisation"])
        if organisation is None or SupportRequest.objects.filter(organisation=organisation,
                                                                 title=spec["title"]).exists():
            continue
        author = _person(spec["author"], organisation)
        request = services.create_request(
            author=author, organisation=organisation, publish=True,
            topics=list(Topic.objects.filter(slug__in=spec["topics"])),
            **{k: spec[k] for k in ("title", "kind", "country", "level", "city", "languages", "effort",
                                    "visibility", "needs")})
        for name, proposal, timing, language, state in spec["offers"]:
            helper = organisations[name]
            offerer = User.objects.get(email=OFFICIAL) if helper.name.startswith("City of Vienna") \
                else _admin_of(helper)
            offer = services.make_offer(author=offerer, request=request, organisation=helper, proposal=proposal,
                                        timing=timing, language=language)
            if state == "accepted":
                services.accept_offer(actor=author, offer=offer)
        if spec["status"] == "completed":
            services.change_status(actor=author, request=request, to_status="in-progress")
            services.complete_request(actor=author, request=request, **spec["outcome"])
            services.draft_practice_from_outcome(actor=author, request=request)
    official = User.objects.filter(email=OFFICIAL).first()
    if official is not None:
        services.follow(user=official, topic=Topic.objects.get(slug="housing"))
