"""Demo forums: a category per policy area, general ones, a municipalities-only category, two dozen
practitioner discussions with replies, discussions of two events, and one open report in the queue.

Idempotent: categories are found by slug and topics by title, so a second run adds nothing.
Posts go through the services, spread over many demo members so that none reaches the posting limit.
"""

import itertools

from accounts.models import Organisation, User
from core.extensions import DISCUSSABLE
from core.models import PolicyArea
from forums import services
from forums.models import Category, Post, Tag, Topic
from forums.text import handle_of
from moderation.models import Report
from moderation.services import file_report

# (slug, name, description, policy-area code or None, visibility, allowed organisation kinds)
CATEGORIES = [
    ("socio-economic", "Socio-economic integration",
     "Employment, entrepreneurship, housing, health and education.", "socio-economic", "public", []),
    ("legal-political", "Legal and political integration",
     "Political participation, empowerment and anti-discrimination law.", "legal-political", "public", []),
    ("cultural", "Cultural integration",
     "Public perceptions, diversity, intercultural dialogue and everyday interaction.", "cultural", "public", []),
    ("introductions", "Introductions and general",
     "Say who you are and what you work on; questions that fit nowhere else.", None, "public", []),
    ("municipal-practitioners", "Municipal practitioners",
     "For staff of municipalities only: budgets, procurement, council politics, candid exchange.", None,
     "restricted", [Organisation.Kind.MUNICIPALITY]),
    ("members-lounge", "Members' lounge",
     "For signed-in members: calls for partners, job posts, event follow-ups.", None, "members", []),
]

# (category slug, title, opening post, replies)
TOPICS = [
    ("legal-political", "Youth councils with migrant-background members: what made them last?",
     "Our city set up a youth advisory council two years ago. Turnout of young people with a migrant "
     "background dropped after the first year. Which cities kept them engaged, and how?",
     ["In Leipzig we pay a small allowance per session and meet in youth centres, not at city hall. "
      "Attendance doubled.",
      "Give the council a real budget line, even a small one. Ours decides on 20,000 € a year of "
      "neighbourhood projects, and that changed everything.",
      "We co-chair with a young person and rotate the chair every six months."]),
    ("legal-political", "Anti-discrimination law at city level: local ordinances that work",
     "National law sets the frame, but several cities have their own anti-discrimination ordinances or "
     "charters. Has anyone evaluated whether a local ordinance changed complaint numbers or outcomes?",
     ["Lyon's equality office counts complaints by ground since 2019; numbers rose at first, which we "
      "read as trust rather than more discrimination.",
      "The key for us was an independent local ombudsperson with the power to mediate with landlords.",
      "Worth reading: the ECRI general policy recommendation on national specialised bodies; most of it "
      "applies to local offices too."]),
    ("socio-economic", "Housing for newcomers: social letting agencies vs. shared flats",
     "We are deciding between funding a social letting agency and a shared-flat programme for young "
     "refugees leaving reception. Experiences with either?",
     ["Social letting agencies in Ghent worked well for families; for single young men shared flats with "
      "a local flatmate were easier to find.",
      "Guarantee funds for deposits unlocked more private landlords than anything else we tried.",
      "Watch out for overcrowding: set a minimum space per tenant in the contract.",
      "Plan Einstein in Utrecht mixed newcomers and local young people in one building; worth a look."]),
    ("socio-economic", "Recognition of foreign qualifications: speeding up the process",
     "Nurses and teachers wait 12–18 months for recognition here. What have cities done while people wait?",
     ["Bridge jobs: assistant roles in the same field keep skills fresh and count as work experience.",
      "We pay for the translation of diplomas and an adviser who prepares the file; waiting time halved."]),
    ("socio-economic", "Language courses with childcare: who pays?",
     "Mothers drop out of language courses for lack of childcare. Who funds the childcare in your city?",
     ["Our adult education centre runs a crèche next to the classroom, paid from the integration budget.",
      "We pair courses with kindergarten opening hours and teach in the school building."]),
    ("socio-economic", "Migrant entrepreneurs and access to microcredit",
     "Banks refuse loans without credit history. Which microcredit schemes reach newcomer entrepreneurs?",
     ["A guarantee from the municipality lowered the banks' risk enough to open loans of up to 15,000 €.",
      "Mentoring by retired business owners matters as much as the money."]),
    ("socio-economic", "Health mediators in reception centres",
     "Do you employ health mediators from migrant communities? How are they trained and paid?",
     ["Lisbon trains community health mediators in a 120-hour course with the national health service.",
      "Ours are employed by the hospital, not the NGO, which made doctors take them seriously."]),
    ("socio-economic", "School enrolment mid-year: welcome classes or direct placement?",
     "Children arrive all year round. Do you place them in welcome classes or directly in regular classes?",
     ["Direct placement with a few hours of language support a day worked better for primary school.",
      "For secondary school we keep a short welcome class, six months at most."]),
    ("cultural", "Anti-rumour agents: training the trainers",
     "Barcelona's anti-rumours strategy is widely copied. How long is your training for anti-rumour agents "
     "and who takes part?",
     ["Ours is 12 hours over three evenings; librarians and shop owners are the best agents.",
      "Role play of real conversations from the bus or the market made the difference."]),
    ("cultural", "Measuring public perceptions of migration locally",
     "Which indicators do you use to track local public perceptions over time? National surveys are too coarse.",
     ["We added four questions to the city's annual residents' survey; cheap and comparable over years.",
      "Media monitoring of local news, coded by tone, gives an early signal before surveys do."]),
    ("cultural", "Intercultural festivals: beyond food and dance",
     "Our festival draws crowds but does little for everyday contact. Ideas for formats that create lasting "
     "ties?",
     ["Neighbourhood dinners where each table mixes residents by lot, with a host who knows both sides.",
      "Repair cafés and community gardens: people meet around a shared task, again and again."]),
    ("cultural", "Sport clubs as integration partners",
     "Football clubs open their doors, but newcomers leave after a few months. What keeps them?",
     ["Waive the fees for a year and pay for the kit; drop-outs were mostly about money.",
      "Train coaches on trauma-aware coaching; the club became a safe place, not just a pitch."]),
    ("cultural", "Local media and the words we use",
     "Has anyone worked with local newspapers on a glossary for reporting on migration?",
     ["Migrant Voice ran workshops with editors; a one-page glossary ended up on every desk.",
      "Invite journalists to your projects, not only to press conferences."]),
    ("legal-political", "Migrant advisory councils: elected or appointed?",
     "We are reforming our migrant advisory council. Elections had 4% turnout. Appointment feels less "
     "legitimate. What do you do?",
     ["Athens mixes both: half elected by community associations, half by open call.",
      "Turnout rose when voting was possible at the citizens' office and online."]),
    ("legal-political", "Access to services regardless of status: 'don't ask, don't tell' policies",
     "Toronto and others have access-without-fear policies. How do you train frontline staff to apply them?",
     ["Scripts for the counter: what not to ask, and what to answer when someone asks about status.",
      "Data protection officers were our best allies in writing the internal guidance."]),
    ("legal-political", "Family reunification: supporting families after arrival",
     "Reunited families often struggle in the first year. What support do cities offer?",
     ["A family coach for the first six months, with a first home visit within two weeks of arrival.",
      "Children's school enrolment is the moment to reach the whole family."]),
    ("introductions", "Introduce yourself: who is here?",
     "Welcome to the Crossroads forums! Tell us your name, city and what you work on.",
     ["Integration officer in Vienna, working on language and employment programmes.",
      "Programme coordinator at an NGO in Berlin; we match newcomers with mentors.",
      "Researcher on local integration policies, based in Amsterdam."]),
    ("introductions", "How do you use this platform in your team?",
     "We share practices here before our monthly team meeting. How do others use it?",
     ["We watch the categories of our policy area and discuss new topics on Mondays."]),
    ("municipal-practitioners", "Budget for interpreters: how do you fund it?",
     "Interpreting costs in our social services grew threefold. How do other municipalities budget for it?",
     ["A city-wide framework contract cut our hourly rate by a third.",
      "Video interpreting for short appointments; in person only for sensitive cases.",
      "We train bilingual staff and pay a language allowance."]),
    ("municipal-practitioners", "Council politics: keeping integration funding through a change of majority",
     "Elections next spring. How did you protect integration programmes through a change of majority?",
     ["Evidence and local champions: employers and school heads defended our programmes, not us.",
      "Tie programmes to statutory duties where you can; discretionary lines are cut first."]),
    ("municipal-practitioners", "Procurement of integration courses: quality criteria",
     "Lowest price won our last tender and quality dropped. Which award criteria do you use?",
     ["We weight quality at 70%: teacher qualifications, childcare, and completion rates of past courses."]),
    ("members-lounge", "Call for partners: EU project on newcomer employment",
     "We are preparing an application on employment pathways for newcomers and look for two municipal "
     "partners in southern Europe.",
     ["Interested — Bergamo has a running programme with local employers; let's talk."]),
    ("members-lounge", "Follow-up: roundtable on housing",
     "Thanks to everyone who joined the roundtable on housing. Notes and slides will be shared here.",
     ["Thank you for organising; the session on guarantee funds was very useful."]),
]

# Categories whose topics are questions with an accepted answer, and the tags moderators keep.
QUESTION_CATEGORIES = {"municipal-practitioners"}
DEMO_TAGS = ["Funding", "Housing", "Language", "Employment", "Youth"]

REPORT_REASON = "This reads like an advertisement for a paid consultancy, not an exchange of practice."
SPAM_REPLY = ("Our consultancy solves all integration problems in 30 days. Contact us for a quote, "
              "special price for municipalities this month only!")


def _categories() -> dict[str, Category]:
    areas = {area.code: area for area in PolicyArea.objects.all()}
    found = {}
    for position, (slug, name, description, area, visibility, kinds) in enumerate(CATEGORIES):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = services.create_category(
                name=name, slug=slug, description=description, policy_area=areas.get(area), position=position,
                visibility=visibility, allowed_organisation_kinds=kinds,
                start_topics=Category.Access.RESTRICTED if kinds else Category.Access.READERS,
                reply=Category.Access.RESTRICTED if kinds else Category.Access.READERS,
                question_style=slug in QUESTION_CATEGORIES,
            )
        found[slug] = category
    return found


def build(stdout=None) -> None:
    categories = _categories()
    members = list(User.objects.filter(email__startswith="member", email__endswith="@demo.crossroads.example")
                   .order_by("email"))
    municipal = list(User.objects.filter(memberships__status="active", memberships__organisation__verified=True,
                                         memberships__organisation__kind=Organisation.Kind.MUNICIPALITY,
                                         email__endswith="@demo.crossroads.example").distinct().order_by("email"))
    if not members or not municipal:
        return
    everyone, cities = itertools.cycle(members), itertools.cycle(municipal)
    for slug, title, opening, replies in TOPICS:
        if Topic.objects.filter(title=title).exists():
            continue
        authors = cities if slug == "municipal-practitioners" else everyone
        topic = services.start_topic(author=next(authors), category=categories[slug], title=title, body=opening,
                                     language="en")
        for body in replies:
            services.reply_to_topic(author=next(authors), topic=topic, body=body)

    housing = Topic.objects.get(title=TOPICS[2][1])
    if not Post.objects.filter(topic=housing, body=SPAM_REPLY).exists():
        first = housing.posts.order_by("created_at").first()
        mention = f"@{handle_of(first.author)}" if first.author else ""
        services.reply_to_topic(author=members[-1], topic=housing,
                                body=f"{mention} have you looked at guarantee funds? They worked for us.")
        services.reply_to_topic(author=members[-2], topic=housing, body=SPAM_REPLY)
    spam = Post.objects.get(topic=housing, body=SPAM_REPLY)
    if not Report.objects.filter(target_id=spam.pk, reason=REPORT_REASON).exists():
        file_report(reporter=members[0], target=spam, reason=REPORT_REASON)

    # The first public events get their discussion topics, with a reply, as members would start them.
    events = DISCUSSABLE["event"].public_subjects() if "event" in DISCUSSABLE else []
    for event, author in zip(events[:2], members[5:7], strict=False):
        topic = services.open_discussion(member=author, subject=event)
        if topic.reply_count == 0:
            services.reply_to_topic(author=members[8], topic=topic,
                                    body="Looking forward to it. Will the slides be shared afterwards?")

    _tags_and_answers()


def _tags_and_answers() -> None:
    """Tags kept by the demo moderator, a few topics tagged, and an accepted answer in a question category."""
    moderator = User.objects.filter(email="moderator@demo.crossroads.example").first()
    if moderator is None:
        return
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=DEMO_TAGS)}
    for name in DEMO_TAGS:
        if name not in tags:
            tags[name] = services.create_tag(moderator=moderator, name=name)
    for title_part, names in (("interpreters", ["Funding", "Language"]), ("housing", ["Housing"]),
                              ("Youth councils", ["Youth"]), ("employment", ["Employment"])):
        topic = Topic.objects.filter(title__icontains=title_part).order_by("pk").first()
        if topic is not None and not topic.tags.exists():
            services.set_topic_tags(moderator=moderator, topic=topic, tags=[tags[n] for n in names])
    question = Topic.objects.filter(title="Budget for interpreters: how do you fund it?",
                                    category__question_style=True, accepted_answer__isnull=True).first()
    if question is not None:
        answer = question.posts.filter(status=Post.Status.PUBLISHED).order_by("created_at", "id")[1:2].first()
        if answer is not None:
            services.accept_answer(actor=question.author, post=answer)
