"""The matching engine: which organisations (and which of their members) have done the work someone needs.

One engine serves "Find peers" (organisations like mine) and the expertise exchange (who could help
with this request). Apps feed it evidence without it knowing them, through the extension point
MATCHING_EVIDENCE (core.extensions): each app registers, from its AppConfig.ready(), a source
`(need, candidates) -> {organisation_id: Finding}` for a purpose:

    MATCHING_EVIDENCE.register("practices", EvidenceSource(practice_evidence, purposes=frozenset({SUPPORT})))

A *qualifying* source decides who is a candidate (a published practice in the topic qualifies an
organisation); a non-qualifying one (a shared language, the same region) only adds weight and a
reason to candidates that qualified, and receives their ids so it can look up just those. Every source
answers in a fixed number of queries whatever the data, so a suggestion list costs the same with
ten organisations or ten thousand. Scores add up; ties go to the name.
"""

from dataclasses import dataclass, field

from accounts.models import Organisation, User
from core.extensions import MATCHING_EVIDENCE, Finding, Need


@dataclass
class Suggestion:
    organisation: Organisation
    score: float
    reasons: list[str]
    people: list[User] = field(default_factory=list)


def rank(need: Need, *, purpose: str, limit: int | None = 20) -> list[Suggestion]:
    """The organisations the evidence points to, best first, with every reason and the people named."""
    registrations = [r for r in MATCHING_EVIDENCE if purpose in r.purposes]
    findings: dict[int, list[Finding]] = {}
    for registration in (r for r in registrations if r.qualifying):
        for organisation_id, finding in registration.find(need, None).items():
            if organisation_id not in need.exclude:
                findings.setdefault(organisation_id, []).append(finding)
    candidates = set(findings)
    if not candidates:
        return []
    for registration in (r for r in registrations if not r.qualifying):
        for organisation_id, finding in registration.find(need, candidates).items():
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
