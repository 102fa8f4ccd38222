"""Template side of "who moderates what": the same functions as moderation.permissions, nothing re-decided."""

from django import template
from django.urls import reverse

from moderation import permissions, selectors
from moderation.registry import kind_for
from moderation.services import can_report

register = template.Library()


@register.filter
def moderates(user, scope=None) -> bool:
    """`{% if user|moderates %}` (the platform) or `{% if user|moderates:category %}` (one scope)."""
    return permissions.is_moderator(user, scope)


@register.filter
def uses_moderation_queue(user) -> bool:
    return permissions.can_use_moderation_queue(user)


@register.simple_tag
def moderation_queue_counts(user) -> selectors.QueueCounts | None:
    """`{% moderation_queue_counts user as queue %}` (the header's): open reports and approvals waiting, None for
    non-moderators."""
    return selectors.header_queue_counts(user)


@register.filter
def moderates_members(user) -> bool:
    return permissions.can_moderate_members(user)


@register.simple_tag(takes_context=True)
def report_url(context, target) -> str:
    """The address of the report form for `target`, or "" when the viewer may not report it."""
    kind = kind_for(type(target))
    user = context.get("user")
    if kind is None or user is None or not can_report(user, target):
        return ""
    return reverse("moderation:report", args=[kind.key, target.pk])
