"""Moderation fixtures: forum posts are the reportable kind most tests use, so the forum categories and
their moderators come from the forum fixtures."""

from tests.forums.conftest import (  # noqa: F401  fixtures
    category_moderator,
    members_category,
    other_category_moderator,
    public_category,
)
