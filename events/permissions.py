"""Who may see, run and register for an event; plain functions shared by views, the API and the admin."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.permissions import AnyUser, can_organise_for
from events.models import Event, Registration


def organisations_user_can_organise_for(user: AnyUser):
    """The organisations whose events the user may create: staff may use any organisation."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.ACTIVE,
        memberships__role__in=[Membership.Role.ORGANISER, Membership.Role.ADMIN],
    ).distinct()


def can_run_event(user: AnyUser, event: Event) -> bool:
    """Edit, publish, cancel, see registrations: organisers and admins of any organising organisation, staff."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    runs_for = getattr(event, "runs_for", None)  # (user id, answer): read with the event by its page's selector
    if runs_for is not None and runs_for[0] == user.pk:
        return runs_for[1]
    return any(can_organise_for(user, organisation) for organisation in event.organisations.all())


def can_see_join_link(user: AnyUser, event: Event, registration: Registration | None) -> bool:
    """The join link is for confirmed registrants of a live event, and for those who run it."""
    if not event.join_url or event.is_cancelled:
        return False
    if registration is not None and registration.status == Registration.Status.CONFIRMED:
        return True
    return can_run_event(user, event)


FEEDBACK_DAYS = 30


def can_see_ticket(user: AnyUser, registration: Registration | None) -> bool:
    """A ticket is the confirmed registrant's own."""
    return (registration is not None and user.is_authenticated and registration.user_id == user.pk
            and registration.status == Registration.Status.CONFIRMED and not registration.event.is_cancelled)


def may_download_certificate(registration: Registration | None, now: datetime | None = None) -> bool:
    """Attended (checked in, or joined the webinar) an event that is over."""
    now = now or timezone.now()
    return (registration is not None and registration.status == Registration.Status.CONFIRMED
            and registration.checked_in_at is not None and not registration.event.is_cancelled
            and registration.event.ends_at <= now)


def may_give_feedback(registration: Registration | None, now: datetime | None = None) -> bool:
    """Attendees, from the end of the event until 30 days after."""
    now = now or timezone.now()
    return (may_download_certificate(registration, now)
            and now <= registration.event.ends_at + timedelta(days=FEEDBACK_DAYS))
