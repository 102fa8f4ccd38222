"""CSV exports of any filtered list, and the CSV safety rule they share.

A cell that begins with =, +, -, @, a tab or a carriage return is a formula to a spreadsheet; such
cells are prefixed with an apostrophe so that opening an export never runs what a member typed.
"""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

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


# A column: its heading, in the reader's language, and how to read its cell. Codes (country, level,
# language) and dates (ISO 8601) stay as they are, so a spreadsheet sorts and filters them in any language.
Column = tuple[object, Callable[[Model], object]]

ORGANISATION_COLUMNS: list[Column] = [
    (_("Name"), lambda o: o.name),
    (pgettext_lazy("organisation", "Kind"), lambda o: o.get_kind_display()),
    (_("Country"), lambda o: o.country.code),
    (_("City"), lambda o: o.city),
    (_("Level"), lambda o: o.level),
    (_("Policy areas"), lambda o: _names(o.policy_areas.all())),
    (_("Sub-topics"), lambda o: _names(o.topics.all())),
    (_("Website"), lambda o: o.website),
    (_("Published practices"), lambda o: o.practice_count),
    (_("Page"), lambda o: o.get_absolute_url()),
]
PRACTICE_COLUMNS: list[Column] = [
    (_("Title"), lambda p: p.title),
    (_("Lead organisation"), lambda p: p.organisation.name),
    (_("Country"), lambda p: p.country.code),
    (_("City"), lambda p: p.city),
    (_("Level"), lambda p: p.level),
    (_("Start year"), lambda p: p.start_year),
    (_("End year"), lambda p: p.end_year or pgettext("practice", "ongoing")),
    (_("Policy areas"), lambda p: _names(p.policy_areas.all())),
    (_("Target groups"), lambda p: _names(p.target_groups.all())),
    (_("Summary"), lambda p: p.summary),
    (pgettext_lazy("date", "Published"), lambda p: p.published_at.date().isoformat() if p.published_at else ""),
    (_("Page"), lambda p: p.get_absolute_url()),
]
RESOURCE_COLUMNS: list[Column] = [
    (_("Title"), lambda r: r.title),
    (pgettext_lazy("resource", "Type"), lambda r: r.get_kind_display()),
    (_("Publisher"), lambda r: r.publisher.name),
    (_("Authors"), lambda r: r.authors),
    (_("Year"), lambda r: r.year),
    (_("Language"), lambda r: r.language),
    (_("Policy areas"), lambda r: _names(r.policy_areas.all())),
    (_("Link"), lambda r: r.url),
    (_("Page"), lambda r: r.get_absolute_url()),
]
PEOPLE_COLUMNS: list[Column] = [
    (_("Name"), lambda m: m.user.full_name),
    (_("Job title"), lambda m: m.user.job_title),
    (_("Organisation"), lambda m: m.organisation.name),
    (_("Country"), lambda m: m.organisation.country.code),
    (_("Profile"), lambda m: m.user.get_absolute_url()),
]


def _rows(header: list[str], qs: QuerySet, columns: list[Column]) -> Iterator[list[str]]:
    yield header
    for obj in qs.iterator(chunk_size=500):
        yield [safe_cell(get(obj)) for _heading, get in columns]


def csv_response(request: HttpRequest, qs: QuerySet, columns: list[Column], filename: str) -> StreamingHttpResponse:
    """Stream the rows as CSV: memory stays flat however long the list, under WSGI and ASGI alike."""
    writer = csv.writer(_Echo())
    header = [safe_cell(heading) for heading, _get in columns]  # worded now, in the request's language
    rows = (writer.writerow(row) for row in _rows(header, qs, columns))
    response = StreamingHttpResponse(for_server(request, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
