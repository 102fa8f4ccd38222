"""Faceted browsing shared by the directory, the practices and the library: filters from the URL, counts per value.

Values of one facet combine with OR, facets combine with AND. Each facet's counts are taken with every
other facet applied but not its own, so a reader sees how many rows each further choice would give.
Every facet costs one grouped query, whatever the number of rows.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Expression, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django_countries import countries

from core.errors import BadParameter


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

    def counts(self, qs: QuerySet) -> dict[str, int]:
        if self.expression is not None:
            qs = qs.annotate(**{self.lookup: self.expression})
        rows = qs.order_by().values(self.lookup).annotate(n=Count("pk", distinct=True))
        return {str(row[self.lookup]): row["n"] for row in rows if row[self.lookup] not in (None, "")}


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


def facet_groups(base: QuerySet, facets: list[Facet], params: QueryDict | Mapping) -> list[FacetGroup]:
    """Each facet's values with their counts; values with no rows are left out unless selected."""
    groups = []
    for facet in facets:
        selected = set(facet.values_in(params))
        counts = facet.counts(apply_facets(base, facets, params, skip=facet))
        labels = facet.labels() if facet.labels else {v: v for v in sorted(counts)}
        options = [FacetOption(value, label, counts.get(value, 0), value in selected)
                   for value, label in labels.items() if counts.get(value) or value in selected]
        groups.append(FacetGroup(facet, options))
    return groups
