"""The clearinghouse's taxonomy: three policy areas, their sub-topics, and geographic levels.

The areas and topics live in the database (core.PolicyArea, core.Topic) so that other apps can
reference them with foreign keys and facet on them; this module is their single source.
"""

from collections.abc import Iterable

from django.db import models

POLICY_AREAS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "socio-economic": (
        "Socio-economic integration",
        "Employment, entrepreneurship, housing, health and education.",
        [
            ("employment", "Employment"),
            ("entrepreneurship", "Entrepreneurship"),
            ("housing", "Housing"),
            ("health", "Health"),
            ("education", "Education"),
            ("language-learning", "Language learning"),
            ("skills-recognition", "Recognition of skills and qualifications"),
        ],
    ),
    "legal-political": (
        "Legal and political integration",
        "Political participation, empowerment and anti-discrimination law.",
        [
            ("political-participation", "Political participation"),
            ("empowerment", "Empowerment"),
            ("anti-discrimination", "Anti-discrimination law"),
            ("citizenship", "Naturalisation and citizenship"),
            ("access-to-rights", "Access to rights and services"),
            ("family-reunification", "Family reunification"),
        ],
    ),
    "cultural": (
        "Cultural integration",
        "Public perceptions, tolerance of diversity, intercultural dialogue and everyday interaction.",
        [
            ("public-perceptions", "Public perceptions"),
            ("tolerance-of-diversity", "Tolerance of diversity"),
            ("intercultural-dialogue", "Intercultural dialogue"),
            ("everyday-interaction", "Everyday interaction"),
            ("media", "Media and communication"),
            ("sport-and-culture", "Sport, arts and culture"),
        ],
    ),
}


class Level(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"
    INTERNATIONAL = "international", "International"


def sync_taxonomy(**kwargs) -> None:
    """Create or update the policy areas and topics; safe to run any number of times."""
    from core.models import PolicyArea, Topic

    for position, (code, (name, description, topics)) in enumerate(POLICY_AREAS.items()):
        area, _ = PolicyArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
        for topic_position, (slug, topic_name) in enumerate(topics):
            Topic.objects.update_or_create(
                slug=slug, defaults={"area": area, "name": topic_name, "position": topic_position}
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
