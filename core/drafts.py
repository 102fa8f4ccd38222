"""Drafts of long forms: "Save draft" keeps what a member typed, unchecked, and the form comes back filled in.

A view calls `draft_action` first (it answers the draft buttons with a redirect), then `restore` on its unbound
form, and `services.discard_form_draft` once the form is saved for real:

    if (response := drafts.draft_action(request, key, FormClass.base_fields)) is not None:
        return response
    form = FormClass(request.POST or None, ...)
    draft = drafts.restore(request, key, form)
"""

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core import selectors, services
from core.models import FormDraft


def draft_action(request: HttpRequest, key: str, fields: Iterable[str]) -> HttpResponse | None:
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    if "save_draft" in request.POST:
        services.save_form_draft(user=request.user, key=key, data=dict(request.POST.lists()), fields=list(fields))
        messages.success(request, _("Your draft is saved. It is filled in again when you come back to this form."))
        return redirect(request.get_full_path())
    if "discard_draft" in request.POST:
        services.discard_form_draft(user=request.user, key=key)
        messages.success(request, _("The draft is discarded."))
        return redirect(request.get_full_path())
    return None


def restore(request: HttpRequest, key: str, form: forms.BaseForm) -> FormDraft | None:
    """Fill an unbound form with the member's draft; return the draft (the page says it was restored)."""
    if form.is_bound:
        return None
    draft = selectors.form_draft(request.user, key)
    if draft is None:
        return None
    for name, field in form.fields.items():
        if isinstance(field, forms.BooleanField):
            form.initial[name] = name in draft.data
        elif name in draft.data:
            values = draft.data[name]
            multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
            form.initial[name] = values if multiple else values[0]
    return draft


def discard(request: HttpRequest, key: str) -> None:
    """The form is saved for real: its draft has served."""
    services.discard_form_draft(user=request.user, key=key)
