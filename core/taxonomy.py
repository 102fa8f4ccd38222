"""The clearinghouse's taxonomy: three policy areas, their sub-topics, and geographic levels.

The areas and topics live in the database (core.PolicyArea, core.Topic) so that other apps can
reference them with foreign keys and facet on them; this module is their single source.
"""

from collections.abc import Iterable

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

POLICY_AREAS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "socio-economic": (
        _("Socio-economic integration"),
        _("Employment, entrepreneurship, housing, health and education."),
        [
            ("employment", _("Employment")),
            ("entrepreneurship", _("Entrepreneurship")),
            ("housing", _("Housing")),
            ("health", _("Health")),
            ("education", _("Education")),
            ("language-learning", _("Language learning")),
            ("skills-recognition", _("Recognition of skills and qualifications")),
        ],
    ),
    "legal-political": (
        _("Legal and political integration"),
        _("Political participation, empowerment and anti-discrimination law."),
        [
            ("political-participation", _("Political participation")),
            ("empowerment", _("Empowerment")),
            ("anti-discrimination", _("Anti-discrimination law")),
            ("citizenship", _("Naturalisation and citizenship")),
            ("access-to-rights", _("Access to rights and services")),
            ("family-reunification", _("Family reunification")),
        ],
    ),
    "cultural": (
        _("Cultural integration"),
        _("Public perceptions, tolerance of diversity, intercultural dialogue and everyday interaction."),
        [
            ("public-perceptions", _("Public perceptions")),
            ("tolerance-of-diversity", _("Tolerance of diversity")),
            ("intercultural-dialogue", _("Intercultural dialogue")),
            ("everyday-interaction", _("Everyday interaction")),
            ("media", _("Media and communication")),
            ("sport-and-culture", _("Sport, arts and culture")),
        ],
    ),
}


class Level(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


# The names users read, by code, in the active language (core.reference.TranslatedNameField).
AREA_NAMES = {code: name for code, (name, _description, _topics) in POLICY_AREAS.items()}
AREA_DESCRIPTIONS = {code: description for code, (_name, description, _topics) in POLICY_AREAS.items()}
TOPIC_NAMES = {slug: name for _name, _description, topics in POLICY_AREAS.values() for slug, name in topics}


def sync_taxonomy(**kwargs) -> None:
    """Create or update the policy areas and topics; safe to run any number of times."""
    from core.models import PolicyArea, Topic

    # The rows keep the English names; pages translate them by code (core.reference).
    with translation.override("en"):
        for position, (code, (name, description, topics)) in enumerate(POLICY_AREAS.items()):
            area, _created = PolicyArea.objects.update_or_create(
                code=code, defaults={"name": str(name), "description": str(description), "position": position}
            )
            for topic_position, (slug, topic_name) in enumerate(topics):
                Topic.objects.update_or_create(
                    slug=slug, defaults={"area": area, "name": str(topic_name), "position": topic_position}
                )


def set_taxonomy(obj: models.Model, policy_areas: Iterable | None, topics: Iterable | None) -> None:
    """Classify `obj` (anything with `policy_areas` and `topics` relations): None leaves a side as it is.
    A sub-topic implies its area, so a facet on the area finds the object too."""
    if policy_areas is not None:
        obj.policy_areas.set(policy_areas)
    if topics is not None:
        topics = list(topics)
        obj.topics.set(topics)
        obj.policy_areas.add(*{t.area_id for t in topics})
