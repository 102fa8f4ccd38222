"""Query-count guard for list pages and list endpoints: the count must not grow with the rows."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def assert_queries_do_not_grow(client, url: str, add_rows: Callable[[int], object], *, more: int = 10,
                               **kwargs) -> int:
    """Add a few rows, count the page's queries, add `more` rows, count again: both counts are equal."""
    add_rows(2)
    before = count_queries(client, url, **kwargs)
    add_rows(more)
    after = count_queries(client, url, **kwargs)
    assert after == before, f"{url}: {before} queries with few rows, {after} with {more} more — an N+1"
    return after
