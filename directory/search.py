"""The site-wide search page's results: every kind some app registered in core.extensions.SEARCH_PROVIDERS
(the directory's own in directory/extensions.py, events', forums' in theirs), first results and totals."""

from dataclasses import dataclass

from accounts.permissions import AnyUser
from core.extensions import SEARCH_PROVIDERS, SearchProvider
from core.search import capped_count

RESULTS_PER_KIND = 5


@dataclass
class KindResults:
    kind: SearchProvider
    results: list
    total: int
    # More than `total` match: the page says "1,000+".
    capped: bool = False


def search_everything(user: AnyUser, q: str) -> list[KindResults]:
    """The first results of every kind and how many there are, up to core.search.COUNT_CAP; two queries a
    kind (the count stops at the cap, so it stays cheap however common the words are)."""
    grouped = []
    for kind in SEARCH_PROVIDERS:
        qs = kind.search(user, q)
        total = capped_count(qs)
        grouped.append(KindResults(kind, list(qs[:RESULTS_PER_KIND]), total.count, total.capped))
    return grouped
