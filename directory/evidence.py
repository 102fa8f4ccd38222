"""The clearinghouse's evidence for the matching engine (accounts.matching): who published practices and
resources in the sub-topics a request needs. Registered in DirectoryConfig.ready()."""

from django.db.models import Q
from django.utils.translation import ngettext

from core import reference
from core.extensions import MATCHING_EVIDENCE, SUPPORT, EvidenceSource, Finding, Need
from core.models import PolicyArea, Topic
from core.taxonomy import Level
from directory.models import Practice, Resource


def _subject(need: Need) -> Q:
    """Content in the need's sub-topics, or in its areas when it names no sub-topic."""
    if need.topic_ids:
        return Q(topics__in=need.topic_ids)
    return Q(policy_areas__in=need.area_ids)


def _names(need: Need, prefix: str) -> tuple[str, str]:
    """The subject's code and stored name, to read in the viewer's language (core.reference)."""
    return (f"{prefix}topics__slug", f"{prefix}topics__name") if need.topic_ids else \
        (f"{prefix}policy_areas__code", f"{prefix}policy_areas__name")


def _subject_name(need: Need, code: str, stored: str) -> str:
    return reference.label(Topic if need.topic_ids else PolicyArea, code, stored)


def practice_evidence(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Published practices the organisation led, in the need's sub-topics; more weight at the same level."""
    if not need.topic_ids and not need.area_ids:
        return {}
    rows = (Practice.objects.filter(_subject(need), status=Practice.Status.PUBLISHED)
            .values_list("organisation_id", "pk", "level", "author_id", *_names(need, "")).distinct())
    practices: dict[int, dict[int, str]] = {}
    subjects: dict[int, list[str]] = {}
    authors: dict[int, list[int]] = {}
    for organisation_id, pk, level, author_id, code, stored in rows:
        subject = _subject_name(need, code, stored)
        practices.setdefault(organisation_id, {})[pk] = level
        names = subjects.setdefault(organisation_id, [])
        if subject not in names:
            names.append(subject)
        people = authors.setdefault(organisation_id, [])
        if author_id not in people:
            people.append(author_id)
    found = {}
    level_name = dict(Level.choices).get(need.level, "")
    for organisation_id, levels in practices.items():
        count = len(levels)
        same_level = sum(1 for level in levels.values() if level == need.level)
        subject = ", ".join(sorted(subjects[organisation_id]))
        if need.level and same_level == count:
            reason = ngettext("%(count)d published practice in %(subject)s at %(level)s level",
                              "%(count)d published practices in %(subject)s at %(level)s level", count)
        elif need.level and same_level:
            reason = ngettext("%(count)d published practice in %(subject)s (%(same)d at %(level)s level)",
                              "%(count)d published practices in %(subject)s (%(same)d at %(level)s level)", count)
        else:
            reason = ngettext("%(count)d published practice in %(subject)s",
                              "%(count)d published practices in %(subject)s", count)
        found[organisation_id] = Finding(
            score=10 * count + 5 * same_level,
            reasons=[reason % {"count": count, "subject": subject, "same": same_level,
                               "level": str(level_name).lower()}],
            people=tuple(authors[organisation_id]))
    return found


def resource_evidence(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Resources in the library the organisation published on the need's sub-topics."""
    if not need.topic_ids and not need.area_ids:
        return {}
    rows = (Resource.objects.filter(_subject(need)).values_list("publisher_id", "pk", "added_by_id").distinct())
    resources: dict[int, set[int]] = {}
    people: dict[int, list[int]] = {}
    for publisher_id, pk, added_by_id in rows:
        resources.setdefault(publisher_id, set()).add(pk)
        named = people.setdefault(publisher_id, [])
        if added_by_id and added_by_id not in named:
            named.append(added_by_id)
    return {pk: Finding(score=4 * len(ids),
                        reasons=[ngettext("published %(count)d resource on it", "published %(count)d resources on it",
                                          len(ids)) % {"count": len(ids)}],
                        people=tuple(people[pk]))
            for pk, ids in resources.items()}


def register() -> None:
    MATCHING_EVIDENCE.register("practices", EvidenceSource(practice_evidence, purposes=frozenset({SUPPORT})))
    MATCHING_EVIDENCE.register("resources", EvidenceSource(resource_evidence, purposes=frozenset({SUPPORT})))

