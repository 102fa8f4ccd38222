"""English dates and times as the platform has always shown them (3 December 2026, 14:30), instead of
Django's American defaults (Dec. 3, 2026, 2:30 p.m.). Other languages use Django's own formats for them.

Templates and code name these formats ("DATE_FORMAT", "SHORT_DATETIME_FORMAT", ...) and never spell a
pattern out, so every language shows dates its own way.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
