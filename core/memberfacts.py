"""What every member page asks about its member (unread notifications, unread chat messages, what they moderate),
each kept per member under its own generations and read together: one cache round trip a request for all.

An app declares a fact in its AppConfig.ready():

    MEMBER_FACTS.register("chat.unread", MemberFact(kinds=lambda user: [("chat.unread", user.pk)],
                                                    make=selectors.unread_total))

and anything that needs it asks `member_fact(user, "chat.unread")`. For the request's own member (marked by
accounts.middleware.MemberMiddleware with REQUEST_MEMO) the first question reads every fact in one round trip
(core.versions.kept_together) and the request keeps the answers; the services that change a fact bump its kinds
(core/versions.py), so a change shows on the next request. Any other user object (a job's, a test's own, another
member) is answered from the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from core import versions
from core.extensions import ExtensionPoint

# The attribute MemberMiddleware puts on the request's own user: answers that hold for the whole request
# (here, and accounts.permissions.per_request).
REQUEST_MEMO = "_request_memo"


@dataclass(frozen=True)
class MemberFact:
    kinds: Callable[[Any], list[versions.Kind]]  # the generations it is kept under, for a member
    make: Callable[[Any], Any]  # read it from the database


MEMBER_FACTS: ExtensionPoint[MemberFact] = ExtensionPoint(
    "core.member_facts", "What every member page asks about its member, read together once per request.")


def member_fact(user: Any, name: str) -> Any:
    """The fact `name` about `user` (a member): for the request's own member, from the request's one read of all
    of them; for any other user object, from the database."""
    fact = MEMBER_FACTS[name]
    memo = getattr(user, REQUEST_MEMO, None)
    if memo is None:
        return fact.make(user)
    read = memo.get("member-facts")
    if read is None or versions.bumped(read[0]) != read[1]:
        read = _read(user, memo)
    if name not in read[2]:  # with the rendering caches off, each fact is read afresh when first asked
        read[2][name] = fact.make(user)
    return read[2][name]


def kept_with_facts(user: Any, cache_key: str, kinds: list[versions.Kind], make: Callable[[], Any]) -> Any:
    """versions.kept(cache_key, kinds, make) for a value of the request's own member that a page reads before its
    frame asks for the member's facts (the messenger's kept list of conversations): read in the same round trip
    as the facts, which the frame then finds read. For any other user object, or once the facts are read, alone."""
    memo = getattr(user, REQUEST_MEMO, None)
    if memo is None or not settings.CACHE_RENDERED:
        return versions.kept(cache_key, kinds, make)
    read = memo.get("member-facts")
    if read is not None and versions.bumped(read[0]) == read[1]:
        return versions.kept(cache_key, kinds, make)
    return _read(user, memo, also=(cache_key, kinds, make))


def _read(user: Any, memo: dict, also: tuple[str, list[versions.Kind], Callable[[], Any]] | None = None) -> Any:
    """Read every fact about the request's own member into `memo` (one round trip), with the value `also` kept
    beside them; the read, or with `also`, its value."""
    # A service that ran in this request (marking a conversation or a notification read) may have changed a
    # fact already read: after a bump of one of their kinds the request reads them again.
    kinds = sorted({kind if isinstance(kind, str) else kind[0] for each in MEMBER_FACTS for kind in each.kinds(user)})
    bumped = versions.bumped(kinds)
    if not settings.CACHE_RENDERED:
        memo["member-facts"] = (kinds, bumped, {})
        return memo["member-facts"]
    names = MEMBER_FACTS.keys()
    entries = [(f"v:member-fact:{name}:{user.pk}", MEMBER_FACTS[name].kinds(user),
                (lambda fact: lambda: fact.make(user))(MEMBER_FACTS[name])) for name in names]
    values = versions.kept_together(*entries, *([also] if also is not None else []))
    read = memo["member-facts"] = (kinds, bumped, dict(zip(names, values, strict=False)))
    return values[-1] if also is not None else read
