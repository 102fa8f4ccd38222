"""How a notification reads: the one function every place that shows one goes through (the list page, the
header's htmx swap, the API, the e-mails and digests).

A notification is stored as what happened: its kind ("forums.reply") and parameters ({"name": ..., "topic":
...}). Each app declares how its kinds read in `core.extensions.NOTIFICATION_KINDS`; the text is made when
the notification is shown, in the active language and time zone (the reader's page, or `speaking_to(reader)`
in a mail), so a member who switches language reads their whole list in it. A notification stored before
kinds had parameters, or of a kind no app declares any more, reads as the title and body stored with it.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from core.extensions import NOTIFICATION_KINDS, NotificationKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def _text(message, params: dict) -> str:
    if message is None:
        return ""
    if isinstance(message, (str, Promise)):
        return str(message) % params
    return str(message(params))


def render_kind(kind: NotificationKind, params: dict) -> Rendered:
    """The title and body of a `kind` notification with these parameters, in the active language."""
    return Rendered(title=_text(kind.title, params)[:300], body=_text(kind.body, params))


def render(notification) -> Rendered:
    """What `notification` says, in the active language and time zone."""
    kind = NOTIFICATION_KINDS.get(notification.kind)
    if kind is None or notification.params is None:
        return Rendered(title=notification.title, body=notification.body)
    try:
        return render_kind(kind, notification.params)
    except (KeyError, TypeError, ValueError):
        # Parameters that no longer fit the kind's text (a kind changed since): the text stored with it.
        logger.warning("Notification %s (%s) does not fit its kind's text", notification.pk, notification.kind)
        return Rendered(title=notification.title, body=notification.body)


def stored_text(kind: str, params: dict) -> Rendered:
    """The text kept with a new notification, in the site's language: what the admin lists, and what it
    reads as should its kind ever be removed."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_kind(NOTIFICATION_KINDS[kind], params)


def title_of(kind: str, params: dict) -> str:
    """The title of a `kind` notification with these parameters, in the active language: also the subject of
    the mail that goes with it."""
    return render_kind(NOTIFICATION_KINDS[kind], params).title
