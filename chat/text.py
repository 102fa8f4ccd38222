"""Message text: cleaned of control characters, shown escaped with its web links made clickable.

The sender's text is escaped piece by piece and only the links we recognise (http, https and
www. addresses) become <a> elements whose href we build; nothing the sender types becomes markup.
"""

import re

from django.utils.html import escape

# C0 and C1 control characters, except tab and newline (carriage returns become newlines first).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINK = re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?'\"”’»"


def clean_text(text: str) -> str:
    """Normalise line breaks, drop control characters, trim surrounding white space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", text).strip()


def _trim_link(link: str) -> str:
    """Leave sentence punctuation and an unbalanced closing bracket outside the link."""
    while link and (link[-1] in _TRAILING_PUNCTUATION
                    or (link[-1] == ")" and link.count("(") < link.count(")"))):
        link = link[:-1]
    return link


def linkify(text: str) -> str:
    """The text as safe HTML: everything escaped, web addresses turned into links."""
    pieces: list[str] = []
    position = 0
    for match in _LINK.finditer(text):
        link = _trim_link(match.group(0))
        if not link or link.lower() in ("http://", "https://", "www."):
            continue
        href = link if link.lower().startswith("http") else f"https://{link}"
        pieces.append(escape(text[position:match.start()]))
        pieces.append(f'<a href="{escape(href)}" rel="nofollow noopener noreferrer" target="_blank">'
                      f"{escape(link)}</a>")
        position = match.start() + len(link)
    pieces.append(escape(text[position:]))
    return "".join(pieces)
