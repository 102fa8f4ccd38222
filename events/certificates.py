"""The PDF certificate of attendance, drawn with fpdf2 in fonts that cover the attendees' names.

Names come in any script: the main font (Noto Sans: Latin, Greek, Cyrillic) is backed by fallback fonts
(Noto Sans Arabic, WenQuanYi Micro Hei for Chinese), and HarfBuzz text shaping joins Arabic letters and
lays right-to-left runs out in order. The fonts are Debian packages; nothing is downloaded.
"""

import io
import warnings
from datetime import timedelta
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from events.models import Certificate

INK, MUTED, ACCENT = (30, 41, 59), (90, 100, 115), (14, 116, 144)


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + certificate.get_absolute_url()


def event_hours(certificate: Certificate) -> float:
    """The event's length in hours, to the quarter hour."""
    event = certificate.registration.event
    length: timedelta = event.ends_at - event.starts_at
    return round(length.total_seconds() / 900) / 4


def _fonts(pdf: FPDF) -> None:
    names = []
    for index, path in enumerate(settings.EVENTS_CERTIFICATE_FONTS):
        if not Path(path).exists():
            raise ImproperlyConfigured(f"The certificate font {path} is missing: run `make fonts` (it "
                                       "installs Debian's fonts-noto-core and fonts-wqy-microhei).")
        name = f"font{index}"
        extra = {"collection_font_number": 0} if path.endswith(".ttc") else {}
        pdf.add_font(name, fname=path, **extra)
        names.append(name)
    pdf.set_font(names[0])
    pdf.set_fallback_fonts(names[1:])
    pdf.set_text_shaping(True)


def render_certificate(certificate: Certificate) -> bytes:
    """A one-page landscape A4 PDF: name, event, date, hours, organisers, and how to verify it."""
    registration = certificate.registration
    event = registration.event
    venue_start = event.starts_at.astimezone(event.tzinfo)
    venue_end = event.ends_at.astimezone(event.tzinfo)
    if venue_start.date() == venue_end.date():
        dates = formats.date_format(venue_start, "DATE_FORMAT")
    else:
        dates = f"{formats.date_format(venue_start, 'DATE_FORMAT')} – {formats.date_format(venue_end, 'DATE_FORMAT')}"
    hours = event_hours(certificate)
    organisers = ", ".join(o.name for o in event.organisations.all())

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(_("Certificate of attendance"))
    pdf.set_author("Crossroads")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    _fonts(pdf)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, 269, 182)

    def line(text: str, size: float, height: float, color: tuple[int, int, int] = INK) -> None:
        pdf.set_text_color(*color)
        pdf.set_font_size(size)
        pdf.set_x(25)
        pdf.multi_cell(247, height, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(30)
    line("CROSSROADS", 12, 8, ACCENT)
    line(_("Certificate of attendance"), 30, 16)
    pdf.ln(6)
    line(_("This certifies that"), 13, 8, MUTED)
    line(certificate.name, 26, 14)
    line(_("attended"), 13, 8, MUTED)
    line(event.title, 20, 11)
    pdf.ln(2)
    # The plural form follows the whole hours (2.5 hours reads like 2 hours in most languages' rules).
    shown_hours = formats.number_format(int(hours) if hours.is_integer() else hours)
    line(ngettext("%(kind)s · %(dates)s · %(hours)s hour", "%(kind)s · %(dates)s · %(hours)s hours", int(hours))
         % {"kind": event.get_kind_display(), "dates": dates, "hours": shown_hours}, 13, 8)
    if event.city or event.country:
        line(", ".join(p for p in (event.city, event.country.name if event.country else "") if p), 12, 7, MUTED)
    pdf.ln(3)
    line(_("Organised by %(organisers)s") % {"organisers": organisers}, 12, 7)

    url = verification_url(certificate)
    qr = segno.make(url, error="m")
    with warnings.catch_warnings():  # segno's SVG gives width and height, which fpdf2 takes as the viewBox
        warnings.simplefilter("ignore", UserWarning)
        pdf.image(_qr_svg(qr), x=245, y=160, w=30, h=30)
    pdf.set_y(168)
    pdf.set_x(25)
    pdf.set_text_color(*MUTED)
    pdf.set_font_size(10)
    pdf.multi_cell(210, 5, _("Verification code: %(code)s") % {"code": certificate.code}, new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_x(25)
    pdf.multi_cell(210, 5, _("Check that this certificate is genuine at %(url)s") % {"url": url},
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _qr_svg(qr: segno.QRCode) -> io.BytesIO:
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", border=1, xmldecl=False)
    buffer.seek(0)
    return buffer
