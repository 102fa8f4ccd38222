"""The anchor page: 20 rows of a list inside the site's layout, built the way a list should be.

One query for the rows (only the columns shown, an indexed order, LIMIT 20) plus what base.html itself
costs (the session and user for a member, the unread badges). What a page costs beyond this is the page's.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Organisation

ROWS = 20


def anchor(request: HttpRequest) -> HttpResponse:
    rows = list(Organisation.objects.filter(verified=True).only("name", "slug", "city", "country", "kind")
                .order_by("pk")[:ROWS])
    return render(request, "bench/anchor.html", {"rows": rows})
