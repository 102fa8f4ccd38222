"""The clearinghouse's world map, drawn on the server as SVG: no tile server, no script, nothing from a CDN.

The country shapes are Natural Earth's (public domain), converted once by tools/world_map.mjs into
directory/data/world.json (already projected, one path per country; small countries as dots). A country
with practices or organisations is a link that filters the list by it, so the map works with a keyboard
(each link is a tab stop with a name) and without JavaScript; the page also gives the same counts as a table.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_countries import countries

DATA = Path(__file__).resolve().parent / "data" / "world.json"
# Shades for 1, 2-4, 5-9, 10-24 and 25+ (static/css/site.css, .map-level-N).
LEVELS = (1, 2, 5, 10, 25)


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    count: int
    url: str


@cache
def _world() -> dict:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    by_numeric = {}
    for code, _name in countries:
        numeric = countries.numeric(code, padded=True)
        if numeric:
            by_numeric[numeric] = code
    data["shapes"] = {by_numeric.get(k, ""): v for k, v in data["shapes"].items()}
    data["dots"] = {by_numeric.get(k, ""): v for k, v in data["dots"].items()}
    data["shapes"].pop("", None)
    data["dots"].pop("", None)
    return data


def level(count: int) -> int:
    return sum(1 for threshold in LEVELS if count >= threshold)


def render_map(items: list[MapCountry], *, describe: Callable[[int], str], label: str) -> SafeString:
    """The SVG: every country drawn, those in `items` shaded by their count and linking to their URL."""
    world = _world()
    by_code = {item.code: item for item in items if item.count}
    parts = []
    for d in world["unnamed"]:
        parts.append(format_html('<path class="map-land" d="{}"/>', d))
    for code, d in world["shapes"].items():
        item = by_code.get(code)
        if item is None:
            parts.append(format_html('<path class="map-land" d="{}"/>', d))
        else:
            parts.append(_link(item, format_html('<path class="map-level-{}" d="{}"/>', level(item.count), d),
                               describe))
    for code, (x, y) in world["dots"].items():
        item = by_code.get(code)
        if item is not None:
            parts.append(_link(item, format_html('<circle class="map-level-{} map-dot" cx="{}" cy="{}" r="4"/>',
                                                 level(item.count), x, y), describe))
    return format_html(
        '<svg class="world-map" viewBox="0 0 {} {}" role="group" aria-label="{}" focusable="false">{}</svg>',
        world["width"], world["height"], label, mark_safe("".join(parts)))


def _link(item: MapCountry, shape: SafeString, describe: Callable[[int], str]) -> SafeString:
    name = _("%(country)s: %(counted)s") % {"country": item.name, "counted": describe(item.count)}
    return format_html('<a href="{}" aria-label="{}"><title>{}</title>{}</a>', item.url, name, name, shape)


def legend() -> SafeString:
    bands = [(1, "1"), (2, "2–4"), (3, "5–9"), (4, "10–24"), (5, "25+")]
    return format_html_join("", '<li><span class="map-swatch map-level-{}" aria-hidden="true"></span>{}</li>', bands)
