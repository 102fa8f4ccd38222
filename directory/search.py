"""The site-wide search page's results: every kind some app registered in core.extensions.SEARCH_PROVIDERS
(the directory's own in directory/extensions.py, events', forums' in theirs), first results and totals."""

from dataclasses import dataclass

from accounts.permissions import AnyUser
from core.extensions import SEARCH_PROVIDERS, SearchProvider

RESULTS_PER_KIND = 5


@dataclass
class KindResults:
    kind: SearchProvider
    results: list
    total: int


def search_everything(user: AnyUser, q: str) -> list[KindResults]:
    """The first results of every kind and how many there are in all; two queries a kind."""
    grouped = []
    for kind in SEARCH_PROVIDERS:
        qs = kind.search(user, q)
        grouped.append(KindResults(kind, list(qs[:RESULTS_PER_KIND]), qs.count()))
    return grouped
