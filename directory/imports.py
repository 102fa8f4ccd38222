"""Reading and checking staff CSV imports of organisations and practices; the writes are in services.py.

Each row is checked by a form, so a problem is reported as (line, field, reason) in the words a page
would use. Line numbers are the file's own: the header is line 1, and a row whose quoted cells span
several lines is reported at the line where it starts.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy
from django_countries import countries

from accounts.models import Organisation
from core.models import PolicyArea, Topic
from core.taxonomy import Level
from directory.models import LANGUAGE_CHOICES, ImportJob, Practice, TargetGroup, validate_links

MAX_IMPORT_BYTES = 5 * 1024 * 1024
BATCH_ROWS = 500
MAX_ERRORS = 500
LIST_SEPARATOR = ";"

# Translators: the codes a CSV column accepts, then its default, e.g. "local, regional, national (default local)".
_WITH_DEFAULT = pgettext_lazy("csv import column", "%(codes)s (default %(default)s)")


class _LazyDefault:
    """A column description made of codes and a default, translated when shown."""

    def __init__(self, codes: list[str], default: str) -> None:
        self.codes, self.default = codes, default

    def __str__(self) -> str:
        return str(_WITH_DEFAULT) % {"codes": ", ".join(self.codes), "default": self.default}


_MARKDOWN = gettext_lazy("Markdown")

# column → (required, what it holds); the column names are the file's own and stay in English.
COLUMNS: dict[str, dict[str, tuple[bool, object]]] = {
    ImportJob.Kind.ORGANISATIONS: {
        "name": (True, gettext_lazy("The organisation's name; must be new.")),
        "kind": (True, ", ".join(Organisation.Kind.values)),
        "country": (True, gettext_lazy("ISO 3166 code, e.g. AT")),
        "city": (False, ""),
        "level": (False, _LazyDefault(Level.values, "local")),
        "website": (False, "https://…"),
        "description": (False, _MARKDOWN),
        "policy_areas": (False, gettext_lazy("codes separated by ; e.g. socio-economic;cultural")),
        "topics": (False, gettext_lazy("sub-topic codes separated by ; e.g. housing;employment")),
    },
    ImportJob.Kind.PRACTICES: {
        "title": (True, gettext_lazy("Must be new for its organisation.")),
        "summary": (True, gettext_lazy("Two or three sentences.")),
        "organisation": (True, gettext_lazy("The lead organisation's address name (slug), as in "
                                            "/organisations/<slug>/")),
        "start_year": (True, gettext_lazy("e.g. 2019")),
        "end_year": (False, gettext_lazy("Empty while it runs.")),
        "country": (True, gettext_lazy("ISO 3166 code")),
        "city": (False, ""),
        "level": (False, _LazyDefault(Level.values, "local")),
        "policy_areas": (False, gettext_lazy("codes separated by ;")),
        "topics": (False, gettext_lazy("sub-topic codes separated by ;")),
        "target_groups": (False, gettext_lazy("codes separated by ; e.g. youth;women")),
        "issue": (False, _MARKDOWN),
        "how_it_works": (False, _MARKDOWN),
        "results": (False, _MARKDOWN),
        "lessons": (False, _MARKDOWN),
        "transferability": (False, _MARKDOWN),
        "links": (False, gettext_lazy("web addresses separated by ;")),
        "language": (False, _LazyDefault([code for code, _name in LANGUAGE_CHOICES], "en")),
    },
}


@dataclass
class Row:
    line: int
    values: dict[str, str]
    too_many_cells: bool = False


class ImportFileError(ValueError):
    """The file as a whole cannot be read: not UTF-8, not CSV, or missing required columns."""


def decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(gettext("The file is not UTF-8 text (byte %(position)s cannot be read); "
                                      "save it as “CSV UTF-8”.") % {"position": error.start}) from None
    if "\x00" in text:
        raise ImportFileError(gettext("The file contains null bytes: it is not a CSV text file."))
    return text


def read_rows(kind: str, text: str) -> Iterator[Row]:
    """Rows with their starting line; raises ImportFileError when the header lacks required columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError(gettext("The file is empty.")) from None
    except csv.Error as error:
        raise ImportFileError(gettext("Line %(line)s is not valid CSV: %(error)s.")
                              % {"line": 1, "error": error}) from None
    expected = COLUMNS[kind]
    missing = [name for name, (required, _) in expected.items() if required and name not in header]
    if missing:
        raise ImportFileError(ngettext("The header row lacks the required column: %(columns)s.",
                                       "The header row lacks the required columns: %(columns)s.",
                                       len(missing)) % {"columns": ", ".join(missing)})
    unknown = [name for name in header if name and name not in expected]
    if unknown:
        raise ImportFileError(ngettext("The header row has an unknown column: %(unknown)s; the columns are "
                                       "%(columns)s.",
                                       "The header row has unknown columns: %(unknown)s; the columns are "
                                       "%(columns)s.", len(unknown))
                              % {"unknown": ", ".join(unknown), "columns": ", ".join(expected)})
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(gettext("Line %(line)s is not valid CSV: %(error)s.")
                                  % {"line": start, "error": error}) from None
        if any(cell.strip() for cell in cells):
            values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
            yield Row(start, values, too_many_cells=len(cells) > len(header))
        start = reader.line_num + 1


def count_rows(kind: str, text: str) -> int:
    return sum(1 for _ in read_rows(kind, text))


@dataclass
class Lookups:
    """Everything a batch checks rows against, loaded once a batch."""

    areas: dict[str, PolicyArea]
    topics: dict[str, Topic]
    targets: dict[str, TargetGroup]
    organisations: dict[str, Organisation]
    existing_names: set[str]
    existing_titles: set[tuple[int, str]]


def load_lookups(kind: str, rows: list[Row]) -> Lookups:
    areas = {a.code: a for a in PolicyArea.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    targets = {t.slug: t for t in TargetGroup.objects.all()} if kind == ImportJob.Kind.PRACTICES else {}
    organisations, names, titles = {}, set(), set()
    if kind == ImportJob.Kind.ORGANISATIONS:
        wanted = {" ".join(r.values.get("name", "").split()).lower() for r in rows}
        names = set(Organisation.objects.annotate(lname=Lower("name")).filter(lname__in=wanted)
                    .values_list("lname", flat=True))
    else:
        slugs = {r.values.get("organisation", "").strip() for r in rows}
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        wanted = {" ".join(r.values.get("title", "").split()).lower() for r in rows}
        titles = set(Practice.objects.annotate(ltitle=Lower("title"))
                     .filter(ltitle__in=wanted, organisation__in=organisations.values())
                     .values_list("organisation_id", "ltitle"))
    return Lookups(areas, topics, targets, organisations, names, titles)


# Translators: "%(unknown)s" lists codes from the file that match no policy area, sub-topic or target group.
UNKNOWN_CODES = {
    "policy area": gettext_lazy("Unknown policy area: %(unknown)s; use the codes %(codes)s."),
    "sub-topic": gettext_lazy("Unknown sub-topic: %(unknown)s; use the codes %(codes)s."),
    "target group": gettext_lazy("Unknown target group: %(unknown)s; use the codes %(codes)s."),
}


def _codes(value: str, known: dict, what: str) -> list:
    codes = [c.strip() for c in value.split(LIST_SEPARATOR) if c.strip()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        listed = ", ".join(list(known)[:12]) + ("…" if len(known) > 12 else "")
        raise forms.ValidationError(str(UNKNOWN_CODES[what]) % {"unknown": ", ".join(unknown[:5]),
                                                                 "codes": listed})
    return [known[c] for c in codes]


# The row forms validate and are never drawn, so a country's code is all a choice needs. Given as a callable: a
# form deep-copies list choices into each instance, once per row, and copying the 250 countries took most of a
# 5,000-row check's time (1,000 rows: 6.2 -> 2.7 s of CPU).
_COUNTRY_CODES = [(code, code) for code, _name in countries]


def _country_codes() -> list[tuple[str, str]]:
    return _COUNTRY_CODES


class _RowForm(forms.Form):
    def __init__(self, data: dict, lookups: Lookups):
        super().__init__(data)
        self.lookups = lookups

    def clean_policy_areas(self) -> list:
        return _codes(self.cleaned_data.get("policy_areas", ""), self.lookups.areas, "policy area")

    def clean_topics(self) -> list:
        return _codes(self.cleaned_data.get("topics", ""), self.lookups.topics, "sub-topic")


def _name(value: str, message: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise forms.ValidationError(message)
    return value


class OrganisationRow(_RowForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Organisation.Kind.choices)
    country = forms.ChoiceField(choices=_country_codes)
    city = forms.CharField(max_length=120, required=False)
    level = forms.ChoiceField(choices=Level.choices, required=False)
    website = forms.URLField(max_length=300, required=False)
    description = forms.CharField(max_length=10000, required=False)
    policy_areas = forms.CharField(required=False)
    topics = forms.CharField(required=False)

    def clean_name(self) -> str:
        name = _name(self.cleaned_data["name"], gettext("Give the organisation's name."))
        if name.lower() in self.lookups.existing_names:
            raise forms.ValidationError(gettext("“%(name)s” is already in the directory.") % {"name": name})
        return name

    def clean_level(self) -> str:
        return self.cleaned_data.get("level") or Level.LOCAL


class PracticeRow(_RowForm):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=1000)
    organisation = forms.CharField(max_length=200)
    start_year = forms.IntegerField(min_value=1945)
    end_year = forms.IntegerField(min_value=1945, required=False)
    country = forms.ChoiceField(choices=_country_codes)
    city = forms.CharField(max_length=120, required=False)
    level = forms.ChoiceField(choices=Level.choices, required=False)
    policy_areas = forms.CharField(required=False)
    topics = forms.CharField(required=False)
    target_groups = forms.CharField(required=False)
    issue = forms.CharField(max_length=10000, required=False)
    how_it_works = forms.CharField(max_length=20000, required=False)
    results = forms.CharField(max_length=10000, required=False)
    lessons = forms.CharField(max_length=10000, required=False)
    transferability = forms.CharField(max_length=10000, required=False)
    links = forms.CharField(max_length=3000, required=False)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False)

    def clean_title(self) -> str:
        return _name(self.cleaned_data["title"], gettext("Give the practice a title."))

    def clean_organisation(self) -> Organisation:
        slug = self.cleaned_data["organisation"].strip()
        organisation = self.lookups.organisations.get(slug)
        if organisation is None:
            raise forms.ValidationError(gettext("No organisation has the address name “%(slug)s”.")
                                        % {"slug": slug})
        return organisation

    def clean_start_year(self) -> int:
        year = self.cleaned_data["start_year"]
        if year > timezone.now().year + 1:
            raise forms.ValidationError(gettext("Give a year up to %(last)s.") % {"last": timezone.now().year + 1})
        return year

    def clean_target_groups(self) -> list:
        return _codes(self.cleaned_data.get("target_groups", ""), self.lookups.targets, "target group")

    def clean_links(self) -> str:
        links = "\n".join(link.strip() for link in self.cleaned_data["links"].split(LIST_SEPARATOR) if link.strip())
        validate_links(links)
        return links

    def clean_level(self) -> str:
        return self.cleaned_data.get("level") or Level.LOCAL

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or "en"

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", gettext("The practice cannot end before it starts."))
        organisation, title = data.get("organisation"), data.get("title")
        if organisation and title and (organisation.pk, title.lower()) in self.lookups.existing_titles:
            self.add_error("title", gettext("%(organisation)s already has a practice with this title.")
                           % {"organisation": organisation.name})
        return data


ROW_FORMS = {ImportJob.Kind.ORGANISATIONS: OrganisationRow, ImportJob.Kind.PRACTICES: PracticeRow}
KEY_FIELD = {ImportJob.Kind.ORGANISATIONS: "name", ImportJob.Kind.PRACTICES: "title"}


def check_rows(kind: str, rows: list[Row], seen: set[str]) -> tuple[list[tuple[int, dict]], list[list]]:
    """Validate rows; returns (line, cleaned data) for the valid ones and [line, field, reason] errors.

    `seen` holds the keys (names, or organisation and title) met earlier in the file; it is updated.
    """
    lookups = load_lookups(kind, rows)
    valid, errors = [], []
    key_field = KEY_FIELD[kind]
    for row in rows:
        if row.too_many_cells:
            errors.append([row.line, "(row)", gettext("The row has more cells than the header has columns.")])
            continue
        form = ROW_FORMS[kind](row.values, lookups)
        if not form.is_valid():
            for field, field_errors in form.errors.items():
                errors.extend([row.line, field if field != "__all__" else "(row)", str(e)] for e in field_errors)
            continue
        data = form.cleaned_data
        key = data[key_field].lower()
        if kind == ImportJob.Kind.PRACTICES:
            key = f"{data['organisation'].pk}:{key}"
        if key in seen:
            errors.append([row.line, key_field, gettext("“%(value)s” appears earlier in the file.")
                           % {"value": data[key_field]}])
            continue
        seen.add(key)
        valid.append((row.line, data))
    return valid, errors


def preview(job: ImportJob, limit: int = 10) -> list[Row]:
    """The first rows of the file as read, for the staff member to check the columns landed right."""
    if job.status == ImportJob.Status.IMPORTED:
        return []
    rows = []
    try:
        for row in read_rows(job.kind, job.content):
            rows.append(row)
            if len(rows) >= limit:
                break
    except ImportFileError:
        return rows
    return rows
