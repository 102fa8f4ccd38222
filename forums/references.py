"""Rich references: a post that links to an organisation, an event or a practice on this site
shows a small card for it under the text.

Each app registers a resolver for the URL name of its page in core.extensions.LINK_PREVIEWS, where
`resolve(**url_kwargs)` returns a `LinkPreview` for content that is public, or None. References
are resolved once when the post is saved and stored with it (like its HTML), so showing a topic
costs no extra query per link.
"""

import re
from dataclasses import asdict
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from core.extensions import LINK_PREVIEWS

MAX_REFERENCES = 5
_HREF = re.compile(r'href="([^"]+)"')


def references_in(html: str) -> list[dict]:
    """The rich references for the site links in rendered HTML, each once, at most MAX_REFERENCES."""
    site = urlsplit(settings.SITE_URL)
    found: dict[str, dict] = {}
    for href in _HREF.findall(html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.netloc and parts.netloc != site.netloc:
            continue
        try:
            match = resolve(parts.path or "/")
        except Resolver404:
            continue
        resolver = LINK_PREVIEWS.get(match.view_name)
        reference = resolver(**match.kwargs) if resolver else None
        if reference is not None and reference.url not in found:
            found[reference.url] = asdict(reference)
        if len(found) >= MAX_REFERENCES:
            break
    return list(found.values())
