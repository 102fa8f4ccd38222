"""Mention handles, shared by every app where members write text (forums, chat).

A handle is the member's slugified name, a hyphen and their member number, e.g. `@amina-haddad-12`.
The number decides who is meant, so the handle keeps working when the member changes their name (the
name part is only there to be readable); a profile shows the member's handle.
"""

import re

from django.utils.text import slugify

MENTION = re.compile(r"(?<![\w/@.\[])@([a-z0-9]+(?:-[a-z0-9]+)*)-(\d+)\b", re.IGNORECASE)


def handle_of(user) -> str:
    """The member's mention handle, e.g. `amina-haddad-12`."""
    return f"{slugify(user.full_name) or 'member'}-{user.pk}"


def mentioned_ids(body: str) -> list[int]:
    """Member numbers mentioned in the text, in order, each once."""
    return list(dict.fromkeys(int(m.group(2)) for m in MENTION.finditer(body)))
