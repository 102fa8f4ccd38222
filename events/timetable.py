"""The timetable grid: time down the side, rooms across, each session spanning the rows it lasts.

Built here, in Python, so the template only displays it: a table with rowspan and colspan (no inline
styles, which the content security policy forbids), and the same items again as a list for phones.
"""

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from events.models import Event, ProgrammeItem


@dataclass
class Cell:
    items: list[ProgrammeItem] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    starts_at: datetime
    venue_time: datetime
    viewer_time: datetime
    cells: list[Cell | None]  # None: covered by a cell above or to the left


@dataclass
class Timetable:
    rooms: list[str]
    rows: list[Row]
    parallel: bool


def item_ends(items: list[ProgrammeItem], event: Event) -> dict[int, datetime]:
    """Each item's end: its own, else the next start in its room (any room for a plenary item), else the event's."""
    ends = {}
    for item in items:
        if item.ends_at:
            ends[item.pk] = item.ends_at
            continue
        later = [other.starts_at for other in items if other.starts_at > item.starts_at
                 and (not item.room or not other.room or other.room == item.room)]
        ends[item.pk] = min(later, default=event.ends_at)
    return ends


def build(event: Event, items: list[ProgrammeItem], viewer_zone: tzinfo) -> Timetable:
    rooms: list[str] = []
    for item in items:
        if item.room and item.room not in rooms:
            rooms.append(item.room)
    columns = rooms or [""]
    ends = item_ends(items, event)
    for item in items:
        item.computed_ends_at = ends[item.pk]
    times = sorted({item.starts_at for item in items} | set(ends.values()))
    index = {t: i for i, t in enumerate(times)}
    grid: list[list[Cell | None]] = [[Cell() for _ in columns] for _ in times[:-1]]
    owner: dict[tuple[int, int], Cell] = {}
    for item in items:
        first, last = index[item.starts_at], max(index[ends[item.pk]], index[item.starts_at] + 1)
        span_columns = range(len(columns)) if not item.room else [columns.index(item.room)]
        anchor = owner.get((first, span_columns[0]))
        if anchor is not None:  # two items overlap in one room: shown together rather than lost
            anchor.items.append(item)
            continue
        cell = grid[first][span_columns[0]]
        cell.items.append(item)
        cell.rowspan, cell.colspan = last - first, len(span_columns)
        for row in range(first, min(last, len(grid))):
            for column in span_columns:
                owner[(row, column)] = cell
                if (row, column) != (first, span_columns[0]):
                    grid[row][column] = None
    rows = [Row(starts_at=t, venue_time=t.astimezone(event.tzinfo), viewer_time=t.astimezone(viewer_zone),
                cells=grid[i]) for i, t in enumerate(times[:-1])]
    return Timetable(rooms=rooms, rows=rows, parallel=len(rooms) > 1)
