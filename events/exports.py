"""The attendee list as a table, for the organisers' CSV and .xlsx files: one header, one row a registration.

No e-mail addresses: members reach each other through the platform. Every question's answers have a
column, hidden questions included (their answers are kept).
"""

import csv
import io
from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook
from openpyxl.styles import Font

from events import selectors
from events.models import Event, RegistrationQuestion


def _answer_text(question: RegistrationQuestion, value: object) -> str:
    if value is None:
        return ""
    if question.kind == RegistrationQuestion.Kind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind == RegistrationQuestion.Kind.COUNTRY:
        return dict(countries).get(value, str(value))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def attendee_table(event: Event) -> tuple[list[str], list[list[str]]]:
    questions = list(selectors.questions_of(event, include_hidden=True))
    header = [_("Name"), _("Job title"), _("Organisations"), _("Status"),
              _("Registered (%(zone)s)") % {"zone": event.timezone}, _("Registered (UTC)"),
              _("Checked in (%(zone)s)") % {"zone": event.timezone},
              *[q.label for q in questions]]
    rows = []
    for registration in selectors.registrations_with_answers(event):
        user = registration.user
        answers = {a.question_id: a.value for a in registration.answers.all()}
        checked = (timezone.localtime(registration.checked_in_at, event.tzinfo).strftime("%Y-%m-%d %H:%M")
                   if registration.checked_in_at else "")
        rows.append([
            user.full_name, user.job_title, "; ".join(m.organisation.name for m in user.memberships.all()),
            registration.get_status_display(),
            timezone.localtime(registration.registered_at, event.tzinfo).strftime("%Y-%m-%d %H:%M"),
            registration.registered_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"), checked,
            *[_answer_text(q, answers.get(q.pk)) for q in questions],
        ])
    return header, rows


def _cell(value: object) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: such text is quoted."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(event: Event) -> str:
    header, rows = attendee_table(event)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(v) for v in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def as_xlsx(event: Event) -> bytes:
    header, rows = attendee_table(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Registrations")[:31]
    sheet.append([_cell(v) for v in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # openpyxl writes a string starting with "=" as a formula: quoted like the CSV, it stays text.
        sheet.append([_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
