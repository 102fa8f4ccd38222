"""Log filters: a refused or missing page is one line in the log, not a traceback."""

import logging


class NoTracebackBelow500(logging.Filter):
    """Drop the traceback Django attaches to 4xx records (a 403 is a decision, not a fault); keep it for 5xx."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
