"""The form renderer (settings.FORM_RENDERER): Django's templates, except a <select>, which is written in Python.

Django renders a select through one template include per option, with another include for its attributes:
the country select (250 options) cost 22-27 ms on the event list and the practice page, the time zone select
(about 600) more. Written here, the same markup costs well under a millisecond (bench/results/FINDINGS.md,
"Caching"), and every select of every form benefits without a change to the forms. The output is the
templates' own, byte for byte (tests/core/test_form_renderer.py compares them). A widget with a template of its
own (a radio list, a custom option) is rendered by its template as before.
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _esc(value: object) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper (a third of the time on 600 options)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_esc(name)}" if value is True else f' {_esc(name)}="{_esc(f"{value}")}"'
        for name, value in attrs.items() if value is not False
    )


def _option(option: dict) -> str:
    value = _esc(f"{option['value']}")
    return f'<option value="{value}"{_attrs(option["attrs"])}>{_esc(localize(option["label"]))}</option>'


def render_select(widget: dict) -> SafeString:
    """django/forms/widgets/select.html for a widget context whose options all use the standard option template."""
    parts = [f'<select name="{_esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_esc(localize(group_name))}">')
        parts.extend(f"\n  {_option(option)}\n" for option in group_choices)  # the option template ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(option.get("template_name") == OPTION
                                      for _name, options, _index in widget["optgroups"] for option in options):
            return render_select(widget)
        return super().render(template_name, context, request=request)
