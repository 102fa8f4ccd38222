"""Forms for requests, offers, decisions, outcomes, invitations and follows."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Membership, Organisation, User
from core.models import PolicyArea, Topic
from core.uploads import MultipleFileField
from expertise.models import MAX_LANGUAGES, WORK_LANGUAGES, Offer, Outcome, SupportRequest


def _up_to(n: int) -> str:
    return ngettext("Up to %(n)d.", "Up to %(n)d.", n) % {"n": n}


# The help text is worded when the form is shown, in the reader's language.
_up_to_languages = lazy(lambda: _up_to(MAX_LANGUAGES), str)


def member_organisations(user: User):
    return Organisation.objects.filter(memberships__user=user,
                                       memberships__status=Membership.Status.ACTIVE).order_by("name")


class RequestForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("On behalf of"),
                                          help_text=_("One of the organisations you belong to."))
    policy_areas = forms.ModelMultipleChoiceField(queryset=PolicyArea.objects.all(), required=False,
                                                  widget=forms.CheckboxSelectMultiple, label=_("Policy areas"))
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.select_related("area"), required=False,
                                            widget=forms.CheckboxSelectMultiple, label=_("Sub-topics"),
                                            help_text=_("A sub-topic adds its policy area."))
    languages = forms.MultipleChoiceField(choices=WORK_LANGUAGES, label=_("Languages of work"),
                                          help_text=_up_to_languages(),
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    attachments = MultipleFileField(required=False, label=_("Attachments"),
                                    help_text=_("PDF, DOCX or ODT, e.g. the draft to review; at most 5."))

    class Meta:
        model = SupportRequest
        fields = ["title", "kind", "needs", "country", "level", "city", "needed_by", "effort", "visibility"]
        widgets = {"needs": forms.Textarea(attrs={"rows": 8}),
                   "needed_by": forms.DateInput(attrs={"type": "date"}),
                   "visibility": forms.RadioSelect}
        help_texts = {"needs": _("Markdown. What you are working on, what you need from peers, and what you "
                                 "already have.")}

    field_order = ["organisation", "title", "kind", "needs", "policy_areas", "topics", "country", "level", "city",
                   "languages", "needed_by", "effort", "visibility", "attachments"]

    def __init__(self, *args, user: User, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["organisation"].queryset = member_organisations(user)
        else:
            del self.fields["organisation"]
            del self.fields["attachments"]
            self.initial.setdefault("languages", self.instance.languages)

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give the request a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("policy_areas") and not cleaned.get("topics"):
            self.add_error("topics", _("Choose at least one policy area or sub-topic."))
        return cleaned

    def request_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["languages"] = self.cleaned_data["languages"]
        return fields

    def relations(self) -> dict:
        return {"policy_areas": self.cleaned_data["policy_areas"], "topics": self.cleaned_data["topics"]}


class OfferForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("On behalf of"))

    class Meta:
        model = Offer
        fields = ["organisation", "proposal", "timing", "language"]
        widgets = {"proposal": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user: User, request: SupportRequest, **kwargs):
        super().__init__(*args, **kwargs)
        live = Offer.objects.filter(request=request, status__in=[Offer.Status.PENDING, Offer.Status.ACCEPTED])
        self.fields["organisation"].queryset = (member_organisations(user).exclude(pk=request.organisation_id)
                                                .exclude(pk__in=live.values("organisation_id")))
        choices = list(self.fields["organisation"].queryset[:2])
        if len(choices) == 1:
            self.initial.setdefault("organisation", choices[0].pk)
        if request.languages:
            self.initial.setdefault("language", request.languages[0])


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("A word to the offerer (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["what_was_done", "what_changed", "links"]
        widgets = {"what_was_done": forms.Textarea(attrs={"rows": 6}),
                   "what_changed": forms.Textarea(attrs={"rows": 5}),
                   "links": forms.Textarea(attrs={"rows": 3})}


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.filter(verified=True),
                                          widget=forms.HiddenInput)
    people = forms.ModelMultipleChoiceField(queryset=User.objects.filter(is_active=True), required=False,
                                            widget=forms.MultipleHiddenInput)
    message = forms.CharField(label=_("A message with the invitation (optional)"), required=False,
                              max_length=1000)


class FollowForm(forms.Form):
    subject = forms.ChoiceField(label=_("Follow"))
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                          label=_("For"), empty_label=_("Myself"),
                                          help_text=_("An organisation's follows reach all its members."))
    email = forms.BooleanField(label=_("Also by e-mail (as your notification settings say)"), required=False,
                               initial=True)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for area in PolicyArea.objects.prefetch_related("topics"):
            choices.append((f"area:{area.pk}", area.name))
            choices.extend((f"topic:{t.pk}", f"— {t.name}") for t in area.topics.all())
        self.fields["subject"].choices = choices
        self.fields["organisation"].queryset = member_organisations(user).filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN)

    def followed(self) -> dict:
        kind, pk = self.cleaned_data["subject"].split(":")
        if kind == "area":
            return {"policy_area": PolicyArea.objects.get(pk=pk)}
        return {"topic": Topic.objects.get(pk=pk)}
