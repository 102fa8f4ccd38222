"""How the forums' notifications read (core.extensions.NOTIFICATION_KINDS), in the reader's language:
replies, mentions, quotes and new topics (with the post's opening as written), posts held, approved or
rejected, accepted answers."""

from django.utils.translation import gettext, gettext_lazy

from core.extensions import NOTIFICATION_KINDS, NotificationKind


def _name(params: dict) -> str:
    return params.get("name") or gettext("A member")


def _by_name(message):
    """A title saying who did it; a post whose author is gone reads "A member"."""
    return lambda params: str(message) % {**params, "name": _name(params)}


KINDS = {
    "forums.mention": NotificationKind(title=_by_name(gettext_lazy("%(name)s mentioned you in “%(topic)s”")),
                                       body="%(excerpt)s"),
    "forums.quote": NotificationKind(title=_by_name(gettext_lazy("%(name)s quoted you in “%(topic)s”")),
                                     body="%(excerpt)s"),
    "forums.reply": NotificationKind(title=_by_name(gettext_lazy("%(name)s replied to “%(topic)s”")),
                                     body="%(excerpt)s"),
    "forums.new_topic": NotificationKind(title=gettext_lazy("New topic in %(category)s: “%(topic)s”"),
                                         body="%(excerpt)s"),
    "forums.held": NotificationKind(title=gettext_lazy("A post in “%(topic)s” waits for approval")),
    "forums.approved": NotificationKind(title=gettext_lazy("Your post in “%(topic)s” is approved and published")),
    "forums.rejected": NotificationKind(title=gettext_lazy("Your post in “%(topic)s” was not published: %(reason)s")),
    "forums.accepted": NotificationKind(
        title=gettext_lazy("Your reply was accepted as the answer to “%(topic)s”")),
}


def register() -> None:
    for kind, text in KINDS.items():
        NOTIFICATION_KINDS.register(kind, text)
