"""Rich references: a post that links to an organisation, an event or a practice on this site
shows a small card for it under the text.

Each kind registers a resolver for the URL name of its page: `register_reference(url_name, resolve)`,
where `resolve(**url_kwargs)` returns a `Reference` for content that is public, or None. References
are resolved once when the post is saved and stored with it (like its HTML), so showing a topic
costs no extra query per link.
"""

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from accounts.models import Organisation
from directory.models import Practice
from events.models import Event

MAX_REFERENCES = 5
_HREF = re.compile(r'href="([^"]+)"')


@dataclass(frozen=True)
class Reference:
    kind: str
    title: str
    url: str
    meta: str = ""


Resolver = Callable[..., Reference | None]
_RESOLVERS: dict[str, Resolver] = {}


def register_reference(url_name: str, resolve_reference: Resolver) -> None:
    _RESOLVERS[url_name] = resolve_reference


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
        resolver = _RESOLVERS.get(match.view_name)
        reference = resolver(**match.kwargs) if resolver else None
        if reference is not None and reference.url not in found:
            found[reference.url] = asdict(reference)
        if len(found) >= MAX_REFERENCES:
            break
    return list(found.values())


def _organisation(slug: str) -> Reference | None:
    organisation = Organisation.objects.filter(slug=slug, verified=True).first()
    if organisation is None:
        return None
    place = ", ".join(p for p in (organisation.city, organisation.country.name) if p)
    return Reference(kind="Organisation", title=organisation.name, url=organisation.get_absolute_url(),
                     meta=f"{organisation.get_kind_display()} · {place}")


register_reference("accounts:organisation", _organisation)


def _event(slug: str) -> Reference | None:
    event = Event.objects.filter(slug=slug, status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
                                 visibility=Event.Visibility.PUBLIC).first()
    if event is None:
        return None
    starts = event.starts_at.astimezone(event.tzinfo)
    place = event.city or event.get_format_display()
    status = " · cancelled" if event.is_cancelled else ""
    return Reference(kind=event.get_kind_display(), title=event.title, url=event.get_absolute_url(),
                     meta=f"{starts:%d %B %Y, %H:%M} ({event.timezone}) · {place}{status}")


register_reference("events:detail", _event)


def _practice(slug: str) -> Reference | None:
    practice = (Practice.objects.filter(slug=slug, status=Practice.Status.PUBLISHED)
                .select_related("organisation").first())
    if practice is None:
        return None
    place = ", ".join(p for p in (practice.city, practice.country.name) if p)
    return Reference(kind="Good practice", title=practice.title, url=practice.get_absolute_url(),
                     meta=f"{practice.organisation.name} · {place}")


register_reference("directory:practice", _practice)
