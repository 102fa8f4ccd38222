"""Forms for practices, their review and replications, resources and the staff CSV import."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, User
from core.languages import LANGUAGE_CHOICES, default_content_language
from core.models import PolicyArea, Topic
from directory.models import ImportJob, Practice, Replication, Resource, TargetGroup


def _one_line(value: str, message: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise forms.ValidationError(message)
    return value


def _year_between(first: int) -> str:
    # Years are written without a thousands separator, whatever the language.
    return gettext("Give a year between %(first)s and %(last)s.") % {"first": first,
                                                                    "last": timezone.now().year + 1}


def member_organisations(user: User):
    return Organisation.objects.filter(memberships__user=user,
                                       memberships__status=Membership.Status.ACTIVE).order_by("name")


def offer_member_organisations(field: forms.ModelChoiceField, user: User) -> None:
    """Let `field` choose among the member's organisations; with only one, it is chosen already.

    A required select that starts on its empty choice fails with "This field is required" for a member
    who had nothing to choose.
    """
    field.queryset = member_organisations(user)
    own = list(field.queryset[:2])
    if len(own) == 1:
        field.initial = own[0].pk
        if field.required:
            field.empty_label = None


class TaxonomyFields(forms.Form):
    policy_areas = forms.ModelMultipleChoiceField(queryset=PolicyArea.objects.all(), required=False,
                                                  widget=forms.CheckboxSelectMultiple, label=_("Policy areas"))
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.select_related("area"), required=False,
                                            widget=forms.CheckboxSelectMultiple, label=_("Sub-topics"),
                                            help_text=_("A sub-topic adds its policy area."))


class PracticeForm(TaxonomyFields, forms.ModelForm):
    """The practice template; on creation it also asks for which of the member's organisations."""

    # The page shows the form in these titled sections (partials/form_sections.html).
    sections = (
        ("brief", _("The practice in brief"),
         _("A title and two or three sentences that make a practitioner elsewhere want to read on."),
         ["organisation", "title", "summary", "language", "other_languages"]),
        ("how", _("What it does and for whom"),
         _("The problem it answers and how it works, step by step, so that someone could run it elsewhere."),
         ["issue", "how_it_works", "beneficiaries", "target_groups"]),
        ("results", _("Results and lessons"),
         _("What changed, how you know it, and what others should know before replicating it."),
         ["results", "evaluation_type", "evaluation_indicators", "lessons", "transferability"]),
        ("place", _("Where, when and with what"),
         _("Where it runs, since when, at which level of government, and how it is funded."),
         ["country", "city", "level", "start_year", "end_year", "funding"]),
        ("topics", _("Policy areas and topics"),
         _("How readers find it: choose the areas and sub-topics it works on."),
         ["policy_areas", "topics"]),
        ("links", _("Partners, links and attachments"),
         _("Who works with you, where to read more, and documents from the resource library."),
         ["partners", "other_partners", "links", "resources"]),
    )

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Lead organisation"),
                                          help_text=_("One of the organisations you belong to."))
    target_groups = forms.ModelMultipleChoiceField(queryset=TargetGroup.objects.all(), required=False,
                                                   widget=forms.CheckboxSelectMultiple, label=_("Target groups"))
    partners = forms.ModelMultipleChoiceField(queryset=Organisation.objects.filter(verified=True).order_by("name"),
                                              required=False, label=_("Partner organisations on Crossroads"))
    resources = forms.ModelMultipleChoiceField(queryset=Resource.objects.none(), required=False,
                                               label=_("Attachments from the resource library"))

    class Meta:
        model = Practice
        fields = ["title", "summary", "issue", "how_it_works", "results", "evaluation_type",
                  "evaluation_indicators", "lessons", "beneficiaries", "funding", "start_year", "end_year",
                  "country", "city", "level", "other_partners", "transferability", "links", "language",
                  "other_languages"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "issue": forms.Textarea(attrs={"rows": 5}),
            "how_it_works": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "evaluation_indicators": forms.Textarea(attrs={"rows": 3}),
            "lessons": forms.Textarea(attrs={"rows": 5}),
            "beneficiaries": forms.Textarea(attrs={"rows": 2}),
            "funding": forms.Textarea(attrs={"rows": 2}),
            "transferability": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, creating: bool, resources_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            offer_member_organisations(self.fields["organisation"], user)
            self.order_fields(["organisation"])
            self.fields["language"].initial = default_content_language(user)
        else:
            del self.fields["organisation"]
        if resources_queryset is not None:
            self.fields["resources"].queryset = resources_queryset.order_by("title")
        this_year = timezone.now().year
        self.fields["start_year"].widget = forms.NumberInput(attrs={"min": 1945, "max": this_year + 1})
        self.fields["end_year"].widget = forms.NumberInput(attrs={"min": 1945, "max": this_year + 10})

    def clean_title(self) -> str:
        return _one_line(self.cleaned_data["title"], gettext("Give the practice a title."))

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise forms.ValidationError(gettext("Summarise the practice in two or three sentences."))
        return summary

    def clean_start_year(self) -> int:
        year = self.cleaned_data["start_year"]
        if not 1945 <= year <= timezone.now().year + 1:
            raise forms.ValidationError(_year_between(1945))
        return year

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", gettext("The practice cannot end before it starts."))
        return data

    def relations(self) -> dict:
        return {name: self.cleaned_data[name]
                for name in ("policy_areas", "topics", "target_groups", "partners", "resources")}

    def practice_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PracticeTranslationForm(forms.ModelForm):
    """A practice written in another language: the language and the text; the rest is the original's."""

    class Meta:
        model = Practice
        fields = ["language", "title", "summary", "issue", "how_it_works", "results", "evaluation_indicators",
                  "lessons", "beneficiaries", "funding", "transferability"]
        widgets = PracticeForm.Meta.widgets

    def __init__(self, *args, original: Practice, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        taken = {original.language, *original.translations.values_list("language", flat=True)}
        choices = [(code, name) for code, name in LANGUAGE_CHOICES if code not in taken]
        self.fields["language"].choices = choices
        self.fields["language"].label = _("Language of this version")
        mine = default_content_language(user)
        if mine in dict(choices):
            self.fields["language"].initial = mine
        # The original's text to translate over, section by section.
        for name in self.Meta.fields[1:]:
            self.fields[name].initial = getattr(original, name)

    def clean_title(self) -> str:
        return _one_line(self.cleaned_data["title"], gettext("Give the practice a title."))


class ResourceTranslationForm(forms.ModelForm):
    """A library item in another language: its language, title, authors, summary and document."""

    file = forms.FileField(required=False, label=_("File"),
                           help_text=_("PDF, DOCX or ODT of this version. Without a link or a file, the original's "
                                       "link is given."))

    class Meta:
        model = Resource
        fields = ["language", "title", "authors", "summary", "url"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, original: Resource, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        taken = {original.language, *original.translations.values_list("language", flat=True)}
        choices = [(code, name) for code, name in LANGUAGE_CHOICES if code not in taken]
        self.fields["language"].choices = choices
        self.fields["language"].label = _("Language of this version")
        mine = default_content_language(user)
        if mine in dict(choices):
            self.fields["language"].initial = mine
        for name in ("title", "authors", "summary"):
            self.fields[name].initial = getattr(original, name)

    def clean_title(self) -> str:
        return _one_line(self.cleaned_data["title"], gettext("Give the resource a title."))


class ReturnForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             label=_("Reason"),
                             help_text=_("What the author should change; they receive it with the practice."))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(gettext("Say what the author should change."))
        return reason


class PublishForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False, label=_("Note to the author (optional)"),
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReplicationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                          label=_("Replicating organisation (optional)"),
                                          help_text=_("If it is your organisation, the place links to its page."))

    class Meta:
        model = Replication
        fields = ["organisation", "place", "country", "year", "note"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(user)

    def clean_place(self) -> str:
        return _one_line(self.cleaned_data["place"], gettext("Name the city or region."))

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not 1945 <= year <= timezone.now().year + 1:
            raise forms.ValidationError(_year_between(1945))
        return year


class ResourceForm(TaxonomyFields, forms.ModelForm):
    publisher = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Publisher"),
                                       help_text=_("One of the organisations you belong to."))
    file = forms.FileField(required=False, label=_("File"),
                           help_text=_("PDF, DOCX or ODT. Give a link, a file, or both."))
    remove_file = forms.BooleanField(required=False, label=_("Remove the current file"))

    class Meta:
        model = Resource
        fields = ["title", "kind", "authors", "year", "language", "summary", "url"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user: User, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            offer_member_organisations(self.fields["publisher"], user)
            self.order_fields(["publisher"])
            self.fields["language"].initial = default_content_language(user)
            del self.fields["remove_file"]
        else:
            del self.fields["publisher"]
            if not self.instance.file:
                del self.fields["remove_file"]

    def clean_title(self) -> str:
        return _one_line(self.cleaned_data["title"], gettext("Give the resource a title."))

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise forms.ValidationError(gettext("Say in a few sentences what the resource is."))
        return summary

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1900 <= year <= timezone.now().year + 1:
            raise forms.ValidationError(_year_between(1900))
        return year

    def clean(self) -> dict:
        data = super().clean()
        keeps_file = bool(self.instance.pk and self.instance.file and not data.get("remove_file"))
        if not data.get("url") and not data.get("file") and not keeps_file:
            self.add_error("url", gettext("Give a link or upload a file."))
        return data

    def resource_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportJob.Kind.choices, widget=forms.RadioSelect,
                             initial=ImportJob.Kind.PRACTICES, label=_("What the file holds"))
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma-separated, with a header row."))
