"""The events' evidence for the matching engine (accounts.matching): organisations whose people spoke at
published events in the areas a request needs. Registered in EventsConfig.ready()."""

from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation
from core.extensions import MATCHING_EVIDENCE, SUPPORT, EvidenceSource, Finding, Need
from events.models import Event, Speaker

# At most this many event titles are named in one reason.
NAMED_EVENTS = 2


def speaker_evidence(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Speakers are listed by name and organisation name; both are matched to members and organisations."""
    if not need.area_ids:
        return {}
    rows = list(Speaker.objects.filter(event__status=Event.Status.PUBLISHED, event__policy_areas__in=need.area_ids)
                .exclude(organisation_name="")
                .values_list("name", "organisation_name", "event__title", "event_id").distinct()
                .order_by("-event__starts_at", "event_id"))
    if not rows:
        return {}
    by_name = {o.name.casefold(): o.pk for o in Organisation.objects.filter(
        verified=True, name__in={organisation_name for _, organisation_name, _, _ in rows}).only("pk", "name")}
    events: dict[int, dict[int, str]] = {}
    speakers: dict[int, set[str]] = {}
    for name, organisation_name, title, event_id in rows:
        organisation_id = by_name.get(organisation_name.casefold())
        if organisation_id is not None:
            events.setdefault(organisation_id, {})[event_id] = title
            speakers.setdefault(organisation_id, set()).add(name)
    people: dict[int, list[int]] = {}
    for organisation_id, user_id in (Membership.objects.filter(
            organisation_id__in=list(speakers), status=Membership.Status.ACTIVE,
            user__full_name__in={n for names in speakers.values() for n in names})
            .values_list("organisation_id", "user_id")):
        people.setdefault(organisation_id, []).append(user_id)
    found = {}
    for organisation_id, titles in events.items():
        named = ", ".join(f"“{title}”" for title in list(titles.values())[:NAMED_EVENTS])
        more = len(titles) - NAMED_EVENTS
        reason = (_("spoke at %(events)s") % {"events": named} if more <= 0 else
                  _("spoke at %(events)s and %(more)d more") % {"events": named, "more": more})
        found[organisation_id] = Finding(score=6 * len(titles), reasons=[reason],
                                         people=tuple(people.get(organisation_id, ())))
    return found


def register() -> None:
    MATCHING_EVIDENCE.register("speakers", EvidenceSource(speaker_evidence, purposes=frozenset({SUPPORT})))
