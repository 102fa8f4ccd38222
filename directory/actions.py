"""What directory offers other apps through core.extensions.ACTIONS: drafting a good practice from work done
elsewhere on the platform (an expertise exchange's outcome). Registered in DirectoryConfig.ready()."""

from django.utils import timezone

from accounts.models import Organisation, User
from core.extensions import ACTIONS
from directory import services


def draft_practice(*, author: User, organisation: Organisation, partners: list[Organisation],
                   replicated_in: dict | None = None, **fields) -> str:
    """A draft practice led by `organisation`, with its partners and where it was replicated; its URL.
    It goes through the review like any other practice."""
    fields.setdefault("summary", "")
    fields["summary"] = fields["summary"][:1000]
    fields.setdefault("start_year", timezone.now().year)
    practice = services.create_practice(author=author, organisation=organisation, partners=partners, **fields)
    if replicated_in:
        services.record_replication(actor=author, practice=practice, place=replicated_in["place"][:120],
                                    country=replicated_in["country"], year=timezone.now().year,
                                    note=str(replicated_in.get("note", ""))[:500])
    return practice.get_absolute_url()


def register() -> None:
    ACTIONS.register("directory.draft_practice", draft_practice)
