"""The site's URL patterns resolved once per path and process, then remembered.

Django walks the patterns in order for every request, and a path near the end of the list paid for every include
before it: each one that does not match raises and records what it tried. On the 1x bench data /healthz (the
first pattern) resolved in ~30 µs, /events/ in ~90 µs and an event or forum topic page in ~140 µs, as much as the
rest of a visitor's page served from the cache (core/pagecache.py) costs. A path's match depends only on the
patterns, which do not change while the process runs, and on the language (a translated route); so the match
found for a path is kept and given again.

Only matches are kept (a path that resolves to nothing is resolved again and answered 404 as before), only for
paths up to `LONGEST` characters (a slug pattern matches any text, so a client sending long made-up paths would
otherwise fill the table with them), and at most `LIMIT` paths: when the table is full it is emptied and filled
again. A match's arguments are copied into a new
dict for each request by the resolver above this one, so a view or middleware changing them changes nothing kept.
The match's `tried` (the patterns tried before it, for debugging) names only this resolver.
"""

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils import translation

LIMIT = 10_000
LONGEST = 200  # characters; a longer path is resolved each time, as Django does


class RememberingResolver(URLResolver):
    """`urlpatterns = [RememberingResolver([...])]`: the patterns, resolved as before, each path's match kept."""

    def __init__(self, patterns: list) -> None:
        super().__init__(RoutePattern(""), patterns)
        self.remembered: dict[tuple[str, str | None], object] = {}

    def resolve(self, path):
        path = str(path)
        if len(path) > LONGEST:
            return super().resolve(path)
        key = (path, translation.get_language())
        match = self.remembered.get(key)
        if match is None:
            match = super().resolve(path)  # a new match each time; Resolver404 for a path nothing matches: nothing kept
            # The patterns tried before the match (every one of the includes before it) are left out: the
            # resolvers above copied them into each request's match, which cost more than the lookup saved.
            match.tried = None
            if len(self.remembered) >= LIMIT:
                self.remembered.clear()
            self.remembered[key] = match
        return match
