"""What a post's Markdown says beyond its text: @mentions, quotes of other posts, and links.

Mentions use the member's stable handle (accounts.mentions). A quote is a block quote that links to
the quoted post (`/forums/posts/<id>/`), as the "Quote" button writes it.
"""

import re

from accounts.mentions import MENTION, handle_of, mentioned_ids

__all__ = ["MENTION", "count_links", "handle_of", "link_mentions", "mentioned_ids", "quote_block", "quoted_post_ids"]

QUOTED_POST = re.compile(r"^\s*>.*?/forums/posts/(\d+)/", re.MULTILINE)
LINK = re.compile(r"https?://|\]\(\s*/", re.IGNORECASE)


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
