"""Sending e-mail, at most once per address and reason; only tasks call it, never a request.

`deliver` records the mail (a SentMail row, unique per address and reason) and hands it to the mail
server in one transaction: a retried task finds the row and skips the mail; a mail the server refused
rolls its row back, so the retry sends it. `render_mail` builds a message from a plain-text template.

Transactional mails (a registration confirmed, a password reset) always go out; notification mails
follow the member's preference (see core.services.notify).
"""

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from core.models import SentMail

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes | str, str]


def render_mail(*, to: str, subject: str, template: str, context: dict,
                attachments: Iterable[Attachment] = ()) -> EmailMessage:
    """One message to one address: `template` (plain text) rendered with `context` plus SITE_URL."""
    body = render_to_string(template, {"SITE_URL": settings.SITE_URL, **context})
    message = EmailMessage(subject=f"[Crossroads] {subject}", body=body, to=[to])
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def already_sent(*, reason: str, addresses: Iterable[str]) -> set[str]:
    """The addresses among `addresses` that were already sent a mail for `reason` (one query)."""
    return set(SentMail.objects.filter(reason=reason[:200], address__in=list(addresses))
               .values_list("address", flat=True))


def deliver(*, reason: str, message: EmailMessage, connection: BaseEmailBackend | None = None) -> bool:
    """Send `message` (one recipient) unless a mail for that address and `reason` went out before.

    Returns whether it was sent now. A transient failure (server refusing, timeout) propagates with
    nothing recorded, so the task is retried; an address the server rejects for good is logged and skipped.
    """
    (address,) = message.to
    if connection is not None:
        message.connection = connection
    try:
        with transaction.atomic():
            SentMail.objects.create(address=address, reason=reason[:200], subject=message.subject[:300])
            message.send()
    except IntegrityError:
        return False  # sent before: this is a retry, or another worker got there first
    except smtplib.SMTPRecipientsRefused:
        logger.warning("The mail server refused %s for %s; not retried", address, reason)
        return False
    return True


def mail_connection() -> BaseEmailBackend:
    """One connection to the mail server for a batch (use as a context manager), not one per mail."""
    return get_connection()
