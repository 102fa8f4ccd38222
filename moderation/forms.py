"""Forms of the moderators' pages and the report form; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BODY_MAX = 20000


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("What is wrong with it? Only moderators see your report."))


class ResolveReportForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For the log and, when warned, the author. Required except to dismiss."))
    message = forms.CharField(label=_("Message to the reporter"), max_length=1000, required=False,
                              help_text=_("Leave empty to send the standard outcome."))
    body = forms.CharField(label=_("New text (for “edit”)"), max_length=BODY_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, actions: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(name, action.label) for name, action in actions.items()]
        if not any(action.needs_body for action in actions.values()):
            del self.fields["body"]


class MemberActionForm(forms.Form):
    ACTIONS = [("warn", _("Warn")), ("silence", _("Silence (no posting or messaging)")),
               ("suspend", _("Suspend (no log-in)")), ("unsilence", _("Lift the silence")),
               ("unsuspend", _("Lift the suspension"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    until = forms.DateTimeField(label=_("Until"), required=False,
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                help_text=_("For silence and suspension: until when (your time zone)."))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False, help_text=_("The member sees it."))

    def clean(self):
        data = super().clean()
        if data.get("action") in ("silence", "suspend") and not data.get("until"):
            self.add_error("until", _("Choose until when."))
        elif data.get("until") and data["until"] <= timezone.now() and data.get("action") in ("silence", "suspend"):
            self.add_error("until", _("Choose a moment in the future."))
        return data


class LogFilterForm(forms.Form):
    action = forms.CharField(required=False, max_length=40)
    moderator = forms.IntegerField(required=False, min_value=1)
    scope = forms.RegexField(required=False, regex=r"^\d{1,9}:\d{1,18}$")
    member = forms.IntegerField(required=False, min_value=1)
