"""Events as a reportable kind: members report an event page they can see; a moderator warns the member
who created it or dismisses (cancelling stays with the organisers and staff)."""

from django.utils.text import Truncator
from django.utils.translation import gettext

from accounts.permissions import AnyUser
from events.models import Event
from events.selectors import events_visible_to
from moderation.registry import ReportContext, register_reportable


def describe_event(event: Event) -> ReportContext:
    return ReportContext(excerpt=Truncator(f"{event.title}\n{event.summary}\n{event.description}").chars(1000),
                         author=event.created_by, url=event.get_absolute_url(),
                         # Translators: completes "Report … to the moderators" and "New report: …".
                         where=gettext("the event “%(title)s”") % {"title": event.title})


def can_report_event(user: AnyUser, event: Event) -> bool:
    return event.created_by_id != user.pk and events_visible_to(user).filter(pk=event.pk).exists()


def register() -> None:
    register_reportable("events.event", Event, describe=describe_event, can_report=can_report_event, actions={})
