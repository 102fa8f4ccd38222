"""The one way a page shows a member's avatar or an organisation's logo: {% avatar obj "sm" %}.

`obj` is a member (its `avatar` key and `full_name`) or an organisation (its `logo` key and `name`).
With a picture it is an <img>; without one, the initials on a colour derived from the name, so the same
person keeps the same colour everywhere. Both are decorative (alt="", aria-hidden): the name is always
written beside them. Sizes: xs (header), sm (lists, posts, chat), md (cards), lg (profile pages).
"""

import zlib

from django import template
from django.utils.html import format_html

from core.images import picture_url

register = template.Library()

# CSS pixels shown, and which stored file serves them.
SIZES = {"xs": (24, "small"), "sm": (32, "small"), "md": (48, "small"), "lg": (128, "large")}
# static/css/site.css defines .face-hue-0 … .face-hue-7, each with white text at AA contrast or better.
HUES = 8
SMALL_WORDS = {"of", "the", "for", "and", "de", "la", "le", "du", "des", "der", "die", "und", "di", "del", "et"}


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    significant = [w for w in words if w.lower() not in SMALL_WORDS] or words
    if not significant:
        return "?"
    letters = significant[0][0] + (significant[-1][0] if len(significant) > 1 else "")
    return letters.upper()


def hue(name: str) -> int:
    return zlib.crc32(name.strip().lower().encode()) % HUES


def _face(obj) -> tuple[str, str, str]:
    """(folder, key, name) for a member or an organisation."""
    if hasattr(obj, "logo"):
        return "logos", obj.logo, obj.name
    return "avatars", getattr(obj, "avatar", ""), getattr(obj, "full_name", "") or str(obj)


@register.simple_tag
def avatar(obj, size: str = "sm") -> str:
    if obj is None:
        return ""
    pixels, stored = SIZES.get(size, SIZES["sm"])
    folder, key, name = _face(obj)
    shape = "face-logo" if folder == "logos" else "face-person"
    if key:
        return format_html('<img class="face face-{} {}" src="{}" alt="" width="{}" height="{}" loading="lazy">',
                           size, shape, picture_url(folder=folder, key=key, size=stored), pixels, pixels)
    return format_html('<span class="face face-{} {} face-hue-{}" aria-hidden="true">{}</span>',
                       size, shape, hue(name), initials(name))
