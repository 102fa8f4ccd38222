"""Discussion topics for content that lives in other apps (an event, a practice): created on demand,
linked both ways — the topic names its subject (Topic.subject), the subject's page links its topic.

The apps declare their discussable kinds in core.extensions.DISCUSSABLE (events/extensions.py,
directory/extensions.py): how to find a subject the member may see, and whether it is public. The topic
goes to the public category of the subject's first policy area (or a public general category); a
members-only subject's topic goes to a members-only category, so a discussion never shows more than its
subject.
"""

from django.db.models import Model

from core.extensions import discussable_kind_of
from forums.models import Category


def category_for(subject: Model) -> Category | None:
    """Where a subject's discussion goes (see the module's docstring); None when no category fits."""
    found = discussable_kind_of(subject)
    if found is None:
        return None
    kind = found[1]
    visibility = Category.Visibility.PUBLIC if kind.is_public(subject) else Category.Visibility.MEMBERS
    candidates = list(Category.objects.filter(visibility=visibility, start_topics=Category.Access.READERS))
    areas = kind.policy_area_ids(subject)
    for area_id in areas:
        for category in candidates:
            if category.policy_area_id == area_id:
                return category
    general = [c for c in candidates if c.policy_area_id is None]
    return (general or candidates or [None])[0]
