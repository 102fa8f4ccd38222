"""Faceted browsing shared by the directory, the practices and the library: filters from the URL, counts per value.

Values of one facet combine with OR, facets combine with AND. Each facet's counts are taken with every
other facet applied but not its own, so a reader sees how many rows each further choice would give.

All counts of a page, and the list's total, come from one SQL statement: the text search runs once, as a
materialised CTE of matching ids, and each facet is one grouped query over it (UNION ALL). Without a text
query the same statement groups the unsearched rows. Callers cache the result under a versioned key.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Expression, F, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext
from django_countries import countries

from core import search
from core.errors import BadParameter
from core.search import Total

MATCHED = "search_matched"


def year_value(value: str) -> str:
    """A year as the URL gives it: one to four ASCII digits (not "AAA", "²" or a number the column cannot hold)."""
    if not (value.isascii() and value.isdigit() and len(value) <= 4):
        raise ValueError(gettext("Give the year as digits, for example 2024."))
    return value


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    lookup: str
    # Values to labels, in display order; None labels values with themselves.
    labels: Callable[[], Mapping[str, str]] | None = None
    # Through a many-to-many relation: filter by subquery so that no row is repeated.
    many: bool = False
    # A computed value (a period, say): annotated under `lookup` before filtering and counting.
    expression: Expression | None = None
    # Checks one value from the URL for the column's type: returns it, or raises ValueError saying what to give.
    check: Callable[[str], str] | None = None

    def values_in(self, params: QueryDict | Mapping) -> list[str]:
        raw = params.getlist(self.param) if hasattr(params, "getlist") else params.get(self.param, [])
        if isinstance(raw, str):
            raw = [raw]
        # A value is a code: anything unprintable (a NUL byte, say) cannot be one and is ignored.
        values = [v.strip()[:100] for v in raw if isinstance(v, str) and v.strip() and v.isprintable()][:20]
        if self.check is not None:
            try:
                values = [self.check(v) for v in values]
            except ValueError as error:
                raise BadParameter(self.param, str(error)) from None
        return values

    def filter(self, qs: QuerySet, values: list[str]) -> QuerySet:
        if not values:
            return qs
        if self.expression is not None:
            return qs.annotate(**{self.lookup: self.expression}).filter(**{f"{self.lookup}__in": values})
        if self.many:
            return qs.filter(pk__in=qs.filter(**{f"{self.lookup}__in": values}).values("pk"))
        return qs.filter(**{f"{self.lookup}__in": values})

    def counts_query(self, qs: QuerySet) -> QuerySet:
        """(facet_value, n) rows: how many rows of `qs` have each value."""
        if self.expression is not None:
            qs = qs.annotate(**{self.lookup: self.expression})
        return qs.order_by().values(facet_value=F(self.lookup)).annotate(n=Count("pk"))


def country_labels() -> dict[str, str]:
    return dict(countries)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    facet: Facet
    options: list[FacetOption] = field(default_factory=list)

    @property
    def has_selection(self) -> bool:
        return any(o.selected for o in self.options)


def apply_facets(qs: QuerySet, facets: list[Facet], params: QueryDict | Mapping,
                 skip: Facet | None = None) -> QuerySet:
    for facet in facets:
        if facet is not skip:
            qs = facet.filter(qs, facet.values_in(params))
    return qs


@dataclass
class Faceted:
    """A list page's facets with their counts, and how many rows the list has with every filter applied."""

    groups: list[FacetGroup]
    total: Total


@dataclass
class Counted:
    """What one statement counted: per facet param, value to count; and the rows with every facet applied."""

    counts: dict[str, dict[str, int]]
    total: Total


def count_facets(base: QuerySet, facets: list[Facet], params: QueryDict | Mapping,
                 match: QuerySet | None = None, cap: int | None = None) -> Counted:
    """Every facet's counts and the capped total, in one statement. `match`, if given, is the text search
    over `base`'s rows: it runs once, as a CTE, and `base` is counted only where it matched."""
    cap = search.COUNT_CAP if cap is None else cap
    empty = Counted({facet.param: {} for facet in facets}, Total(0))
    if match is not None and match.query.is_empty():
        return empty  # the text holds no word a search can match ("the", punctuation): nothing matches
    model = base.model
    if match is not None:
        base = model._default_manager.filter(pk__in=RawSQL(f"SELECT {MATCHED}.id FROM {MATCHED}", ()))
    parts, args = [], []
    for index, facet in enumerate(facets):
        sql, sql_args = facet.counts_query(apply_facets(base, facets, params, skip=facet)).query.sql_with_params()
        parts.append(f"SELECT {index} AS facet, CAST(t.facet_value AS TEXT) AS value, t.n AS n FROM ({sql}) t")
        args.extend(sql_args)
    sql, sql_args = apply_facets(base, facets, params).order_by().values("pk")[: cap + 1].query.sql_with_params()
    parts.append(f"SELECT -1 AS facet, NULL AS value, COUNT(*) AS n FROM ({sql}) t")
    args.extend(sql_args)
    statement = " UNION ALL ".join(parts)
    if match is not None:
        match_sql, match_args = match.order_by().values("pk").query.sql_with_params()
        statement = f"WITH {MATCHED}(id) AS MATERIALIZED ({match_sql}) {statement}"
        args = [*match_args, *args]
    counts: dict[str, dict[str, int]] = {facet.param: {} for facet in facets}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(statement, args)
        for index, value, n in cursor.fetchall():
            if index < 0:
                total = n
            elif value not in (None, ""):
                counts[facets[index].param][value] = n
    return Counted(counts, Total(min(total, cap), capped=total > cap))


def facet_groups(facets: list[Facet], params: QueryDict | Mapping, counted: Counted) -> list[FacetGroup]:
    """Each facet's values with their counts; values with no rows are left out unless selected."""
    groups = []
    for facet in facets:
        selected = set(facet.values_in(params))
        counts = counted.counts[facet.param]
        labels = facet.labels() if facet.labels else {v: v for v in sorted(counts)}
        options = [FacetOption(value, label, counts.get(value, 0), value in selected)
                   for value, label in labels.items() if counts.get(value) or value in selected]
        groups.append(FacetGroup(facet, options))
    return groups
