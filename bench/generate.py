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
import itertools
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
    _recent_html: dict[str, str] = field(default_factory=dict)
    _pools: dict[str, list[str]] = field(default_factory=dict)
    _weights: dict[str, list[float]] = field(default_factory=dict)
    _next_ids: dict[str, int] = field(default_factory=dict)

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
        if paragraphs > 1:
            # Kept until the row is written: texts hardly repeat, and 10x data has millions.
            if len(self._recent_html) >= 1_000:
                self._recent_html.clear()
            self._recent_html[text] = "\n".join(self.html(part) for part in parts)
        return text

    def html(self, text: str) -> str:
        """The stored HTML of a Markdown text, as the services render it: a text of the pool's paragraphs joins
        their HTML, each rendered once; any other text is rendered."""
        from core.markdown import render_markdown

        found = self._recent_html.get(text)
        if found is None:
            found = self._html.get(text)
            if found is None:
                found = render_markdown(text)
                if len(self._html) < 100_000:
                    self._html[text] = found
        return found

    def title(self, words: int = 4, language: str = "en") -> str:
        return " ".join(dict.fromkeys(self.words(words, language))).capitalize()

    def past(self, days: int = 720) -> datetime:
        return self.now - timedelta(seconds=self.rng.randint(60, days * 86_400))

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def ids(self, model: type, n: int) -> range:
        """The next n primary keys of the model's table, taken now as n inserts would take them, so that rows
        can point at each other before they are written."""
        from django.db import connection

        table, column = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
                first = cursor.fetchone()[0]
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)", [table, column, first + n])
            else:
                cursor.execute(f'SELECT coalesce(max("{column}"), 0) + 1 FROM "{table}"')
                first = max(cursor.fetchone()[0], self._next_ids.get(table, 1))
                self._next_ids[table] = first + n
        return range(first, first + n)

    @contextmanager
    def id_counter(self, model: type) -> Iterator[Iterator[int]]:
        """The table's next primary keys one by one, for rows whose number is known only once they are made;
        those handed out are taken when the block ends."""
        start = self.ids(model, 0).start
        counter = itertools.count(start)
        yield counter
        self.ids(model, next(counter) - start)


def copy_rows(model: type, columns: Sequence[str], rows: Iterable[Sequence], *,
              computed: dict[str, str] | None = None) -> int:
    """Write rows given as tuples of database values in `columns` order (field attnames: "user_id"), as they
    come: PostgreSQL's COPY streams them while the generator builds the next ones; elsewhere bulk_create.

    Every other field gets what a model instance saved now would: its default, now() for auto_now and
    auto_now_add, NULL. A primary key left out is the table's next identity (see `Context.ids` to know it
    first). `computed` maps a column to an SQL expression over the others (PostgreSQL only), for a column no
    trigger fills: the rows then go through a temporary table and one INSERT ... SELECT.
    """
    from django.db import connection
    from django.utils import timezone

    meta = model._meta
    given = set(columns)
    computed = computed or {}
    now = timezone.now()
    rest, defaults = [], []
    for f in meta.concrete_fields:
        if f.attname in given or f.column in computed or getattr(f, "generated", False):
            continue
        if f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default() and callable(f.default) and f.default not in (list, dict, timezone.now):
            raise ValueError(f"{meta.label}.{f.name}: a default that differs per row ({f.default!r}) must be given")
        else:
            value = f.get_default()
        rest.append(f)
        defaults.append(value)
    if connection.vendor != "postgresql":
        names = [*columns, *(f.attname for f in rest)]
        tail = tuple(defaults)
        auto_add = [f for f in meta.concrete_fields if getattr(f, "auto_now_add", False) and f.attname in given]
        for f in auto_add:  # a given creation time is kept, as history is spread over time
            f.auto_now_add = False
        try:
            written, batch = 0, []
            for row in rows:
                batch.append(model(**dict(zip(names, (*row, *tail), strict=True))))
                if len(batch) >= 2_000:
                    written += len(model.objects.bulk_create(batch))
                    batch = []
            return written + len(model.objects.bulk_create(batch))
        finally:
            for f in auto_add:
                f.auto_now_add = True
    from psycopg import sql

    tail = tuple(f.get_db_prep_save(value, connection) for f, value in zip(rest, defaults, strict=True))
    names = [meta.get_field(c).column if c != "pk" else meta.pk.column for c in columns] + [f.column for f in rest]
    identifiers = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    target = sql.Identifier(meta.db_table)
    written = 0
    with connection.cursor() as cursor:
        if computed:
            target = sql.Identifier(f"_bulk_{meta.db_table}")
            cursor.execute(sql.SQL("CREATE TEMPORARY TABLE {} (LIKE {}) ON COMMIT DROP").format(
                target, sql.Identifier(meta.db_table)))
        with cursor.cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, identifiers)) as copy:
            write = copy.write_row
            if tail:
                for row in rows:
                    write((*row, *tail))
                    written += 1
            else:
                for row in rows:
                    write(row)
                    written += 1
        if computed:
            cursor.execute(sql.SQL("INSERT INTO {} ({}, {}) SELECT {}, {} FROM {}").format(
                sql.Identifier(meta.db_table), identifiers, sql.SQL(", ").join(map(sql.Identifier, computed)),
                identifiers, sql.SQL(", ").join(map(sql.SQL, computed.values())), target))
            cursor.execute(sql.SQL("DROP TABLE {}").format(target))
    return written


def generate_accounts(ctx: Context) -> None:
    """Members with verified e-mail addresses, organisations with taxonomy, memberships with an admin each."""
    from allauth.account.models import EmailAddress
    from django.utils.text import slugify

    from accounts.models import Membership, Organisation, User
    from core.models import PolicyArea, Topic

    rng = ctx.rng
    n_users = ctx.count("members") + ctx.chat_clients
    user_ids = ctx.ids(User, n_users)
    ctx.bench_user_id = user_ids[0]
    ctx.user_ids = list(user_ids)
    # The chat load's clients are ordinary members, made on top of the scaled count.
    ctx.chat_user_ids = ctx.user_ids[n_users - ctx.chat_clients:]
    emails = [BENCH_EMAIL, *(f"member{i:06d}@{DOMAIN}" for i in range(n_users - 1))]

    def members() -> Iterator[tuple]:
        yield (user_ids[0], emails[0], "Bench Member", "Integration officer", "", "", "Europe/Vienna",
               ctx.password_hash, User.Visibility.PUBLIC, ctx.now)
        public, members_only = User.Visibility.PUBLIC, User.Visibility.MEMBERS
        for i in range(n_users - 1):
            bio = ctx.text(1) if i % 5 == 0 else ""
            name = ctx.person_name()
            job = ctx.title(2)
            yield (user_ids[i + 1], emails[i + 1], name, job, bio, ctx.html(bio), rng.choice(TIMEZONES),
                   ctx.password_hash, public if i % 3 else members_only, ctx.past())

    copy_rows(User, ["id", "email", "full_name", "job_title", "bio", "bio_html", "timezone", "password",
                     "profile_visibility", "date_joined"], members())
    copy_rows(EmailAddress, ["user_id", "email", "verified", "primary"],
              ((pk, email, True, True) for pk, email in zip(user_ids, emails, strict=True)))

    areas = list(PolicyArea.objects.all())
    topics = list(Topic.objects.all())
    n_orgs = ctx.count("organisations")
    ctx.organisation_ids = list(ctx.ids(Organisation, n_orgs))
    kinds = [k for k, _ in Organisation.Kind.choices]
    kind_names = {k: str(label) for k, label in Organisation.Kind.choices}
    levels = ["local", "local", "regional", "national", "international"]

    def organisations() -> Iterator[tuple]:
        description = ctx.text(3)
        yield (ctx.organisation_ids[0], "City of Integration (bench flagship)", FLAGSHIP_SLUG,
               Organisation.Kind.MUNICIPALITY, "AT", "Vienna", "local", "", description, ctx.html(description),
               True, ctx.now, ctx.bench_user_id, ctx.now)
        for i in range(n_orgs - 1):
            country, cities = rng.choice(COUNTRIES)
            city = rng.choice(cities)
            kind = rng.choice(kinds)
            name = f"{city} {ctx.title(2)} {kind_names[kind]} {i}"
            description = ctx.text(2)
            verified = i % 10 != 0
            yield (ctx.organisation_ids[i + 1], name, f"{slugify(name)[:180]}-{i}", kind, country, city,
                   rng.choice(levels), f"https://org{i}.example.org", description, ctx.html(description), verified,
                   ctx.now if verified else None, None, ctx.past(365))

    copy_rows(Organisation, ["id", "name", "slug", "kind", "country", "city", "level", "website", "description",
                             "description_html", "verified", "verified_at", "created_by_id", "last_activity_at"],
              organisations())

    area_rows, topic_rows = [], []
    for org in ctx.organisation_ids:
        chosen = rng.sample(topics, rng.randint(1, 3))
        topic_rows += [(org, t.pk) for t in chosen]
        # A sub-topic implies its area (accounts.services._set_taxonomy).
        area_ids = {t.area_id for t in chosen} | ({rng.choice(areas).pk} if rng.random() < 0.3 else set())
        area_rows += [(org, a) for a in area_ids]
    copy_rows(Organisation.topics.through, ["organisation_id", "topic_id"], topic_rows)
    copy_rows(Organisation.policy_areas.through, ["organisation_id", "policyarea_id"], area_rows)

    # Every organisation keeps an active admin; members join one to three organisations.
    flagship = ctx.organisation_ids[0]
    pairs: set[tuple[int, int]] = set()
    rows = []
    active = Membership.Status.ACTIVE

    def join(user_id: int, org_id: int, role: str, status: str) -> None:
        if (user_id, org_id) not in pairs:
            pairs.add((user_id, org_id))
            rows.append((user_id, org_id, role, status, ctx.now if status == active else None))

    join(ctx.bench_user_id, flagship, Membership.Role.ADMIN, active)
    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    for org_id in ctx.organisation_ids[1:]:
        join(rng.choice(general), org_id, Membership.Role.ADMIN, active)
    for org_id in rng.sample(ctx.organisation_ids[1:], min(2, len(ctx.organisation_ids) - 1)):
        join(ctx.bench_user_id, org_id, Membership.Role.ORGANISER, active)
    for user_id in general[:FLAGSHIP_MEMBERS]:
        join(user_id, flagship, Membership.Role.MEMBER, active)
    for user_id in general[FLAGSHIP_MEMBERS:FLAGSHIP_MEMBERS + 5]:
        join(user_id, flagship, Membership.Role.MEMBER, Membership.Status.PENDING)
    for user_id in general:
        for org_id in rng.sample(ctx.organisation_ids, min(rng.randint(1, 3), len(ctx.organisation_ids))):
            status = Membership.Status.PENDING if rng.random() < 0.05 else active
            role = Membership.Role.ORGANISER if rng.random() < 0.05 else Membership.Role.MEMBER
            join(user_id, org_id, role, status)
    copy_rows(Membership, ["user_id", "organisation_id", "role", "status", "decided_at"], rows)
    for user_id, org_id, role, status, _decided in rows:
        if status == active:
            ctx.active_members.setdefault(org_id, []).append(user_id)
            if role != Membership.Role.MEMBER:
                ctx.runners.setdefault(org_id, []).append(user_id)


def generate_notifications(ctx: Context) -> None:
    """In-app notifications: the bench member's own, and a spread over everyone else."""
    from core.models import Notification

    kinds = ["accounts.membership_approved", "forums.reply", "events.reminder", "chat.message"]
    rng = ctx.rng

    def note(recipient_id: int) -> tuple:
        actor = rng.choice(ctx.user_ids)
        kind = rng.choice(kinds)
        title = ctx.title(6)
        body = ctx.title(10)
        return recipient_id, actor, kind, title, body, "/me/", ctx.past(30) if rng.random() < 0.5 else None

    def rows() -> Iterator[tuple]:
        for _ in range(BENCH_NOTIFICATIONS):
            yield note(ctx.bench_user_id)
        for _ in range(ctx.count("notifications")):
            yield note(rng.choice(ctx.user_ids))

    copy_rows(Notification, ["recipient_id", "actor_id", "kind", "title", "body", "url", "read_at"], rows())


def generate_directory(ctx: Context) -> None:
    """Practices (most published, each with its workflow log) and the resource library; the database's
    triggers index them for search (core/search.py)."""
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
    resource_ids = list(ctx.ids(Resource, ctx.count("resources")))
    kinds = Resource.Kind.values

    def resources() -> Iterator[tuple]:
        for i, pk in enumerate(resource_ids):
            org = rng.choice(orgs_with_members)
            title = f"{ctx.title(4)} {i}"
            summary = ctx.text(1)
            kind = rng.choice(kinds)
            authors = ctx.person_name()
            year = rng.randint(2005, 2025)
            language = rng.choice(languages)
            yield (pk, title, slugify(title)[:200], kind, org, authors, year, language, summary, ctx.html(summary),
                   f"https://library.example.org/{i}", rng.choice(ctx.active_members[org]))

    copy_rows(Resource, ["id", "title", "slug", "kind", "publisher_id", "authors", "year", "language", "summary",
                         "summary_html", "url", "added_by_id"], resources())

    written_in = [code for code in PRACTICE_LANGUAGES if code in CONTENT_LANGUAGES]
    text_fields = ("issue", "how_it_works", "results", "evaluation_indicators", "lessons", "transferability")
    evaluations = Practice.Evaluation.values
    published_status, unpublished = Practice.Status.PUBLISHED, [Practice.Status.DRAFT, Practice.Status.SUBMITTED]
    practice_ids = ctx.ids(Practice, ctx.count("practices"))
    # What the links below need of each practice: id, slug, organisation, author, status.
    made: list[tuple[int, str, int, int, str]] = []

    def practice(i: int, org: int, title: str, slug: str, published: bool, language: str) -> tuple:
        country, cities = rng.choice(COUNTRIES)
        start = rng.randint(2008, 2024)
        texts = [ctx.text(rng.randint(1, 3), language) for _ in text_fields]
        summary = ctx.text(1, language)[:900]
        evaluation = rng.choice(evaluations)
        end = None if rng.random() < 0.6 else rng.randint(start, 2025)
        city = rng.choice(cities)
        level = rng.choice(["local", "regional", "national"])
        author = rng.choice(ctx.active_members[org])
        status = published_status if published else rng.choice(unpublished)
        published_at = ctx.past(1500) if published else None
        pk = practice_ids[i]
        made.append((pk, slug, org, author, status))
        return (pk, title, slug, summary, *texts, *(ctx.html(text) for text in texts), evaluation,
                "About 400 people a year.", "Municipal budget and the European Social Fund.", start, end, country,
                city, level, org, f"https://practice{i}.example.org/", language, author, status, published_at)

    def practices() -> Iterator[tuple]:
        yield practice(0, flagship_org, "Language buddies: newcomers and neighbours learn together",
                       FLAGSHIP_PRACTICE_SLUG, True, "en")
        for i in range(1, len(practice_ids)):
            language = written_in[i % len(written_in)]
            title = f"{ctx.title(5, language)} {i}"
            org = rng.choice(orgs_with_members)
            yield practice(i, org, title, f"{slugify(title)[:190]}-{i}", rng.random() < 0.85, language)

    copy_rows(Practice, ["id", "title", "slug", "summary", *text_fields, *(f"{name}_html" for name in text_fields),
                         "evaluation_type", "beneficiaries", "funding", "start_year", "end_year", "country", "city",
                         "level", "organisation_id", "links", "language", "author_id", "status", "published_at"],
              practices())

    links: dict[str, list] = {name: [] for name in ("topics", "policy_areas", "target_groups", "partners",
                                                     "resources")}
    transitions = []
    draft, submitted = Practice.Status.DRAFT, Practice.Status.SUBMITTED
    for pk, slug, org, author, status in made:
        chosen = rng.sample(topics, rng.randint(1, 3))
        links["topics"] += [(pk, t.pk) for t in chosen]
        links["policy_areas"] += [(pk, a) for a in {t.area_id for t in chosen}]
        links["target_groups"] += [(pk, g.pk) for g in rng.sample(groups, rng.randint(1, 3))]
        partners = {rng.choice(ctx.organisation_ids) for _ in range(8 if slug == FLAGSHIP_PRACTICE_SLUG else 2)}
        links["partners"] += [(pk, o) for o in partners - {org}]
        links["resources"] += [(pk, r) for r in rng.sample(resource_ids, min(len(resource_ids), rng.randint(0, 2)))]
        transitions.append((pk, author, "", draft))
        if status != draft:
            transitions.append((pk, author, draft, submitted))
        if status == published_status:
            transitions.append((pk, ctx.bench_user_id, submitted, published_status))
    for name, column in [("topics", "topic_id"), ("policy_areas", "policyarea_id"),
                         ("target_groups", "targetgroup_id"), ("partners", "organisation_id"),
                         ("resources", "resource_id")]:
        copy_rows(getattr(Practice, name).through, ["practice_id", column], links[name])
    copy_rows(PracticeTransition, ["practice_id", "actor_id", "from_status", "to_status"], transitions)

    Organisation.objects.filter(pk__in=Practice.objects.filter(published_at__isnull=False).values(
        "organisation_id")).update(last_activity_at=ctx.now)


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
    columns = ["id", "uid", "kind", "title", "slug", "summary", "description", "description_html", "status",
               "visibility", "starts_at", "ends_at", "timezone", "format", "venue", "city", "country", "capacity",
               "requires_approval", "waitlist_enabled", "created_by_id", "published_at", "join_url"]
    event_ids = ctx.ids(Event, ctx.count("events"))

    def make_event(i: int, title: str, slug: str, org: int, starts_at: datetime, **extra) -> dict:
        description = ctx.text(2)
        visibility = Event.Visibility.PUBLIC if rng.random() < 0.8 else Event.Visibility.MEMBERS
        fields = {
            "id": event_ids[i], "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "kind": rng.choice(Event.Kind.values), "title": title, "slug": slug, "summary": ctx.title(8),
            "description": description, "description_html": ctx.html(description), "status": Event.Status.PUBLISHED,
            "visibility": visibility, "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=rng.choice([1, 2, 3, 8])), "timezone": rng.choice(TIMEZONES),
            "format": rng.choice(Event.Format.values), "venue": "Town hall, main hall", "city": "Vienna",
            "country": countries.get(org, "AT"), "capacity": rng.choice([None, None, 30, 60, 100, 150]),
            "requires_approval": rng.random() < 0.1, "waitlist_enabled": rng.random() < 0.8,
            "created_by_id": rng.choice(ctx.runners[org]), "published_at": starts_at - timedelta(days=30),
            "join_url": "",
        }
        fields.update(extra)
        if fields["format"] != Event.Format.IN_PERSON:
            fields["join_url"] = f"https://meet.example.org/{i}"
        return fields

    flagship_start = (ctx.now + timedelta(days=21)).replace(hour=13, minute=0, second=0)
    events = [make_event(0, "Roundtable on language learning (bench flagship)", FLAGSHIP_EVENT_SLUG, flagship_org,
                         flagship_start, capacity=200, requires_approval=False, waitlist_enabled=True,
                         visibility=Event.Visibility.PUBLIC, format=Event.Format.HYBRID, kind=Event.Kind.ROUNDTABLE)]
    for i in range(1, len(event_ids)):
        title = f"{ctx.title(4)} {rng.choice(['roundtable', 'webinar', 'workshop'])} {i}"
        starts_at = ctx.now + timedelta(minutes=rng.randint(-540 * 1440, 180 * 1440))
        org = rng.choice(run_by)
        status = Event.Status.CANCELLED if rng.random() < 0.03 else Event.Status.PUBLISHED
        events.append(make_event(i, title, f"{slugify(title)[:200]}-{i}", org, starts_at, status=status))
    copy_rows(Event, columns, ([e[c] for c in columns] for e in events))
    copy_rows(Event.organisations.through, ["event_id", "organisation_id"], [
        (e["id"], flagship_org if e["slug"] == FLAGSHIP_EVENT_SLUG else rng.choice(run_by)) for e in events])
    copy_rows(Event.policy_areas.through, ["event_id", "policyarea_id"], [
        (e["id"], a.pk) for e in events for a in rng.sample(areas, rng.randint(1, 2))])

    # The flagship's programme: four speakers, six items while it runs.
    flagship = events[0]
    speakers = ctx.ids(Speaker, 4)
    copy_rows(Speaker, ["id", "event_id", "name", "role", "organisation_name", "position"], [
        (speakers[n], flagship["id"], ctx.person_name(), ctx.title(2), ctx.title(2), n) for n in range(4)])
    items = ctx.ids(ProgrammeItem, 6)
    item_rows = []
    for n in range(6):
        title = ctx.title(4)
        text = ctx.text(1)
        item_rows.append((items[n], flagship["id"], flagship["starts_at"] + timedelta(minutes=20 * n), title, text,
                          ctx.html(text)))
    copy_rows(ProgrammeItem, ["id", "event_id", "starts_at", "title", "description", "description_html"], item_rows)
    copy_rows(ProgrammeItem.speakers.through, ["programmeitem_id", "speaker_id"],
              [(item, speakers[n % 4]) for n, item in enumerate(items)])

    general = ctx.user_ids[1:len(ctx.user_ids) - ctx.chat_clients] or ctx.user_ids[:1]
    per_event = max(1, ctx.count("registrations") // len(events))
    pending, confirmed_, waitlisted = (Registration.Status.PENDING, Registration.Status.CONFIRMED,
                                       Registration.Status.WAITLISTED)

    def register(e: dict, user_ids: Iterable[int]) -> Iterator[tuple]:
        confirmed = 0
        capacity, approval, waitlist = e["capacity"], e["requires_approval"], e["waitlist_enabled"]
        event_id, published_at = e["id"], e["published_at"]
        for n, user_id in enumerate(user_ids):
            if approval:
                status = pending if n % 3 else confirmed_
            elif capacity is None or confirmed < capacity:
                status = confirmed_
            elif waitlist:
                status = waitlisted
            else:
                break
            confirmed += status == confirmed_
            yield event_id, user_id, status, published_at + timedelta(minutes=n)

    # The bench member is in 25 events (its personal feed), the flagship has 150 confirmed seats.
    mine = {flagship["id"]} | {e["id"] for e in rng.sample(events[1:], min(24, len(events) - 1))
                               if e["status"] == Event.Status.PUBLISHED}

    def registrations() -> Iterator[tuple]:
        for e in events:
            size = 150 if e is flagship else rng.randint(per_event // 2, per_event * 3 // 2)
            people = rng.sample(general, min(size, len(general)))
            yield from register(e, ([ctx.bench_user_id] if e["id"] in mine else []) + people)

    copy_rows(Registration, ["event_id", "user_id", "status", "registered_at"], registrations())
    FeedToken.objects.create(user_id=ctx.bench_user_id, token=FEED_TOKEN)


def generate_forums(ctx: Context) -> None:
    """Six categories (public and members-only), 500 topics averaging 40 posts; one topic of 200 posts.

    Each topic's reply_count, last_post_at and last_poster agree with its posts, as
    forums.services.reply_to_topic keeps them; authors watch their topics. Topics are indexed for search by
    their trigger, posts as forums.services._index_for_search indexes them.
    """
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
    topic_ids = ctx.ids(Topic, count)
    topics, topic_posts = [], []
    for n, size in enumerate(sizes):
        started = ctx.past(700)
        times = sorted(started + timedelta(minutes=rng.randint(0, 60 * 24 * 30)) for _ in range(size - 1))
        posts = [(started, rng.choice(general))] + [(t, rng.choice(general)) for t in times]
        category = categories[0].pk if n == 0 else rng.choice(categories).pk
        title = FLAGSHIP_TOPIC_TITLE if n == 0 else f"{ctx.title(6)}?"
        topics.append((topic_ids[n], category, started, title, posts[0][1], posts[-1][0], posts[-1][1], size - 1))
        topic_posts.append(posts)
    copy_rows(Topic, ["id", "category_id", "created_at", "title", "author_id", "last_post_at", "last_poster_id",
                      "reply_count"], topics)
    post_ids = iter(ctx.ids(Post, sum(sizes)))

    def posts() -> Iterator[tuple]:
        for topic_id, posts in zip(topic_ids, topic_posts, strict=True):
            for created_at, author in posts:
                body = ctx.text(rng.randint(1, 3))
                yield next(post_ids), topic_id, author, body, ctx.html(body), created_at

    # Posts have no trigger: their vector is the one forums.services._index_for_search stores.
    copy_rows(Post, ["id", "topic_id", "author_id", "body", "body_html", "created_at"], posts(),
              computed={"search_vector": "to_tsvector('english'::regconfig, COALESCE(body, ''))"})
    copy_rows(Watch, ["topic_id", "user_id"], [(t[0], t[4]) for t in topics])


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
    # kind, title, direct_key, created_by
    conversations: list[tuple[str, str, str | None, int]] = []
    direct_keys: set[str] = set()
    group, direct = Conversation.Kind.GROUP, Conversation.Kind.DIRECT
    for n in range(count + BENCH_CONVERSATIONS):
        mine = n < BENCH_CONVERSATIONS
        if n % 8 == 7:
            people = rng.sample(general, min(len(general), rng.randint(3, 20)))
            if mine:
                people = [ctx.bench_user_id, *[p for p in people if p != ctx.bench_user_id]]
            conversations.append((group, ctx.title(3), None, people[0]))
        else:
            a = ctx.bench_user_id if mine else rng.choice(general)
            b = rng.choice([u for u in general[:50] if u != a] if mine else general)
            key = f"{min(a, b)}:{max(a, b)}"
            if a == b or key in direct_keys:
                continue
            direct_keys.add(key)
            people = [a, b]
            conversations.append((direct, "", key, a))
        members.append(people)
    loaded = len(conversations)  # the load's groups below get no history
    chat_users = ctx.chat_user_ids
    groups = [chat_users[i:i + CHAT_GROUP_SIZE] for i in range(0, len(chat_users), CHAT_GROUP_SIZE)]
    for n, people in enumerate(groups):
        conversations.append((group, f"{CHAT_GROUP_PREFIX} {n + 1}", None, people[0]))
        members.append(people)
    conversation_ids = ctx.ids(Conversation, len(conversations))

    # Each conversation's last message (id, time); the whole history (id, sender) where the bench member reads.
    last: dict[int, tuple[int, datetime]] = {}
    histories: dict[int, list[tuple[int, int]]] = {}
    with ctx.id_counter(Message) as message_ids:
        def messages() -> Iterator[tuple]:
            for conversation_id, people in zip(conversation_ids[:loaded], members, strict=False):
                size = rng.randint(per_conversation // 2, per_conversation * 3 // 2)
                at = ctx.past(365)
                history = histories.setdefault(conversation_id, []) if ctx.bench_user_id in people else None
                pk = 0
                for _ in range(size):
                    at += timedelta(minutes=rng.randint(1, 600))
                    body = ctx.title(rng.randint(3, 12))
                    sender = rng.choice(people)
                    pk = next(message_ids)
                    if history is not None:
                        history.append((pk, sender))
                    yield pk, conversation_id, sender, body, linkify(body), at
                if size:
                    last[conversation_id] = pk, at

        copy_rows(Message, ["id", "conversation_id", "sender_id", "body", "body_html", "created_at"], messages())

    copy_rows(Conversation, ["id", "kind", "title", "direct_key", "created_by_id", "last_message_id",
                             "last_message_at"],
              ((pk, *conversation, *last.get(pk, (None, None)))
               for pk, conversation in zip(conversation_ids, conversations, strict=True)))

    def participants() -> Iterator[tuple]:
        admin, member = Participant.Role.ADMIN, Participant.Role.MEMBER
        for pk, conversation, people in zip(conversation_ids, conversations, members, strict=True):
            last_id = last[pk][0] if pk in last else 0
            history = histories.get(pk, [])
            for position, user_id in enumerate(people):
                read_up_to, unread = last_id, 0
                if user_id == ctx.bench_user_id and history and rng.random() < 0.25:
                    # Unread: the messages of others after the bench member's own last read one.
                    cut = rng.randint(max(0, len(history) - 5), len(history) - 1)
                    read_up_to = history[cut - 1][0] if cut else 0
                    unread = sum(1 for _pk, sender in history[cut:] if sender != user_id)
                yield (pk, user_id, read_up_to, unread,
                       admin if position == 0 and conversation[0] == group else member)

    copy_rows(Participant, ["conversation_id", "user_id", "last_read_message_id", "unread_count", "role"],
              participants())


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
    message_ids = ctx.ids(Message, FILES_CONVERSATION_MESSAGES)
    at = ctx.now - timedelta(days=2)
    rows = []
    for n, pk in enumerate(message_ids):
        at += timedelta(minutes=rng.randint(1, 40))
        body = ctx.title(rng.randint(3, 12))
        rows.append((pk, conversation.pk, rng.choice(people), body, linkify(body), at, n + 1,
                     message_ids[n - 2] if n % 4 == 3 else None))
    copy_rows(Message, ["id", "conversation_id", "sender_id", "body", "body_html", "created_at", "change_seq",
                        "reply_to_id"], rows)
    attachments, reactions = [], []
    for n, pk in enumerate(message_ids):
        if n % 3 == 0:
            attachments.append(Attachment(message_id=pk, file=image_name, thumbnail=thumb_name, name="site-plan.png",
                                          kind="png", size=len(image.getvalue()), width=1200, height=800))
        if n % 5 == 0:
            attachments.append(Attachment(message_id=pk, file=pdf_name, name="minutes.pdf", kind="pdf", size=15))
        for user_id in rng.sample(people, 3):
            reactions.append(Reaction(message_id=pk, user_id=user_id, emoji=rng.choice(list(REACTIONS))))
    Attachment.objects.bulk_create(attachments)
    Reaction.objects.bulk_create(reactions)
    last_id, last_at = rows[-1][0], rows[-1][5]
    Conversation.objects.filter(pk=conversation.pk).update(last_message_id=last_id, last_message_at=last_at,
                                                           change_seq=len(rows))
    Participant.objects.bulk_create([Participant(
        conversation=conversation, user_id=user_id, last_read_message_id=last_id,
        role=Participant.Role.ADMIN if user_id == people[0] else Participant.Role.MEMBER) for user_id in people])


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


GENERATED_APPS = {"core", "accounts", "account", "directory", "events", "forums", "chat"}


def _generated_tables() -> list[str]:
    from django.apps import apps

    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)
                   if model._meta.app_label in GENERATED_APPS and model._meta.managed and not model._meta.proxy})


@contextmanager
def _keys_and_indexes_rebuilt_after(tables: list[str], step: Callable[[str, float, float, float | None], None]
                                    ) -> Iterator[None]:
    """PostgreSQL: the tables' foreign keys and non-unique indexes are dropped while the rows are written and
    made again after, from PostgreSQL's own definitions, so the schema ends as it began: each index is then
    one sort (in parallel workers) instead of one insertion per row, each key one join instead of one lookup
    per row, and the rows are checked all the same. Unique indexes and primary keys stay, checking as rows
    come. To be used inside a transaction, which restores them if anything fails."""
    from django.db import connection
    from psycopg import sql

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [tables])
        keys = cursor.fetchall()
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary ORDER BY 1",
                       [tables])
        indexes = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name)))
        for name, _definition in indexes:
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(name)))
    yield
    started, cpu = time.monotonic(), time.process_time()
    database_cpu = _database_cpu_clock()
    db_cpu = database_cpu()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '128MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.SQL(table), sql.Identifier(name), sql.SQL(definition)))
    step("indexes and foreign keys", started, cpu, db_cpu)


def _database_cpu_clock() -> Callable[[], float | None]:
    """The CPU seconds the database server's process for this connection has spent, where it runs on this
    machine and /proc shows it (PostgreSQL on loopback); else a clock that answers None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = f"/proc/{pid}/stat"
    try:
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() != "postgres":  # a process of this machine that is not the server's
                return lambda: None
    except OSError:
        return lambda: None
    ticks = os.sysconf("SC_CLK_TCK")

    def clock() -> float | None:
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / ticks  # utime and stime, fields 14 and 15 of stat

    return clock if clock() is not None else (lambda: None)


def generate(*, scale: float, seed: int = SEED, chat_clients: int = CHAT_CLIENTS,
             log: Callable[[str], None] = print) -> dict[str, int]:
    """Fill an empty, migrated database; returns the row count per model."""
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    ctx = Context(scale=scale, rng=random.Random(seed), password_hash=make_password(PASSWORD),
                  now=timezone.now().replace(microsecond=0), chat_clients=chat_clients)
    database_cpu = _database_cpu_clock()

    def step(name: str, started: float, cpu: float, db_cpu: float | None) -> None:
        spent = f"Python {time.process_time() - cpu:.1f} s"
        if db_cpu is not None:
            spent += f", PostgreSQL {database_cpu() - db_cpu:.1f} s"
        log(f"  {name}: {time.monotonic() - started:.1f} s (CPU: {spent})")

    # One transaction: a failure leaves the database as it was, keys and indexes included.
    with transaction.atomic(), _keys_and_indexes_rebuilt_after(_generated_tables(), step):
        for generator in GENERATORS:
            started, cpu, db_cpu = time.monotonic(), time.process_time(), database_cpu()
            with transaction.atomic():
                generator(ctx)
            step(generator.__name__, started, cpu, db_cpu)
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
