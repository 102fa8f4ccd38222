"""The forums' evidence for the matching engine (accounts.matching): members whose answers in a policy
area's categories others marked helpful. Registered in ForumsConfig.ready()."""

from django.db.models import Count, Sum
from django.utils.translation import ngettext

from accounts.models import Membership
from core.extensions import MATCHING_EVIDENCE, SUPPORT, EvidenceSource, Finding, Need
from forums.models import Post


def helpful_answer_evidence(need: Need, candidates: set[int] | None) -> dict[int, Finding]:
    """Published posts marked helpful in categories of the need's areas, counted for their authors'
    organisations."""
    if not need.area_ids:
        return {}
    helpful = (Post.objects.filter(status=Post.Status.PUBLISHED, helpful_count__gt=0,
                                   topic__category__policy_area__in=need.area_ids, author__is_active=True)
               .values("author_id").annotate(posts=Count("pk"), marks=Sum("helpful_count")))
    by_author = {row["author_id"]: (row["posts"], row["marks"]) for row in helpful}
    if not by_author:
        return {}
    found: dict[int, Finding] = {}
    for organisation_id, user_id in (Membership.objects.filter(user_id__in=list(by_author),
                                                               status=Membership.Status.ACTIVE)
                                     .values_list("organisation_id", "user_id").order_by("organisation_id")):
        posts, marks = by_author[user_id]
        finding = found.setdefault(organisation_id, Finding(score=0, reasons=[], people=()))
        finding.score += 2 * posts + marks
        finding.people += (user_id,)
    for finding in found.values():
        posts = sum(by_author[user_id][0] for user_id in finding.people)
        finding.reasons = [ngettext("%(count)d forum answer marked helpful in these areas",
                                    "%(count)d forum answers marked helpful in these areas", posts) % {"count": posts}]
    return found


def register() -> None:
    MATCHING_EVIDENCE.register("helpful-answers", EvidenceSource(
        helpful_answer_evidence, purposes=frozenset({SUPPORT})))
