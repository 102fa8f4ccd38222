"""The languages content is written in (practices, resources, events, forum topics), apart from the interface's
six (settings.LANGUAGES): each with its name in the reader's language, its name in itself ("Français", for
"Also in: Français · Español"), the PostgreSQL text-search configuration that stems it, and its direction, so the
element showing the content carries `lang` and, for a right-to-left script, `dir="rtl"`."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# code: (name, text-search configuration). Languages PostgreSQL has no stemmer for use "simple": words are
# matched as written, lower-cased.
CONTENT_LANGUAGES: dict[str, tuple] = {
    "en": (_("English"), "english"),
    "fr": (_("French"), "french"),
    "de": (_("German"), "german"),
    "es": (_("Spanish"), "spanish"),
    "it": (_("Italian"), "italian"),
    "pt": (_("Portuguese"), "portuguese"),
    "nl": (_("Dutch"), "dutch"),
    "sv": (_("Swedish"), "swedish"),
    "da": (_("Danish"), "danish"),
    "no": (_("Norwegian"), "norwegian"),
    "el": (_("Greek"), "greek"),
    "tr": (_("Turkish"), "turkish"),
    "ar": (_("Arabic"), "arabic"),
    "pl": (_("Polish"), "simple"),
    "ru": (_("Russian"), "russian"),
    "zh": (_("Chinese"), "simple"),
}
LANGUAGE_CHOICES = [(code, name) for code, (name, _config) in CONTENT_LANGUAGES.items()]

# Each language named in itself, as a reader of that language looks for it.
AUTONYMS = {
    "en": "English", "fr": "Français", "de": "Deutsch", "es": "Español", "it": "Italiano", "pt": "Português",
    "nl": "Nederlands", "sv": "Svenska", "da": "Dansk", "no": "Norsk", "el": "Ελληνικά", "tr": "Türkçe",
    "ar": "العربية", "pl": "Polski", "ru": "Русский", "zh": "中文",
}

# Scripts written right to left: Arabic, Hebrew, Persian, Urdu.
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})

# An interface language whose content code differs (the interface's Chinese is Simplified, "zh-hans").
_CONTENT_CODE_OF_INTERFACE = {"zh-hans": "zh"}


def content_language_choices() -> list[tuple[str, object]]:
    """For a field's `choices`: a callable, so adding a language needs no migration."""
    return LANGUAGE_CHOICES


def search_config(language: str) -> str:
    """The text-search configuration for content written in `language`."""
    return CONTENT_LANGUAGES.get(language, ("", "simple"))[1]


def autonym(language: str) -> str:
    return AUTONYMS.get(language, language)


def direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def content_language_of(interface_language: str) -> str:
    """The content language of text written in an interface language ("zh-hans" is Chinese, "zh")."""
    language = _CONTENT_CODE_OF_INTERFACE.get(interface_language, interface_language)
    return language if language in CONTENT_LANGUAGES else "en"


def default_content_language(user) -> str:
    """What an author most likely writes in: their interface language, else the site's."""
    return content_language_of(getattr(user, "language", "") or settings.LANGUAGE_CODE)
