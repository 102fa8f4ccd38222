"""Charts drawn on the server as inline SVG: no chart library, nothing fetched by the browser.

Every text put into the SVG is escaped, and the SVG is shown as an image (a data: URL): whatever it
held, an image cannot run a script. Each has alt text and the page shows its numbers in a table
beside it, so a screen reader and a printout get the same facts.
"""

import base64
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
# The page's style sheet does not reach into an image: the chart carries its own.
STYLE = ("<style>.bar{fill:#0e7490}.line{stroke:#b45309;stroke-width:2.5;fill:none}.grid{stroke:#d9dee5}"
         ".axis,.value,.legend{fill:#4b5563;font:12px sans-serif}</style>")


def _as_image(svg: str, *, alt: str, testid: str) -> SafeString:
    data = base64.b64encode(svg.encode()).decode()
    return mark_safe(f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}" '
                     f'data-testid="{testid}">')


def _nice_max(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    return value


def registrations_over_time(per_day: list[tuple[date, int]]) -> SafeString:
    """Bars of new registrations per day and a line of the running total."""
    title = _("Registrations over time")
    if not per_day:
        return mark_safe("")
    total, points = 0, []
    for day, n in per_day:
        total += n
        points.append((day, n, total))
    top = _nice_max(total)
    span = max((per_day[-1][0] - per_day[0][0]).days, 0) + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_w = max(plot_w / span - 2, 2)

    def x(day: date) -> float:
        return LEFT + (day - per_day[0][0]).days * plot_w / span

    def y(value: int) -> float:
        return TOP + plot_h - value * plot_h / top

    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{STYLE}']
    for fraction in (0, 0.5, 1):
        value = round(top * fraction)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>')
    for day, n, _total in points:
        parts.append(f'<rect class="bar" x="{x(day) + 1:.1f}" y="{y(n):.1f}" width="{bar_w:.1f}" '
                     f'height="{TOP + plot_h - y(n):.1f}"><title>{escape(date_format(day, "SHORT_DATE_FORMAT"))}: '
                     f'{n}</title></rect>')
    line = " ".join(f"{x(day) + bar_w / 2 + 1:.1f},{y(running):.1f}" for day, _n, running in points)
    parts.append(f'<polyline class="line" fill="none" points="{line}"/>')
    for day, anchor in ((per_day[0][0], "start"), (per_day[-1][0], "end")):
        edge = x(day) if anchor == "start" else x(day) + bar_w + 2
        parts.append(f'<text class="axis" x="{edge:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                     f'text-anchor="{anchor}">{escape(date_format(day, "SHORT_DATE_FORMAT"))}</text>')
    legend = _("bars: new per day · line: running total")
    parts.append(f'<text class="legend" x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end">'
                 f'{escape(legend)}</text></svg>')
    alt = ngettext("%(title)s: %(total)d registration from %(first)s to %(last)s",
                   "%(title)s: %(total)d registrations from %(first)s to %(last)s", total) % {
        "title": title, "total": total, "first": date_format(per_day[0][0], "SHORT_DATE_FORMAT"),
        "last": date_format(per_day[-1][0], "SHORT_DATE_FORMAT")}
    return _as_image("".join(parts), alt=alt, testid="registrations-svg")


def distribution(rows: list[tuple[str, int]], *, title: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per label (e.g. ratings 1 to 5), with the count at the end."""
    if not rows:
        return mark_safe("")
    row_h, label_w, width = 28, 120, WIDTH
    height = row_h * len(rows) + 8
    top = max(n for _label, n in rows) or 1
    plot_w = width - label_w - 60
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{STYLE}']
    for index, (label, n) in enumerate(rows):
        y = 4 + index * row_h
        w = n * plot_w / top
        parts.append(f'<text class="axis" x="{label_w - 8}" y="{y + 18}" text-anchor="end">{escape(label)}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}"/>'
                     f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 18}">{n}</text>')
    parts.append("</svg>")
    alt = f"{title}: " + "; ".join(f"{label}: {n}" for label, n in rows)
    return _as_image("".join(parts), alt=alt, testid=f"{chart_id}-svg")
