"""What a post's Markdown says beyond its text: @mentions, quotes of other posts, and links.

Mentions use a stable handle: the member's slugified name, a hyphen and their member number,
e.g. `@amina-haddad-12`. The number decides who is meant, so the handle keeps working when the
member changes their name (the name part is only there to be readable); a profile shows the
member's handle. A quote is a block quote that links to the quoted post (`/forums/posts/<id>/`),
as the "Quote" button writes it.
"""

import re

from django.utils.text import slugify

MENTION = re.compile(r"(?<![\w/@.\[])@([a-z0-9]+(?:-[a-z0-9]+)*)-(\d+)\b", re.IGNORECASE)
QUOTED_POST = re.compile(r"^\s*>.*?/forums/posts/(\d+)/", re.MULTILINE)
LINK = re.compile(r"https?://|\]\(\s*/", re.IGNORECASE)


def handle_of(user) -> str:
    """The member's mention handle, e.g. `amina-haddad-12`."""
    return f"{slugify(user.full_name) or 'member'}-{user.pk}"


def mentioned_ids(body: str) -> list[int]:
    """Member numbers mentioned in the text, in order, each once."""
    return list(dict.fromkeys(int(m.group(2)) for m in MENTION.finditer(body)))


def link_mentions(body: str, known_ids: set[int]) -> str:
    """Turn mentions of existing members into Markdown links to their profiles before rendering."""

    def replace(match: re.Match) -> str:
        member_id = int(match.group(2))
        if member_id not in known_ids:
            return match.group(0)
        return f"[{match.group(0)}](/people/{member_id}/)"

    return MENTION.sub(replace, body)


def quoted_post_ids(body: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in QUOTED_POST.findall(body)))


def count_links(body: str) -> int:
    return len(LINK.findall(body))


def quote_block(*, author_name: str, post_id: int, body: str) -> str:
    """The Markdown a reply starts with when quoting a post."""
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.strip().splitlines())
    name = re.sub(r"[\[\]*_`\\]", "", author_name) or "A member"
    return f"> **{name}** [wrote](/forums/posts/{post_id}/):\n{quoted}\n\n"
