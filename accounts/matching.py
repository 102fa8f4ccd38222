"""The matching engine: which organisations (and which of their members) have done the work someone needs.

One engine serves "Find peers" (organisations like mine) and the expertise exchange (who could help
with this request). Apps feed it evidence without it knowing them, through the extension point
EVIDENCE_SOURCES (core.extensions): each app registers, from its AppConfig.ready(), a source
`(need, candidates) -> {organisation_id: Finding}` for a purpose:

    from accounts.matching import register_evidence
    register_evidence("practices", practice_evidence, purposes={"support"})

A *qualifying* source decides who is a candidate (a published practice in the topic qualifies an
organisation); a non-qualifying one (a shared language, the same region) only adds weight and a
reason to candidates that qualified, and receives their ids so it can look up just those. Every source
answers in a fixed number of queries whatever the data, so a suggestion list costs the same with
ten organisations or ten thousand. Scores add up; ties go to the name.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from accounts.models import Organisation, User
from core.extensions import ExtensionPoint

PEERS = "peers"
SUPPORT = "support"


@dataclass(frozen=True)
class Need:
    """What is sought: the sub-topics and areas, where, at which level, in which languages."""

    area_ids: frozenset[int] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    level: str = ""
    country: str = ""
    kind: str = ""
    languages: frozenset[str] = frozenset()
    exclude: frozenset[int] = frozenset()


@dataclass
class Finding:
    """One source's evidence about one organisation: its weight, why (a sentence), who did it."""

    score: float
    reasons: list[str]
    people: tuple[int, ...] = ()


Source = Callable[[Need, "set[int] | None"], dict[int, Finding]]


@dataclass(frozen=True)
class _Registration:
    name: str
    source: Source
    purposes: frozenset[str]
    qualifying: bool


@dataclass
class Suggestion:
    organisation: Organisation
    score: float
    reasons: list[str]
    people: list[User] = field(default_factory=list)


EVIDENCE_SOURCES: ExtensionPoint[_Registration] = ExtensionPoint(
    "accounts.matching_evidence", "What an app knows of organisations' work, in batch, for matching peers.")


def register_evidence(name: str, source: Source, *, purposes: Iterable[str], qualifying: bool = True) -> None:
    """Add a source of evidence for the given purposes (PEERS, SUPPORT)."""
    EVIDENCE_SOURCES.register(name, _Registration(name, source, frozenset(purposes), qualifying))


def rank(need: Need, *, purpose: str, limit: int | None = 20) -> list[Suggestion]:
    """The organisations the evidence points to, best first, with every reason and the people named."""
    registrations = [r for r in EVIDENCE_SOURCES if purpose in r.purposes]
    findings: dict[int, list[Finding]] = {}
    for registration in (r for r in registrations if r.qualifying):
        for organisation_id, finding in registration.source(need, None).items():
            if organisation_id not in need.exclude:
                findings.setdefault(organisation_id, []).append(finding)
    candidates = set(findings)
    if not candidates:
        return []
    for registration in (r for r in registrations if not r.qualifying):
        for organisation_id, finding in registration.source(need, candidates).items():
            if organisation_id in findings:
                findings[organisation_id].append(finding)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=candidates, verified=True)}
    ordered = sorted((sum(f.score for f in fs), organisations[pk].name.lower(), pk)
                     for pk, fs in findings.items() if pk in organisations)
    ordered.sort(key=lambda row: (-row[0], row[1], row[2]))
    if limit is not None:
        ordered = ordered[:limit]
    people_ids = {person for _, _, pk in ordered for f in findings[pk] for person in f.people}
    people = {u.pk: u for u in User.objects.filter(pk__in=people_ids, is_active=True)}
    suggestions = []
    for score, _name, pk in ordered:
        named = list(dict.fromkeys(p for f in findings[pk] for p in f.people if p in people))
        suggestions.append(Suggestion(organisation=organisations[pk], score=score,
                                      reasons=[r for f in findings[pk] for r in f.reasons],
                                      people=[people[p] for p in named]))
    return suggestions
