"""Sending e-mail: one function renders a subject and a plain-text body from templates and sends it.

Transactional mails (a registration confirmed, a password reset) always go out; notification mails
follow the member's preference (see core.services.notify).
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def send_templated_mail(*, to: Iterable[str], subject: str, template: str, context: dict,
                        attachments: Iterable[tuple[str, bytes | str, str]] = ()) -> None:
    """Render `template` (plain text) with `context` plus SITE_URL and send it to each address separately."""
    body = render_to_string(template, {"SITE_URL": settings.SITE_URL, **context})
    for address in to:
        message = EmailMessage(subject=f"[Crossroads] {subject}", body=body, to=[address])
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()
