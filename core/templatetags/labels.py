"""`{{ organisation.country|country_name }}`: a country's name in the page's language from core.labels' dict, what
`{{ organisation.country.name }}` shows without translating the name again on each row."""

from django import template

from core import labels

register = template.Library()


@register.filter
def country_name(country: object) -> str:
    return labels.country_name(country)
