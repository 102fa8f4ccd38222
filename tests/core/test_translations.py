"""Every string is born translated: the six catalogues hold every message the code marks, translated and not
fuzzy, and each compiles with its placeholders intact (README, Languages)."""

import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["en", "fr", "es", "ar", "ru", "zh_Hans"]  # the locale names of settings.LANGUAGES
DOMAINS = ["django", "djangojs"]
# The same extraction as `make messages` (Makefile, MESSAGES_OPTS).
IGNORED = [".venv", "var", "bench", "tests", "build"]


class ExtractInto(makemessages.Command):
    """makemessages, writing into another directory instead of locale/ (it would merge into the catalogues)."""

    def __init__(self, target: Path):
        super().__init__()
        self.target = str(target)

    def build_potfiles(self):
        self.locale_paths = [self.target]
        return super().build_potfiles()

    def find_files(self, root):
        files = super().find_files(root)
        for file in files:
            file.locale_dir = self.target
        return files


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, polib.POFile]:
    """What the code marks today, per domain, as makemessages extracts it."""
    target = tmp_path_factory.mktemp("extracted")
    for domain in DOMAINS:
        call_command(ExtractInto(target), locale=["en"], domain=domain, ignore_patterns=IGNORED,
                     add_location="file", verbosity=0)
    return {domain: polib.pofile(str(target / "en" / "LC_MESSAGES" / f"{domain}.po")) for domain in DOMAINS}


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _where(entry: polib.POEntry) -> str:
    return ", ".join(sorted({path for path, _line in entry.occurrences})) or "?"


def catalogue_problems(extracted: dict[str, polib.POFile]) -> list[str]:
    problems = []
    for domain, marked in extracted.items():
        for language in CATALOGUES:
            path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
            name = path.relative_to(settings.BASE_DIR)
            if not path.exists():
                problems.append(f"{name} is missing: run `make messages`")
                continue
            catalogue = polib.pofile(str(path))
            held = {_key(entry): entry for entry in catalogue if not entry.obsolete}
            wanted = {_key(entry) for entry in marked}
            # A fuzzy entry the code no longer marks is still a guess waiting in the catalogue.
            problems.extend(f"{name} has a fuzzy {entry.msgid!r} ({_where(entry)}): check and unmark it"
                            for entry in catalogue if "fuzzy" in entry.flags and _key(entry) not in wanted)
            for entry in marked:
                own = held.get(_key(entry))
                if own is None:
                    problems.append(f"{name} lacks {entry.msgid!r} ({_where(entry)}): run `make messages`")
                elif "fuzzy" in own.flags:
                    problems.append(f"{name} has a fuzzy {entry.msgid!r} ({_where(entry)}): check and unmark it")
                elif language != "en" and not own.translated():
                    problems.append(f"{name} leaves {entry.msgid!r} untranslated ({_where(entry)})")
    return problems


def test_every_marked_string_is_translated_in_all_six_catalogues(extracted):
    problems = catalogue_problems(extracted)
    shown = "\n".join(problems[:200])
    more = f"\n… and {len(problems) - 200} more" if len(problems) > 200 else ""
    assert not problems, f"{len(problems)} catalogue problems:\n{shown}{more}"


def test_the_extraction_finds_what_the_code_marks(extracted):
    """The completeness test above looks at real messages: the header's and the scripts' among them."""
    django_ids = {entry.msgid for entry in extracted["django"]}
    assert {"Skip to content", "Log in", "Previous", "Language:"} <= django_ids
    assert "Notifications, %(counter)s unread" in {e.msgid for e in extracted["django"] if e.msgid_plural}
    assert "Draft saved in this browser." in {entry.msgid for entry in extracted["djangojs"]}
    # Nothing from the tests, the benchmark or the virtual environment.
    locations = {path for domain in DOMAINS for entry in extracted[domain] for path, _line in entry.occurrences}
    assert locations and not {path for path in locations if path.split("/")[0] in IGNORED}


def test_a_catalogue_that_lacks_a_string_or_leaves_it_fuzzy_is_named_with_the_string(extracted, tmp_path,
                                                                                      monkeypatch):
    marked = polib.POFile()
    marked.append(polib.POEntry(msgid="A string nobody translated", occurrences=[("core/views.py", "")]))
    problems = catalogue_problems({"django": marked})
    assert "locale/fr/LC_MESSAGES/django.po lacks 'A string nobody translated' (core/views.py): " \
           "run `make messages`" in problems

    monkeypatch.setattr(f"{__name__}.LOCALE", tmp_path)
    for language in CATALOGUES:
        (tmp_path / language / "LC_MESSAGES").mkdir(parents=True)
        catalogue = polib.POFile()
        catalogue.append(polib.POEntry(msgid="A string nobody translated", msgstr="Traduit",
                                       flags=["fuzzy"] if language == "fr" else []))
        catalogue.save(str(tmp_path / language / "LC_MESSAGES" / "django.po"))
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path.parent)
    problems = catalogue_problems({"django": marked})
    assert problems == [f"{tmp_path.name}/fr/LC_MESSAGES/django.po has a fuzzy 'A string nobody translated' "
                        "(core/views.py): check and unmark it"]


@pytest.mark.parametrize("catalogue", [f"{language}/LC_MESSAGES/{domain}.po"
                                       for language in CATALOGUES for domain in DOMAINS])
def test_every_catalogue_compiles_with_its_placeholders_intact(catalogue):
    """msgfmt --check: the header, plural forms, and python-format placeholders (%(name)s) that match."""
    result = subprocess.run(["msgfmt", "--check", "--output-file=/dev/null", str(LOCALE / catalogue)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
