"""Events made through the real services, as an organiser would make them."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import Organisation, User
from events import services
from events.models import Event
from tests import factories


def organiser_for(organisation: Organisation, **fields) -> User:
    user = factories.UserFactory(**fields)
    factories.MembershipFactory(user=user, organisation=organisation, role="organiser")
    return user


def make_event(*, organiser: User | None = None, organisation: Organisation | None = None, publish: bool = True,
               starts_at: datetime | None = None, hours: float = 2, **fields) -> Event:
    """A published in-person event two weeks ahead unless told otherwise."""
    if organiser is None:
        organisation = organisation or factories.OrganisationFactory()
        organiser = organiser_for(organisation)
    elif organisation is None:
        organisation = organiser.memberships.first().organisation
    starts_at = starts_at or (timezone.now() + timedelta(days=14)).replace(second=0, microsecond=0)
    values = {"kind": Event.Kind.ROUNDTABLE, "title": "The Inter-Ethnic City", "timezone_name": "America/New_York",
              "venue": "Conference Room 8, United Nations Headquarters", "city": "New York", "country": "US",
              "summary": "Management and policies for a better integration of migrants."}
    values.update(fields)
    event = services.create_event(actor=organiser, organisations=[organisation], starts_at=starts_at,
                                  ends_at=starts_at + timedelta(hours=hours), **values)
    if publish:
        event = services.publish_event(actor=organiser, event=event)
    return event


def members(n: int) -> list[User]:
    return [factories.UserFactory() for _ in range(n)]
