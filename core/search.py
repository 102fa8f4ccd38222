"""Full-text search, one way for every searched kind: content languages and their text-search configurations,
the stored vector a database trigger keeps current, the query, stable ranking, a capped count, and the
plain fallback of the embedded default (SQLite), all behind the same functions.

On PostgreSQL each searched table has a `search_vector` column (GIN-indexed), filled by a trigger on every
insert and every update of its text: weight A for the title, B for the summary, C for the body, stemmed
in the row's language (`crossroads_search_config(language)`, written from CONTENT_LANGUAGES). A trigger
rather than a service call, so every write path keeps it current: services, the admin, CSV imports and
the benchmark's bulk loads. A search is one `@@` on that one vector with one query (see `search_query`).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from core import versions
from core.languages import CONTENT_LANGUAGES

SQL_CONFIG_FUNCTION = "crossroads_search_config"

# How long a query's parsed readings stay cached (they change only with PostgreSQL's dictionaries).
READINGS_CACHE_SECONDS = 24 * 3600

# Above this many matches a list says "1,000+ results" instead of counting them all.
COUNT_CAP = 1000


# --- Keeping the stored vector current (PostgreSQL; called from migrations) ---------------------------------

def config_function_sql() -> str:
    """`crossroads_search_config(language)`: the configuration for a language code, "simple" for any other.
    Immutable, so triggers and indexes may use it; a change of CONTENT_LANGUAGES needs a migration that runs
    this again (CREATE OR REPLACE) and touches the rows whose language changed configuration."""
    cases = " ".join(f"WHEN '{code}' THEN 'pg_catalog.{config}'::regconfig"
                     for code, (_name, config) in CONTENT_LANGUAGES.items())
    return (f"CREATE OR REPLACE FUNCTION {SQL_CONFIG_FUNCTION}(language text) RETURNS regconfig "
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
            f"$$ SELECT CASE language {cases} ELSE 'pg_catalog.simple'::regconfig END $$")


def vector_trigger_sql(table: str, weighted: dict[str, list[str]], language_column: str | None = None) -> list[str]:
    """SQL creating the trigger that fills `table.search_vector` from its columns: `weighted` maps a weight
    ("A", "B", "C") to the columns read with it. It runs on insert and on an update of any of those columns
    (or of the language); statements that change nothing it reads do not pay for it."""
    config = f"{SQL_CONFIG_FUNCTION}(NEW.{language_column})" if language_column else "'pg_catalog.simple'::regconfig"
    parts = []
    for weight, columns in weighted.items():
        text = " || ' ' || ".join(f"coalesce(NEW.{column}, '')" for column in columns)
        parts.append(f"setweight(to_tsvector({config}, {text}), '{weight}')")
    columns = [c for cs in weighted.values() for c in cs] + ([language_column] if language_column else [])
    name = f"{table}_search_vector"
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN NEW.search_vector := {' || '.join(parts)}; RETURN NEW; END $$",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {', '.join(columns)} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        # Backfill: touching a column the trigger reads recomputes every row's vector.
        f"UPDATE {table} SET {columns[0]} = {columns[0]}",
        f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_vector)",
    ]


def drop_vector_trigger_sql(table: str) -> list[str]:
    name = f"{table}_search_vector"
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()",
            f"DROP INDEX IF EXISTS {table}_search_gin"]


def run_on_postgres(*statements_of):
    """A migration operation's function: run the SQL that `statements_of()` returns, on PostgreSQL only
    (SQLite has no tsvector; its search is the plain fallback, which needs neither trigger nor index)."""

    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for make in statements_of:
            for statement in make():
                schema_editor.execute(statement)

    return run


# --- Querying -----------------------------------------------------------------------------------------------

def configs_with_languages() -> dict[str, list[str]]:
    """Each configuration with the content languages it stems."""
    grouped: dict[str, list[str]] = {}
    for code, (_name, config) in CONTENT_LANGUAGES.items():
        grouped.setdefault(config, []).append(code)
    return grouped


def query_configs() -> list[str]:
    """Every configuration a query is read in: "simple" (words as typed: names, words no stemmer knows,
    Chinese) and each content language's."""
    return list(dict.fromkeys(["simple", *configs_with_languages()]))


class Matches(Func):
    """`vector @@ 'a tsquery'::tsquery`: the match against a reading already parsed (see `readings`)."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, vector: str | Func, tsquery: str) -> None:
        super().__init__(F(vector) if isinstance(vector, str) else vector, _tsquery(tsquery))


class WordsOf(Func):
    """`to_tsvector('simple', column)`: one column's words, word for word, as an expression index keeps them
    (an organisation's name: accounts/migrations/0008), for a match on that column alone."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def _tsquery(text: str) -> Cast:
    return Cast(Value(text), SearchQueryField())


def readings(q: str) -> dict[str, str]:
    """`q` parsed by websearch_to_tsquery in every configuration, as tsquery text; one query, then cached
    (a reading only changes with PostgreSQL's dictionaries). Many configurations read a query alike
    ("mentoring" is "mentor" in English, Dutch and Russian): the match below uses each distinct reading
    once, which halves the cost of `@@` per row against OR-ing fifteen readings as they come."""
    configs = query_configs()
    key = "search:readings:" + hashlib.blake2b(repr((q, configs)).encode(), digest_size=16).hexdigest()

    def parse() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT c, websearch_to_tsquery(c::regconfig, %s)::text FROM unnest(%s::text[]) AS c",
                           [q, configs])
            return dict(cursor.fetchall())

    # Through core.versions' switch, so that tests count the same queries on every request.
    found = versions.cached(key, parse, timeout=READINGS_CACHE_SECONDS)
    return found


def _any_of(texts: list[str]) -> str:
    distinct = list(dict.fromkeys(t for t in texts if t))
    return distinct[0] if len(distinct) == 1 else " | ".join(f"( {t} )" for t in distinct)


def search_condition(q: str, language_field: str | None) -> tuple[Q, str]:
    """The WHERE condition matching `q`, and the tsquery to rank with ("" when no word of `q` can match).

    Rows without a language (`language_field` None) are stored word for word: `q` is read in "simple".
    Rows with one are stemmed in their language, so `q` must be read in it: "logement" finds a French
    "Logements" only through French stemming (both become "log"). So:
    - one `@@` of the vector against every distinct reading OR-ed ("simple" and each language's): the GIN
      index finds every candidate in one scan, whatever the reader's page language;
    - each candidate must also match its own language's reading (or "simple"), so a row matches exactly
      when it would in its own language: without this check "logement" (French "log") would find an
      English "Log cabins", and an exclusion read by a foreign stemmer ("-german" as "germ") would let a
      row through. It costs one more `@@` per candidate, never a scan.
    Reading the query in "simple" and the reader's language only was tried and rejected: a reader on an
    English page then missed French practices searched in French."""
    found = readings(q)
    simple = found.get("simple", "")
    if language_field is None:
        return Matches("search_vector", simple) if simple else Q(pk__in=[]), simple
    every = _any_of(list(found.values()))
    if not every:
        return Q(pk__in=[]), ""
    by_reading: dict[str, list[str]] = {}
    for config, codes in configs_with_languages().items():
        by_reading.setdefault(_any_of([found.get(config, ""), simple]), []).extend(codes)
    own = [When(Q(**{f"{language_field}__in": codes}),
                then=Matches("search_vector", text) if text else Value(False))
           for text, codes in by_reading.items()]
    default = Matches("search_vector", simple) if simple else Value(False)
    in_its_language = Case(*own, default=default, output_field=BooleanField())
    return Q(Matches("search_vector", every)) & Q(in_its_language), every


def _folded_match(q: str, weighted: dict[str, list[str]]) -> tuple[Q, Case]:
    """SQLite: every word must appear somewhere, folding accents and case; ranked title above summary above body."""
    words = [w.strip('"').lstrip("-") for w in q.split()]
    words = [w for w in words if w][:8] or [q]
    a, b, c = (weighted.get(weight, []) for weight in "ABC")

    def every_word_in(fields: list[str]) -> Q:
        condition = Q()
        for word in words:
            in_any = Q()
            for name in fields:
                in_any |= Q(**{f"{name}__folded_contains": word})
            condition &= in_any
        return condition

    rank = Case(When(every_word_in(a), then=Value(3.0)), When(every_word_in(a + b), then=Value(2.0)),
                default=Value(1.0), output_field=FloatField())
    return every_word_in(a + b + c), rank


def matching(qs: QuerySet, q: str, *, fallback: dict[str, list[str]],
             language_field: str | None = "language") -> QuerySet:
    """The rows of `qs` matching `q`, annotated with `rank` (higher is better; 0 for every row without `q`).

    On PostgreSQL the stored vector (see `search_condition`); elsewhere the folded match over `fallback`'s
    fields (weight to field names, as the trigger reads them). Order with `ranked()` for a stable order."""
    if not q:
        return qs.annotate(rank=Value(0.0, output_field=FloatField()))
    if settings.IS_POSTGRES:
        condition, query = search_condition(q, language_field)
        if not query:
            return qs.none().annotate(rank=Value(0.0, output_field=FloatField()))
        return qs.filter(condition).annotate(rank=SearchRank(F("search_vector"), _tsquery(query)))
    match, rank = _folded_match(q, fallback)
    return qs.filter(match).annotate(rank=rank)


def ranked(qs: QuerySet, *then: str) -> QuerySet:
    """Best match first; equal ranks by `then`, and always by id last, so a page never shows a row twice."""
    tie = [] if any(field.lstrip("-") in ("id", "pk") for field in then) else ["-id"]
    return qs.order_by("-rank", *then, *tie)


# --- Counting -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Total:
    """How many rows there are; `capped` when there are more than `count` (shown as "1,000+")."""

    count: int
    capped: bool = False

    def __int__(self) -> int:
        return self.count


def capped_count(qs: QuerySet, cap: int | None = None) -> Total:
    """A count that stops at `cap` (COUNT_CAP) + 1 rows: cheap however many rows match."""
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by().values("pk")[: cap + 1].count()
    return Total(min(n, cap), capped=n > cap)
