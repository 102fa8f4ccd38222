"""What accounts knows for the matching engine: the topics and areas an organisation declares, its kind,
its members' languages and where it is. Registered in AccountsConfig.ready()."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation
from accounts.regions import countries_in, region_name, region_of
from core.extensions import MATCHING_EVIDENCE, PEERS, SUPPORT, EvidenceSource, Finding, Need

# Find peers ranks the same kind first, then shared sub-topics, then shared areas.
KIND_WEIGHT, TOPIC_WEIGHT, AREA_WEIGHT = 1000, 10, 1


def declared_interests(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Organisations whose profile shares the need's sub-topics or areas (Find peers)."""
    if not need.topic_ids and not need.area_ids:
        return {}
    rows = (Organisation.objects.filter(verified=True)
            .filter(Q(topics__in=need.topic_ids) | Q(policy_areas__in=need.area_ids)).distinct()
            .prefetch_related("topics", "policy_areas").only("pk", "kind"))
    found = {}
    for organisation in rows:
        reasons, score = [], 0
        if need.kind and organisation.kind == need.kind:
            reasons.append(_("same kind (%(kind)s)") % {"kind": organisation.get_kind_display()})
            score += KIND_WEIGHT
        topics = [t.name for t in organisation.topics.all() if t.pk in need.topic_ids]
        if topics:
            reasons.append(_("shares %(topics)s") % {"topics": ", ".join(topics)})
            score += TOPIC_WEIGHT * len(topics)
        areas = [a.name for a in organisation.policy_areas.all() if a.pk in need.area_ids]
        if areas:
            reasons.append(_("works on %(areas)s") % {"areas": ", ".join(areas)})
            score += AREA_WEIGHT * len(areas)
        if topics or areas:
            found[organisation.pk] = Finding(score=score, reasons=reasons)
    return found


def shared_languages(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Candidates with active members whose language is one the need works in."""
    if not need.languages or not candidates:
        return {}
    names = dict(settings.LANGUAGES)
    # A member's interface language is a variant ("zh-hans") where a work language is the language ("zh").
    spoken = [code for code, _name in settings.LANGUAGES if code.split("-")[0] in need.languages]
    rows = (Membership.objects.filter(organisation_id__in=candidates, status=Membership.Status.ACTIVE,
                                      user__is_active=True, user__language__in=spoken)
            .values_list("organisation_id", "user__language").distinct().order_by("organisation_id"))
    by_organisation: dict[int, list[str]] = {}
    for organisation_id, language in rows:
        by_organisation.setdefault(organisation_id, []).append(language)
    return {pk: Finding(score=2 * len(languages),
                        reasons=[_("speaks %(languages)s") % {
                            "languages": ", ".join(str(names.get(code, code)) for code in sorted(languages))}])
            for pk, languages in by_organisation.items()}


def same_place(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Candidates in the need's country, or else in the same world region."""
    if not need.country or not candidates:
        return {}
    region = region_of(need.country)
    countries = countries_in(region) or [str(need.country)]
    found = {}
    for pk, country, kind in (Organisation.objects.filter(pk__in=candidates, country__in=countries)
                              .values_list("pk", "country", "kind")):
        if str(country) == str(need.country):
            found[pk] = Finding(score=3, reasons=[_("works in the same country")])
        else:
            found[pk] = Finding(score=1, reasons=[_("also in %(region)s") % {"region": region_name(region)}])
        if need.kind and kind == need.kind:
            found[pk].score += 1
    return found


def register() -> None:
    MATCHING_EVIDENCE.register("declared-interests", EvidenceSource(declared_interests, purposes=frozenset({PEERS})))
    MATCHING_EVIDENCE.register("languages", EvidenceSource(
        shared_languages, purposes=frozenset({SUPPORT}), qualifying=False))
    MATCHING_EVIDENCE.register("place", EvidenceSource(same_place, purposes=frozenset({SUPPORT}), qualifying=False))
