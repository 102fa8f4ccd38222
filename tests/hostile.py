"""Hostile inputs that every text field's tests reuse.

A field is safe when each of these is either refused with a message naming the field, or stored
and shown back as inert text: no script runs, no markup escapes, nothing crashes.
"""

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "[click me](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">link</a>",
    "\"><script>alert(1)</script>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "{{ 7*7 }} {% now 'Y' %}",
]

CONTROL_CHARACTERS = [
    "null\x00byte",
    "bell\x07 and escape\x1b[31m",
    "right-to-left \u202e override",
    "zero\u200bwidth",
]

OVERLONG = "x" * 100_000

WRONG_TYPES = [None, 12345, 3.14, True, ["a", "list"], {"a": "dict"}]

# Strings that must be stored as given: real names and text are not hostile.
LEGITIMATE = ["Zoë O'Brien-Nguyễn", "محمد الحسن", "Ελένη Παπαδοπούλου", "東京都", "Ünal & Söhne <GmbH>"]

ALL_STRINGS = XSS_PAYLOADS + CONTROL_CHARACTERS + [OVERLONG]


class _LiveMarkupFinder(HTMLParser):
    """Collects every piece of markup that could run code: what escaping or sanitising must remove."""

    DANGEROUS_TAGS = {"iframe", "svg", "object", "embed", "frame", "frameset", "base", "form-action"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith(("/static/", "/jsi18n/")):  # our files, and the translations for them
                self.found.append(f"<script src={src!r}>")
            self._in_script = True
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            live_url = value.startswith(("javascript:", "data:text", "vbscript:"))
            if name in ("href", "src", "action", "formaction") and live_url:
                self.found.append(f"{name}={value!r} on <{tag}>")
            if name == "style" and ("javascript" in value or "url(" in value):
                self.found.append(f"style={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]!r}")


def assert_inert(html: str) -> None:
    """Fail when rendered HTML carries live markup: a script, an event handler, a javascript: URL.

    Escaped text (&lt;script&gt;) is inert and passes: it is what the reader should see.
    """
    finder = _LiveMarkupFinder()
    finder.feed(html)
    assert not finder.found, f"hostile markup survived rendering: {finder.found}"

# Values for every query parameter and body field of the API (tests/test_api_fuzz.py): text the database
# cannot hold, digits int() refuses, numbers no column holds, wrong types (and JSON nested 2,000 deep, sent as text).
API_HOSTILE_VALUES = [
    "\x00", "a\x00b", "\ud800", "lone \udfff surrogate", "²", "٣", "1e400", "-1", "0", "NaN",
    "99999999999999999999999", 99999999999999999999999, -99999999999999999999999, 1e308, -1, True, None,
    "", " ", OVERLONG, ["a\x00b"], {"a": "\x00"}, [[[[["deep"]]]]], "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "../../etc/passwd",
]
