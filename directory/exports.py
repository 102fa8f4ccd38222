"""CSV exports of any filtered list, and the CSV safety rule they share.

A cell that begins with =, +, -, @, a tab or a carriage return is a formula to a spreadsheet; such
cells are prefixed with an apostrophe so that opening an export never runs what a member typed.
"""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from core.downloads import for_server

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _names(items: Iterable[Model], attribute: str = "name") -> str:
    return "; ".join(getattr(item, attribute) for item in items)


Column = tuple[str, Callable[[Model], object]]

ORGANISATION_COLUMNS: list[Column] = [
    ("name", lambda o: o.name),
    ("kind", lambda o: o.get_kind_display()),
    ("country", lambda o: o.country.code),
    ("city", lambda o: o.city),
    ("level", lambda o: o.level),
    ("policy_areas", lambda o: _names(o.policy_areas.all())),
    ("topics", lambda o: _names(o.topics.all())),
    ("website", lambda o: o.website),
    ("published_practices", lambda o: o.practice_count),
    ("page", lambda o: o.get_absolute_url()),
]
PRACTICE_COLUMNS: list[Column] = [
    ("title", lambda p: p.title),
    ("lead_organisation", lambda p: p.organisation.name),
    ("country", lambda p: p.country.code),
    ("city", lambda p: p.city),
    ("level", lambda p: p.level),
    ("start_year", lambda p: p.start_year),
    ("end_year", lambda p: p.end_year or "ongoing"),
    ("policy_areas", lambda p: _names(p.policy_areas.all())),
    ("target_groups", lambda p: _names(p.target_groups.all())),
    ("summary", lambda p: p.summary),
    ("published", lambda p: p.published_at.date().isoformat() if p.published_at else ""),
    ("page", lambda p: p.get_absolute_url()),
]
RESOURCE_COLUMNS: list[Column] = [
    ("title", lambda r: r.title),
    ("type", lambda r: r.get_kind_display()),
    ("publisher", lambda r: r.publisher.name),
    ("authors", lambda r: r.authors),
    ("year", lambda r: r.year),
    ("language", lambda r: r.language),
    ("policy_areas", lambda r: _names(r.policy_areas.all())),
    ("link", lambda r: r.url),
    ("page", lambda r: r.get_absolute_url()),
]
PEOPLE_COLUMNS: list[Column] = [
    ("name", lambda m: m.user.full_name),
    ("job_title", lambda m: m.user.job_title),
    ("organisation", lambda m: m.organisation.name),
    ("country", lambda m: m.organisation.country.code),
    ("profile", lambda m: m.user.get_absolute_url()),
]


def _rows(qs: QuerySet, columns: list[Column]) -> Iterator[list[str]]:
    yield [name for name, _ in columns]
    for obj in qs.iterator(chunk_size=500):
        yield [safe_cell(get(obj)) for _, get in columns]


def csv_response(request: HttpRequest, qs: QuerySet, columns: list[Column], filename: str) -> StreamingHttpResponse:
    """Stream the rows as CSV: memory stays flat however long the list, under WSGI and ASGI alike."""
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in _rows(qs, columns))
    response = StreamingHttpResponse(for_server(request, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
