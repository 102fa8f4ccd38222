"""Benchmark data: a deterministic data set at a chosen scale, written in bulk, one generator per app.

Run by `python -m bench` (see bench/run.py), or alone on an empty, migrated database:
`DEBUG=0 SECRET_KEY=... python -m bench.generate --scale 0.05`.

The generator is a benchmark tool, not a service: it writes rows in bulk (COPY on PostgreSQL) for speed, but keeps
every invariant the apps' services keep (an active admin per organisation, stored *_html rendered
from the Markdown, unique slugs ...). Totals scale with `--scale`; what one measured page shows (the
flagship organisation's members, the topic with 200 posts, the bench member's own data) does not, so
that a page's latency at 10x can be compared with 1x.
"""

import argparse
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import django

# Row counts at scale 1 (issue 7): 5,000 organisations, 20,000 members, 10,000 practices, 2,000 resources,
# 2,000 events with 100,000 registrations, 500 forum topics averaging 40 posts, 200,000 chat messages.
VOLUMES_1X = {
    "organisations": 5_000,
    "members": 20_000,
    "notifications": 40_000,
    "practices": 10_000,
    "resources": 2_000,
    "events": 2_000,
    "registrations": 100_000,
    "forum_topics": 500,
    "forum_posts": 20_000,
    "chat_messages": 200_000,
}
SEED = 20261123
PASSWORD = "bench-password-never-used-in-production"
DOMAIN = "bench.crossroads.example"
BENCH_EMAIL = f"bench@{DOMAIN}"
FLAGSHIP_SLUG = "bench-flagship-city-of-integration"
FLAGSHIP_EVENT_SLUG = "bench-flagship-roundtable-on-language-learning"
FLAGSHIP_TOPIC_TITLE = "Language cafés that last: what kept yours going? (bench flagship)"
FLAGSHIP_TOPIC_POSTS = 200
CHAT_GROUP_PREFIX = "Bench load group"
CHAT_GROUP_SIZE = 100
BENCH_CONVERSATIONS = 40
FLAGSHIP_PRACTICE_SLUG = "bench-flagship-practice-language-buddies"
FILES_CONVERSATION_TITLE = "Bench: files and reactions"
FILES_CONVERSATION_MESSAGES = 50
FEED_TOKEN = "bench-personal-feed-token-0123456789abcdefghijklmnopq"
# Fixed sizes of what single measured pages show; they do not grow with the scale.
FLAGSHIP_MEMBERS = 120
BENCH_NOTIFICATIONS = 60
CHAT_CLIENTS = 1_000

COUNTRIES = [
    ("AT", ["Vienna", "Graz", "Linz"]), ("DE", ["Berlin", "Leipzig", "Hamburg", "Munich"]),
    ("IT", ["Milan", "Bergamo", "Turin", "Palermo"]), ("FR", ["Lyon", "Marseille", "Paris"]),
    ("NL", ["Utrecht", "Rotterdam"]), ("ES", ["Barcelona", "Madrid", "Valencia"]), ("PT", ["Lisbon", "Porto"]),
    ("SE", ["Gothenburg", "Malmö"]), ("GR", ["Athens", "Thessaloniki"]), ("BE", ["Ghent", "Brussels"]),
    ("DK", ["Copenhagen", "Aarhus"]), ("PL", ["Warsaw", "Gdańsk"]), ("CA", ["Toronto", "Montréal"]),
    ("GB", ["London", "Glasgow"]), ("IE", ["Dublin"]), ("FI", ["Helsinki"]), ("NO", ["Oslo"]),
    ("CH", ["Zurich", "Geneva"]), ("TR", ["Istanbul", "Gaziantep"]), ("JO", ["Amman"]), ("LB", ["Beirut"]),
    ("MA", ["Rabat", "Casablanca"]), ("US", ["Chicago", "New York"]), ("CZ", ["Prague"]), ("HU", ["Budapest"]),
]
TIMEZONES = ["Europe/Vienna", "Europe/Berlin", "Europe/Rome", "Europe/Paris", "Europe/Madrid", "Europe/Lisbon",
             "Europe/Stockholm", "Europe/Athens", "America/Toronto", "Europe/London", "Asia/Amman", "UTC"]
FIRST_NAMES = ["Amina", "Lukas", "Sofia", "Jonas", "Clara", "Omar", "Elena", "Mateo", "Fatima", "Noah", "Leila",
               "Jan", "Maria", "Yusuf", "Ana", "Pieter", "Ines", "Tariq", "Zeynep", "Marek", "Hana", "Diego",
               "Aylin", "Karim", "Ingrid", "Samir", "Lea", "Nikos", "Rania", "Tomás"]
LAST_NAMES = ["Haddad", "Becker", "Marino", "Lindqvist", "Dubois", "Nowak", "Rossi", "Yilmaz", "García", "Janssen",
              "Silva", "Papadopoulos", "Novak", "Khalil", "Andersen", "Costa", "Moreau", "Schmidt", "Kaya", "Horvat",
              "Murphy", "Nieminen", "Benali", "Fischer", "Ortega"]
WORDS = ["integration", "newcomers", "mentoring", "language", "housing", "employment", "dialogue", "participation",
         "neighbourhood", "rights", "schools", "skills", "health", "entrepreneurs", "volunteers", "municipal",
         "welcome", "orientation", "diversity", "citizenship", "women", "youth", "refugees", "labour", "market",
         "councils", "culture", "sport", "media", "anti-rumours", "coaching", "recognition", "family", "civic"]
PARAGRAPHS = [
    "Our team works with **newcomers** and long-term residents on {a} and {b}. We run weekly sessions in "
    "three neighbourhoods and publish what we learn.",
    "The programme started in {year} as a pilot on {a}. It now reaches several hundred people a year:\n\n"
    "- one-to-one {b} coaching\n- group workshops\n- a referral network with local employers",
    "We evaluate every cycle with the participants. The main lesson so far: {a} works when it is tied to "
    "{b}, and when the city, NGOs and employers share one plan. See [our report](https://example.org/report).",
    "## Approach\n\nPeer mentors who arrived a few years earlier guide new arrivals through {a}. "
    "Mentors receive training on {b} and meet monthly to compare notes.",
]


# The vocabulary: several hundred real words per language (Faker's word lists, from the dev dependencies),
# drawn with a Zipf-like spread (the word of rank r about 1/r as often as the most frequent), so that a
# search term matches a share of the rows that depends on its rank, as in real text. English starts with
# the field's own words. Practices are written in several languages, each indexed in its own.
ZIPF_EXPONENT = 1.0
VOCABULARY_LOCALES = {"en": "en_US", "fr": "fr_FR", "es": "es_ES", "ar": "ar_AA", "ru": "ru_RU", "zh": "zh_CN"}
# The practices' languages (those directory.models.CONTENT_LANGUAGES knows; the others are skipped), in turn.
PRACTICE_LANGUAGES = ["en", "en", "en", "fr", "es", "ar", "ru", "zh"]
# Distinct paragraphs per language, each rendered to HTML once; a text is a few of them.
PARAGRAPH_POOL = 1_500
# Search terms by rank in the English vocabulary: the first word of at least 6 letters at or after the rank.
SEARCH_TERM_RANKS = {"common": 0, "medium": 60, "rare": 700}

_VOCABULARIES: dict[str, list[str]] = {}


def vocabulary(language: str) -> list[str]:
    """The language's words, most frequent first (a fixed shuffle of Faker's list; English: WORDS first)."""
    if language not in _VOCABULARIES:
        from importlib import import_module

        words = list(dict.fromkeys(
            w.lower() for w in import_module(f"faker.providers.lorem.{VOCABULARY_LOCALES[language]}").Provider.word_list
            if w.strip()))
        random.Random(f"{SEED}-{language}").shuffle(words)
        if language == "en":
            words = WORDS + [w for w in words if w not in WORDS]
        _VOCABULARIES[language] = words
    return _VOCABULARIES[language]


def search_terms() -> dict[str, str]:
    """A rare, a medium and a common English term of the data set, for the search pages (bench/pages.py)."""
    words = vocabulary("en")
    terms = {}
    for frequency, rank in SEARCH_TERM_RANKS.items():
        terms[frequency] = next(w for w in words[rank:] if len(w) >= 6 and w.isalpha())
    return terms


@dataclass
class Context:
    """What the generators share: the random source, the scale and the rows made so far."""

    scale: float
    rng: random.Random
    now: datetime
    password_hash: str
    user_ids: list[int] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    # Active members of each organisation, for rows only a member may write (practices, events).
    active_members: dict[int, list[int]] = field(default_factory=dict)
    # Active organisers and admins of each organisation: who may run its events.
    runners: dict[int, list[int]] = field(default_factory=dict)
    chat_clients: int = CHAT_CLIENTS
    bench_user_id: int = 0
    chat_user_ids: list[int] = field(default_factory=list)
    _html: dict[str, str] = field(default_factory=dict)
    _pools: dict[str, list[str]] = field(default_factory=dict)
    _weights: dict[str, list[float]] = field(default_factory=dict)

    def count(self, volume: str) -> int:
        return max(1, round(VOLUMES_1X[volume] * self.scale))

    def words(self, n: int, language: str = "en") -> list[str]:
        """n words of the language, drawn with the vocabulary's Zipf-like spread."""
        words = vocabulary(language)
        if language not in self._weights:
            total, cumulative = 0.0, []
            for rank in range(len(words)):
                total += 1 / (rank + 1) ** ZIPF_EXPONENT
                cumulative.append(total)
            self._weights[language] = cumulative
        return self.rng.choices(words, cum_weights=self._weights[language], k=n)

    def sentence(self, language: str = "en") -> str:
        words = self.words(self.rng.randint(8, 20), language)
        return " ".join(words).capitalize() + "."

    def _paragraph(self, language: str) -> str:
        if language == "en":
            a, b = self.words(2)
            return (self.rng.choice(PARAGRAPHS).format(a=a, b=b, year=self.rng.randint(2012, 2025))
                    + " " + self.sentence())
        return " ".join(self.sentence(language) for _ in range(self.rng.randint(2, 4)))

    def text(self, paragraphs: int = 2, language: str = "en") -> str:
        """Deterministic Markdown of a few paragraphs from the language's pool; its HTML is known at once."""
        pool = self._pools.get(language)
        if pool is None:
            pool = self._pools[language] = [self._paragraph(language) for _ in range(PARAGRAPH_POOL)]
        parts = [self.rng.choice(pool) for _ in range(paragraphs)]
        text = "\n\n".join(parts)
        if text not in self._html:
            self._html[text] = "\n".join(self.html(part) for part in parts)
        return text

    def html(self, text: str) -> str:
        """The stored HTML of a Markdown text, rendered once per distinct text as the services do."""
        from core.markdown import render_markdown

        if text not in self._html:
            self._html[text] = render_markdown(text)
        return self._html[text]

    def title(self, words: int = 4, language: str = "en") -> str:
        return " ".join(dict.fromkeys(self.words(words, language))).capitalize()

    def past(self, days: int = 720) -> datetime:
        return self.now - timedelta(seconds=self.rng.randint(60, days * 86_400))

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


def bulk(model: type, rows: Iterable, batch_size: int = 2_000) -> list:
    """Write the rows, returning them with their primary keys: PostgreSQL's COPY, else bulk_create in batches.

    COPY writes what bulk_create would (each field's pre_save and database value, auto_now_add included
    unless explicit_timestamps() lifted it); the primary keys are drawn from the table's sequence first.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return _copy(model, list(rows))
    created: list = []
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            created.extend(model.objects.bulk_create(batch))
            batch = []
    if batch:
        created.extend(model.objects.bulk_create(batch))
    return created


def _copy(model: type, objects: list) -> list:
    from django.db import connection
    from psycopg import sql

    if not objects:
        return objects
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
    with connection.cursor() as cursor:
        missing = [obj for obj in objects if obj.pk is None]
        if missing:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(missing)])
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(meta.db_table), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields))
        with cursor.cursor.copy(statement) as copy:
            for obj in objects:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


@contextmanager
def explicit_timestamps(*fields: tuple[type, str]) -> Iterator[None]:
    """Let bulk_create keep the given auto_now_add timestamps: history must be spread over time, not now."""
    saved = [(model._meta.get_field(name), model._meta.get_field(name).auto_now_add) for model, name in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def generate_accounts(ctx: Context) -> None:
    """Members with verified e-mail addresses, organisations with taxonomy, memberships with an admin each."""
    from allauth.account.models import EmailAddress
    from django.utils.text import slugify

    from accounts.models import Membership, Organisation, User
    from core.models import PolicyArea, Topic

    rng = ctx.rng
    bench_user = User(email=BENCH_EMAIL, full_name="Bench Member", job_title="Integration officer",
                      timezone="Europe/Vienna", password=ctx.password_hash,
                      profile_visibility=User.Visibility.PUBLIC)
    members = [bench_user]
    for i in range(ctx.count("members") - 1 + ctx.chat_clients):
        bio = ctx.text(1) if i % 5 == 0 else ""
        members.append(User(
            email=f"member{i:06d}@{DOMAIN}", full_name=ctx.person_name(), job_title=ctx.title(2),
            bio=bio, bio_html=ctx.html(bio), timezone=rng.choice(TIMEZONES), password=ctx.password_hash,
            profile_visibility=User.Visibility.PUBLIC if i % 3 else User.Visibility.MEMBERS,
            date_joined=ctx.past(),
        ))
    users = bulk(User, members)
    ctx.bench_user_id = users[0].pk
    # The chat load's clients are ordinary members, made on top of the scaled count.
    ctx.chat_user_ids = [u.pk for u in users[len(users) - ctx.chat_clients:]]
    ctx.user_ids = [u.pk for u in users]
    bulk(EmailAddress, (EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users))

    areas = list(PolicyArea.objects.all())
    topics = list(Topic.objects.all())
    organisations = [Organisation(
        name="City of Integration (bench flagship)", slug=FLAGSHIP_SLUG, kind=Organisation.Kind.MUNICIPALITY,
        country="AT", city="Vienna", level="local", description=ctx.text(3), verified=True,
        verified_at=ctx.now, created_by_id=ctx.bench_user_id)]
    organisations[0].description_html = ctx.html(organisations[0].description)
    kinds = [k for k, _ in Organisation.Kind.choices]
    levels = ["local", "local", "regional", "national", "international"]
    for i in range(ctx.count("organisations") - 1):
        country, cities = rng.choice(COUNTRIES)
        city = rng.choice(cities)
        kind = rng.choice(kinds)
        name = f"{city} {ctx.title(2)} {dict(Organisation.Kind.choices)[kind]} {i}"
        description = ctx.text(2)
        verified = i % 10 != 0
        organisations.append(Organisation(
            name=name, slug=f"{slugify(name)[:180]}-{i}", kind=kind, country=country, city=city,
            level=rng.choice(levels), website=f"https://org{i}.example.org", description=description,
            description_html=ctx.html(description), verified=verified, verified_at=ctx.now if verified else None,
            last_activity_at=ctx.past(365),
        ))
    organisations = bulk(Organisation, organisations)
    ctx.organisation_ids = [o.pk for o in organisations]

    area_rows, topic_rows = [], []
    for org in organisations:
        chosen = rng.sample(topics, rng.randint(1, 3))
        topic_rows += [Organisation.topics.through(organisation_id=org.pk, topic_id=t.pk) for t in chosen]
        # A sub-topic implies its area (accounts.services._set_taxonomy).
        area_ids = {t.area_id for t in chosen} | ({rng.choice(areas).pk} if rng.random() < 0.3 else set())
        area_rows += [Organisation.policy_areas.through(organisation_id=org.pk, policyarea_id=a) for a in area_ids]
    bulk(Organisation.topics.through, topic_rows)
    bulk(Organisation.policy_areas.through, area_rows)

    # Every organisation keeps an active admin; members join one to three organisations.
    flagship = organisations[0].pk
    pairs: set[tuple[int, int]] = set()
    rows = []

    def join(user_id: int, org_id: int, role: str, status: str) -> None:
        if (user_id, org_id) not in pairs:
            pairs.add((user_id, org_id))
            rows.append(Membership(user_id=user_id, organisation_id=org_id, role=role, status=status,
                                   decided_at=ctx.now if status == Membership.Status.ACTIVE else None))

    join(ctx.bench_user_id, flagship, Membership.Role.ADMIN, Membership.Status.ACTIVE)
    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    for org_id in ctx.organisation_ids[1:]:
        join(rng.choice(general), org_id, Membership.Role.ADMIN, Membership.Status.ACTIVE)
    for org_id in rng.sample(ctx.organisation_ids[1:], min(2, len(ctx.organisation_ids) - 1)):
        join(ctx.bench_user_id, org_id, Membership.Role.ORGANISER, Membership.Status.ACTIVE)
    for user_id in general[:FLAGSHIP_MEMBERS]:
        join(user_id, flagship, Membership.Role.MEMBER, Membership.Status.ACTIVE)
    for user_id in general[FLAGSHIP_MEMBERS:FLAGSHIP_MEMBERS + 5]:
        join(user_id, flagship, Membership.Role.MEMBER, Membership.Status.PENDING)
    for user_id in general:
        for org_id in rng.sample(ctx.organisation_ids, min(rng.randint(1, 3), len(ctx.organisation_ids))):
            status = Membership.Status.PENDING if rng.random() < 0.05 else Membership.Status.ACTIVE
            role = Membership.Role.ORGANISER if rng.random() < 0.05 else Membership.Role.MEMBER
            join(user_id, org_id, role, status)
    bulk(Membership, rows)
    for row in rows:
        if row.status == Membership.Status.ACTIVE:
            ctx.active_members.setdefault(row.organisation_id, []).append(row.user_id)
            if row.role != Membership.Role.MEMBER:
                ctx.runners.setdefault(row.organisation_id, []).append(row.user_id)


def generate_notifications(ctx: Context) -> None:
    """In-app notifications: the bench member's own, and a spread over everyone else."""
    from core.models import Notification

    kinds = ["accounts.membership_approved", "forums.reply", "events.reminder", "chat.message"]

    def note(recipient_id: int) -> Notification:
        return Notification(recipient_id=recipient_id, actor_id=ctx.rng.choice(ctx.user_ids),
                            kind=ctx.rng.choice(kinds), title=ctx.title(6), body=ctx.title(10),
                            url="/me/", read_at=ctx.past(30) if ctx.rng.random() < 0.5 else None)

    rows = [note(ctx.bench_user_id) for _ in range(BENCH_NOTIFICATIONS)]
    rows += [note(ctx.rng.choice(ctx.user_ids)) for _ in range(ctx.count("notifications"))]
    bulk(Notification, rows)


def generate_directory(ctx: Context) -> None:
    """Practices (most published, each with its workflow log) and the resource library, indexed for search."""
    from django.conf import settings
    from django.contrib.postgres.search import SearchVector
    from django.utils.text import slugify

    from accounts.models import Organisation
    from core.models import Topic
    from directory.models import CONTENT_LANGUAGES, Practice, PracticeTransition, Resource, TargetGroup

    rng = ctx.rng
    topics = list(Topic.objects.all())
    groups = list(TargetGroup.objects.all())
    languages = ["en"] * 8 + ["fr", "de", "es", "it"]
    orgs_with_members = [o for o in ctx.organisation_ids if ctx.active_members.get(o)]
    flagship_org = ctx.organisation_ids[0]

    resources = []
    for i in range(ctx.count("resources")):
        org = rng.choice(orgs_with_members)
        title = f"{ctx.title(4)} {i}"
        summary = ctx.text(1)
        resources.append(Resource(
            title=title, slug=slugify(title)[:200], kind=rng.choice(Resource.Kind.values), publisher_id=org,
            authors=ctx.person_name(), year=rng.randint(2005, 2025), language=rng.choice(languages),
            summary=summary, summary_html=ctx.html(summary), url=f"https://library.example.org/{i}",
            added_by_id=rng.choice(ctx.active_members[org]),
        ))
    resources = bulk(Resource, resources)
    resource_ids = [r.pk for r in resources]

    written_in = [code for code in PRACTICE_LANGUAGES if code in CONTENT_LANGUAGES]

    def practice(i: int, org: int, title: str, slug: str, published: bool, language: str) -> Practice:
        country, cities = rng.choice(COUNTRIES)
        start = rng.randint(2008, 2024)
        texts = {name: ctx.text(rng.randint(1, 3), language) for name in
                 ("issue", "how_it_works", "results", "evaluation_indicators", "lessons", "transferability")}
        return Practice(
            title=title, slug=slug, summary=ctx.text(1, language)[:900],
            **texts, **{f"{name}_html": ctx.html(text) for name, text in texts.items()},
            evaluation_type=rng.choice(Practice.Evaluation.values), beneficiaries="About 400 people a year.",
            funding="Municipal budget and the European Social Fund.", start_year=start,
            end_year=None if rng.random() < 0.6 else rng.randint(start, 2025), country=country,
            city=rng.choice(cities), level=rng.choice(["local", "regional", "national"]), organisation_id=org,
            links=f"https://practice{i}.example.org/", language=language,
            author_id=rng.choice(ctx.active_members[org]),
            status=Practice.Status.PUBLISHED if published else rng.choice(
                [Practice.Status.DRAFT, Practice.Status.SUBMITTED]),
            published_at=ctx.past(1500) if published else None,
        )

    rows = [practice(0, flagship_org, "Language buddies: newcomers and neighbours learn together",
                     FLAGSHIP_PRACTICE_SLUG, True, "en")]
    for i in range(1, ctx.count("practices")):
        language = written_in[i % len(written_in)]
        title = f"{ctx.title(5, language)} {i}"
        rows.append(practice(i, rng.choice(orgs_with_members), title, f"{slugify(title)[:190]}-{i}",
                             rng.random() < 0.85, language))
    practices = bulk(Practice, rows, batch_size=500)

    through = {name: getattr(Practice, name).through for name in
               ("topics", "policy_areas", "target_groups", "partners", "resources")}
    links: dict[str, list] = {name: [] for name in through}
    transitions = []
    for p in practices:
        chosen = rng.sample(topics, rng.randint(1, 3))
        links["topics"] += [through["topics"](practice_id=p.pk, topic_id=t.pk) for t in chosen]
        links["policy_areas"] += [through["policy_areas"](practice_id=p.pk, policyarea_id=a)
                                  for a in {t.area_id for t in chosen}]
        links["target_groups"] += [through["target_groups"](practice_id=p.pk, targetgroup_id=g.pk)
                                   for g in rng.sample(groups, rng.randint(1, 3))]
        partners = {rng.choice(ctx.organisation_ids) for _ in range(8 if p.slug == FLAGSHIP_PRACTICE_SLUG else 2)}
        links["partners"] += [through["partners"](practice_id=p.pk, organisation_id=o)
                              for o in partners - {p.organisation_id}]
        links["resources"] += [through["resources"](practice_id=p.pk, resource_id=r)
                               for r in rng.sample(resource_ids, min(len(resource_ids), rng.randint(0, 2)))]
        transitions.append(PracticeTransition(practice_id=p.pk, actor_id=p.author_id, from_status="",
                                              to_status=Practice.Status.DRAFT))
        if p.status != Practice.Status.DRAFT:
            transitions.append(PracticeTransition(practice_id=p.pk, actor_id=p.author_id,
                                                  from_status=Practice.Status.DRAFT,
                                                  to_status=Practice.Status.SUBMITTED))
        if p.status == Practice.Status.PUBLISHED:
            transitions.append(PracticeTransition(practice_id=p.pk, actor_id=ctx.bench_user_id,
                                                  from_status=Practice.Status.SUBMITTED,
                                                  to_status=Practice.Status.PUBLISHED))
    for name, model in through.items():
        bulk(model, links[name])
    bulk(PracticeTransition, transitions)

    if settings.IS_POSTGRES:
        # The stored search vectors, built as directory.services._index_practice/_index_resource build them,
        # one UPDATE per content language instead of one per row.
        for language, (_name, config) in CONTENT_LANGUAGES.items():
            Practice.objects.filter(language=language).update(search_vector=(
                SearchVector("title", weight="A", config=config)
                + SearchVector("summary", weight="B", config=config)
                + SearchVector("issue", "how_it_works", "results", "lessons", "transferability", "city",
                               weight="C", config=config)))
            Resource.objects.filter(language=language).update(search_vector=(
                SearchVector("title", weight="A", config=config)
                + SearchVector("summary", weight="B", config=config)
                + SearchVector("authors", weight="C", config=config)))
    Organisation.objects.filter(pk__in=[p.organisation_id for p in practices if p.published_at]).update(
        last_activity_at=ctx.now)


def generate_events(ctx: Context) -> None:
    """Events over the past 18 months and the next 6, with organisers, programmes and 100,000 registrations.

    Seats follow events.services.register_for_event: confirmed up to the capacity, then the waitlist when
    the event has one; pending when it requires approval. The flagship event and the bench member's
    registrations (its personal feed) have fixed sizes.
    """
    import uuid

    from django.utils.text import slugify

    from accounts.models import Organisation
    from core.models import PolicyArea
    from events.models import Event, FeedToken, ProgrammeItem, Registration, Speaker

    rng = ctx.rng
    areas = list(PolicyArea.objects.all())
    countries = dict(Organisation.objects.filter(pk__in=ctx.runners).values_list("pk", "country"))
    run_by = [org for org in ctx.organisation_ids if ctx.runners.get(org)]
    flagship_org = ctx.organisation_ids[0]

    def make_event(i: int, title: str, slug: str, org: int, starts_at: datetime, **extra) -> Event:
        description = ctx.text(2)
        visibility = Event.Visibility.PUBLIC if rng.random() < 0.8 else Event.Visibility.MEMBERS
        fields = {
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4), "kind": rng.choice(Event.Kind.values),
            "title": title, "slug": slug, "summary": ctx.title(8), "description": description,
            "description_html": ctx.html(description), "status": Event.Status.PUBLISHED, "visibility": visibility,
            "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=rng.choice([1, 2, 3, 8])),
            "timezone": rng.choice(TIMEZONES), "format": rng.choice(Event.Format.values),
            "venue": "Town hall, main hall", "city": "Vienna", "country": countries.get(org, "AT"),
            "capacity": rng.choice([None, None, 30, 60, 100, 150]), "requires_approval": rng.random() < 0.1,
            "waitlist_enabled": rng.random() < 0.8, "created_by_id": rng.choice(ctx.runners[org]),
            "published_at": starts_at - timedelta(days=30),
        }
        fields.update(extra)
        if fields["format"] != Event.Format.IN_PERSON:
            fields["join_url"] = f"https://meet.example.org/{i}"
        return Event(**fields)

    flagship_start = (ctx.now + timedelta(days=21)).replace(hour=13, minute=0, second=0)
    rows = [make_event(0, "Roundtable on language learning (bench flagship)", FLAGSHIP_EVENT_SLUG, flagship_org,
                  flagship_start, capacity=200, requires_approval=False, waitlist_enabled=True,
                  visibility=Event.Visibility.PUBLIC, format=Event.Format.HYBRID, kind=Event.Kind.ROUNDTABLE)]
    for i in range(1, ctx.count("events")):
        title = f"{ctx.title(4)} {rng.choice(['roundtable', 'webinar', 'workshop'])} {i}"
        starts_at = ctx.now + timedelta(minutes=rng.randint(-540 * 1440, 180 * 1440))
        rows.append(make_event(i, title, f"{slugify(title)[:200]}-{i}", rng.choice(run_by), starts_at,
                          status=Event.Status.CANCELLED if rng.random() < 0.03 else Event.Status.PUBLISHED))
    events = bulk(Event, rows, batch_size=500)
    organisers = [Event.organisations.through(event_id=e.pk, organisation_id=flagship_org if e.slug ==
                                              FLAGSHIP_EVENT_SLUG else rng.choice(run_by)) for e in events]
    bulk(Event.organisations.through, organisers)
    bulk(Event.policy_areas.through, [Event.policy_areas.through(event_id=e.pk, policyarea_id=a.pk)
                                      for e in events for a in rng.sample(areas, rng.randint(1, 2))])

    # The flagship's programme: four speakers, six items while it runs.
    flagship = events[0]
    speakers = bulk(Speaker, [Speaker(event_id=flagship.pk, name=ctx.person_name(), role=ctx.title(2),
                                      organisation_name=ctx.title(2), position=n) for n in range(4)])
    items = bulk(ProgrammeItem, [ProgrammeItem(
        event_id=flagship.pk, starts_at=flagship.starts_at + timedelta(minutes=20 * n), title=ctx.title(4),
        description=(text := ctx.text(1)), description_html=ctx.html(text)) for n in range(6)])
    bulk(ProgrammeItem.speakers.through, [ProgrammeItem.speakers.through(
        programmeitem_id=item.pk, speaker_id=speakers[n % 4].pk) for n, item in enumerate(items)])

    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    per_event = max(1, ctx.count("registrations") // len(events))
    registrations = []

    def register(e: Event, user_ids: Iterable[int]) -> None:
        confirmed = 0
        for n, user_id in enumerate(user_ids):
            if e.requires_approval:
                status = Registration.Status.PENDING if n % 3 else Registration.Status.CONFIRMED
            elif e.capacity is None or confirmed < e.capacity:
                status = Registration.Status.CONFIRMED
            elif e.waitlist_enabled:
                status = Registration.Status.WAITLISTED
            else:
                break
            confirmed += status == Registration.Status.CONFIRMED
            registrations.append(Registration(event_id=e.pk, user_id=user_id, status=status,
                                              registered_at=e.published_at + timedelta(minutes=n)))

    # The bench member is in 25 events (its personal feed), the flagship has 150 confirmed seats.
    mine = {flagship.pk} | {e.pk for e in rng.sample(events[1:], min(24, len(events) - 1))
                            if e.status == Event.Status.PUBLISHED}
    for e in events:
        size = 150 if e is flagship else rng.randint(per_event // 2, per_event * 3 // 2)
        people = rng.sample(general, min(size, len(general)))
        register(e, ([ctx.bench_user_id] if e.pk in mine else []) + people)
    bulk(Registration, registrations, batch_size=5_000)
    FeedToken.objects.create(user_id=ctx.bench_user_id, token=FEED_TOKEN)


def generate_forums(ctx: Context) -> None:
    """Six categories (public and members-only), 500 topics averaging 40 posts; one topic of 200 posts.

    Each topic's reply_count, last_post_at and last_poster agree with its posts, as
    forums.services.reply_to_topic keeps them; authors watch their topics; posts are indexed for search.
    """
    from django.conf import settings
    from django.contrib.postgres.search import SearchVector

    from core.models import PolicyArea
    from forums import services
    from forums.models import Category, Post, Topic, Watch

    rng = ctx.rng
    areas = list(PolicyArea.objects.all())
    categories = [services.create_category(
        name=name, slug=slug, description=ctx.title(6), policy_area=areas[n % len(areas)], position=n,
        visibility=visibility) for n, (name, slug, visibility) in enumerate([
            ("Employment and skills", "employment-and-skills", Category.Visibility.PUBLIC),
            ("Housing and health", "housing-and-health", Category.Visibility.PUBLIC),
            ("Participation and rights", "participation-and-rights", Category.Visibility.PUBLIC),
            ("Anti-discrimination law", "anti-discrimination-law", Category.Visibility.PUBLIC),
            ("Intercultural dialogue", "intercultural-dialogue", Category.Visibility.PUBLIC),
            ("Members' lounge", "members-lounge", Category.Visibility.MEMBERS)])]
    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    count = ctx.count("forum_topics")
    remaining = max(ctx.count("forum_posts") - FLAGSHIP_TOPIC_POSTS, count - 1)
    sizes = [FLAGSHIP_TOPIC_POSTS] + [max(1, round(remaining / max(count - 1, 1) * rng.uniform(0.1, 1.9)))
                                      for _ in range(count - 1)]
    topics, topic_posts = [], []
    for n, size in enumerate(sizes):
        started = ctx.past(700)
        times = sorted(started + timedelta(minutes=rng.randint(0, 60 * 24 * 30)) for _ in range(size - 1))
        posts = [(started, rng.choice(general))] + [(t, rng.choice(general)) for t in times]
        topics.append(Topic(
            category=categories[0] if n == 0 else rng.choice(categories), created_at=started,
            title=FLAGSHIP_TOPIC_TITLE if n == 0 else f"{ctx.title(6)}?", author_id=posts[0][1],
            last_post_at=posts[-1][0], last_poster_id=posts[-1][1], reply_count=size - 1,
        ))
        topic_posts.append(posts)
    with explicit_timestamps((Topic, "created_at"), (Post, "created_at")):
        topics = bulk(Topic, topics)
        rows = []
        for topic, posts in zip(topics, topic_posts, strict=True):
            for created_at, author in posts:
                body = ctx.text(rng.randint(1, 3))
                rows.append(Post(topic_id=topic.pk, author_id=author, body=body, body_html=ctx.html(body),
                                 created_at=created_at))
        bulk(Post, rows, batch_size=5_000)
    bulk(Watch, [Watch(topic_id=t.pk, user_id=t.author_id) for t in topics])
    if settings.IS_POSTGRES:
        # As forums.services._index_for_search does per row.
        Topic.objects.update(search_vector=SearchVector("title", config="english"))
        Post.objects.update(search_vector=SearchVector("body", config="english"))


def generate_chat(ctx: Context) -> None:
    """200,000 messages in direct and group conversations, the bench member's inbox of 40, and the chat load's
    groups: the load clients in groups of 100 (chat.services.MAX_GROUP_SIZE).

    Conversations point at their last message, participants have read up to it, except the bench
    member, who has unread messages in some conversations, counted as chat.services.send_message counts them.
    """
    from chat.models import Conversation, Message, Participant
    from chat.text import linkify

    rng = ctx.rng
    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    per_conversation = 50
    count = max(1, ctx.count("chat_messages") // per_conversation)
    members: list[list[int]] = []
    conversations = []
    direct_keys: set[str] = set()
    for n in range(count + BENCH_CONVERSATIONS):
        mine = n < BENCH_CONVERSATIONS
        if n % 8 == 7:
            people = rng.sample(general, min(len(general), rng.randint(3, 20)))
            if mine:
                people = [ctx.bench_user_id, *[p for p in people if p != ctx.bench_user_id]]
            conversations.append(Conversation(kind=Conversation.Kind.GROUP, title=ctx.title(3),
                                              created_by_id=people[0]))
        else:
            a = ctx.bench_user_id if mine else rng.choice(general)
            b = rng.choice([u for u in general[:50] if u != a] if mine else general)
            key = f"{min(a, b)}:{max(a, b)}"
            if a == b or key in direct_keys:
                continue
            direct_keys.add(key)
            people = [a, b]
            conversations.append(Conversation(kind=Conversation.Kind.DIRECT, direct_key=key, created_by_id=a))
        members.append(people)
    chat_users = ctx.chat_user_ids
    groups = [chat_users[i:i + CHAT_GROUP_SIZE] for i in range(0, len(chat_users), CHAT_GROUP_SIZE)]
    for n, people in enumerate(groups):
        conversations.append(Conversation(kind=Conversation.Kind.GROUP, title=f"{CHAT_GROUP_PREFIX} {n + 1}",
                                          created_by_id=people[0]))
        members.append(people)
    conversations = bulk(Conversation, conversations)

    with explicit_timestamps((Message, "created_at")):
        rows = []
        for conversation, people in zip(conversations, members, strict=True):
            if conversation.title.startswith(CHAT_GROUP_PREFIX):
                continue
            size = rng.randint(per_conversation // 2, per_conversation * 3 // 2)
            at = ctx.past(365)
            for _ in range(size):
                at += timedelta(minutes=rng.randint(1, 600))
                body = ctx.title(rng.randint(3, 12))
                rows.append(Message(conversation_id=conversation.pk, sender_id=rng.choice(people), body=body,
                                    body_html=linkify(body), created_at=at))
        messages = bulk(Message, rows, batch_size=5_000)
    by_conversation: dict[int, list] = {}
    for message in messages:
        by_conversation.setdefault(message.conversation_id, []).append(message)

    participants = []
    for conversation, people in zip(conversations, members, strict=True):
        history = by_conversation.get(conversation.pk, [])
        last = history[-1] if history else None
        if last is not None:
            conversation.last_message_id, conversation.last_message_at = last.pk, last.created_at
        for position, user_id in enumerate(people):
            read_up_to, unread = (last.pk if last else 0), 0
            if user_id == ctx.bench_user_id and history and rng.random() < 0.25:
                # Unread: the messages of others after the bench member's own last read one.
                cut = rng.randint(max(0, len(history) - 5), len(history) - 1)
                read_up_to = history[cut - 1].pk if cut else 0
                unread = sum(1 for m in history[cut:] if m.sender_id != user_id)
            participants.append(Participant(
                conversation_id=conversation.pk, user_id=user_id, last_read_message_id=read_up_to,
                unread_count=unread, role=Participant.Role.ADMIN if position == 0 and conversation.kind ==
                Conversation.Kind.GROUP else Participant.Role.MEMBER))
    Conversation.objects.bulk_update([c for c in conversations if c.last_message_id],
                                     ["last_message", "last_message_at"], batch_size=1_000)
    bulk(Participant, participants, batch_size=5_000)


def generate_chat_files_and_reactions(ctx: Context) -> None:
    """The bench member's group with 50 messages carrying reactions, replies, images with thumbnails and PDFs:
    the messenger's heaviest page. The stored files are written once and shared by the rows."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from chat.models import REACTIONS, Attachment, Conversation, Message, Participant, Reaction
    from chat.text import linkify

    rng = ctx.rng
    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    people = [ctx.bench_user_id, *rng.sample([u for u in general if u != ctx.bench_user_id], min(6, len(general)))]
    conversation = Conversation.objects.create(kind=Conversation.Kind.GROUP, title=FILES_CONVERSATION_TITLE,
                                               created_by_id=people[0])
    image = io.BytesIO()
    Image.new("RGB", (1200, 800), "seagreen").save(image, format="PNG")
    thumb = io.BytesIO()
    Image.new("RGB", (480, 320), "seagreen").save(thumb, format="WEBP")
    image_name = default_storage.save(f"chat/{conversation.pk}/bench.png", ContentFile(image.getvalue()))
    thumb_name = default_storage.save("chat/thumbnails/bench.webp", ContentFile(thumb.getvalue()))
    pdf_name = default_storage.save(f"chat/{conversation.pk}/bench.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    with explicit_timestamps((Message, "created_at")):
        at = ctx.now - timedelta(days=2)
        rows = []
        for n in range(FILES_CONVERSATION_MESSAGES):
            at += timedelta(minutes=rng.randint(1, 40))
            body = ctx.title(rng.randint(3, 12))
            rows.append(Message(conversation=conversation, sender_id=rng.choice(people), body=body,
                                body_html=linkify(body), created_at=at, change_seq=n + 1))
        messages = bulk(Message, rows)
    for n, message in enumerate(messages):
        if n % 4 == 3:
            message.reply_to_id = messages[n - 2].pk
    Message.objects.bulk_update(messages, ["reply_to"])
    attachments, reactions = [], []
    for n, message in enumerate(messages):
        if n % 3 == 0:
            attachments.append(Attachment(message=message, file=image_name, thumbnail=thumb_name, name="site-plan.png",
                                          kind="png", size=len(image.getvalue()), width=1200, height=800))
        if n % 5 == 0:
            attachments.append(Attachment(message=message, file=pdf_name, name="minutes.pdf", kind="pdf", size=15))
        for user_id in rng.sample(people, 3):
            reactions.append(Reaction(message=message, user_id=user_id, emoji=rng.choice(list(REACTIONS))))
    bulk(Attachment, attachments)
    bulk(Reaction, reactions)
    last = messages[-1]
    Conversation.objects.filter(pk=conversation.pk).update(last_message=last, last_message_at=last.created_at,
                                                           change_seq=len(messages))
    bulk(Participant, [Participant(conversation=conversation, user_id=user_id, last_read_message_id=last.pk,
                                   role=Participant.Role.ADMIN if user_id == people[0] else Participant.Role.MEMBER)
                       for user_id in people])


# One generator per app, in dependency order; each app adds its own when it lands.
GENERATORS: list[Callable[[Context], None]] = [
    generate_accounts,
    generate_notifications,
    generate_directory,
    generate_events,
    generate_forums,
    generate_chat,
    generate_chat_files_and_reactions,
]


def generate(*, scale: float, seed: int = SEED, chat_clients: int = CHAT_CLIENTS,
             log: Callable[[str], None] = print) -> dict[str, int]:
    """Fill an empty, migrated database; returns the row count per model."""
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    ctx = Context(scale=scale, rng=random.Random(seed), password_hash=make_password(PASSWORD),
                  now=timezone.now().replace(microsecond=0), chat_clients=chat_clients)
    for generator in GENERATORS:
        started = time.monotonic()
        with transaction.atomic():
            generator(ctx)
        log(f"  {generator.__name__}: {time.monotonic() - started:.1f} s")
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"core", "accounts", "directory", "events", "forums", "chat"}:
            counts[model._meta.label] = model.objects.count()
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    for label, n in generate(scale=args.scale, seed=args.seed).items():
        print(f"  {label}: {n}")


if __name__ == "__main__":
    main()
