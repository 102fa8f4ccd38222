"""Forms for sign-up details, profiles, organisations and join requests."""

import zoneinfo
from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, User
from core.models import PolicyArea, Topic


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))] + [("UTC", "UTC")]


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, help_text=_("As peers will see it."))
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    # static/js/timezone.js replaces the initial UTC with the browser's zone.
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices, initial="UTC",
                                 help_text=_("Event times are shown in this zone too."),
                                 widget=forms.Select(attrs={"data-guess-timezone": "UTC"}))

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.job_title = self.cleaned_data.get("job_title", "")
        user.timezone = self.cleaned_data["timezone"]
        user.save()


PICTURE_ACCEPT = "image/png,image/jpeg,image/webp,image/gif"


def picture_field(label: str, help_text: str) -> forms.FileField:
    """A picture upload; the content is checked and redrawn by the service (core.images), not here."""
    return forms.FileField(label=label, required=False, help_text=help_text,
                           widget=forms.FileInput(attrs={"accept": PICTURE_ACCEPT}))


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, label=_("Time zone"))
    avatar = picture_field(_("Avatar"), _("A PNG, JPEG, GIF or WebP picture up to 5 MB; it is cropped to a "
                                          "square. Without one, your initials are shown."))
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = User
        fields = ["full_name", "job_title", "bio", "timezone", "language", "profile_visibility",
                  "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class TaxonomyFieldsMixin(forms.Form):
    policy_areas = forms.ModelMultipleChoiceField(queryset=PolicyArea.objects.all(), required=False,
                                                  widget=forms.CheckboxSelectMultiple, label=_("Policy areas"))
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.select_related("area"), required=False,
                                            widget=forms.CheckboxSelectMultiple, label=_("Sub-topics"))


class OrganisationForm(TaxonomyFieldsMixin, forms.ModelForm):
    # The page shows the form in these titled sections (partials/form_sections.html).
    sections = (
        ("identity", _("Who you are"),
         _("The name and kind of organisation, its logo, and a few sentences on its work on integration."),
         ["name", "kind", "logo", "remove_logo", "description"]),
        ("place", _("Where you work"),
         _("Your country and city, the level you work at, and your website."),
         ["country", "city", "level", "website"]),
        ("topics", _("What you work on"),
         _("Peers and the directory's filters find you by these policy areas and sub-topics."),
         ["policy_areas", "topics"]),
    )

    logo = picture_field(_("Logo"), _("A PNG, JPEG, GIF or WebP picture up to 5 MB, shown whole on a square. "
                                      "Without one, the organisation's initials are shown."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "country", "city", "level", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the organisation's name."))
        return name


class JoinRequestForm(forms.Form):
    message = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              label=_("Message"), help_text=_("Optional: tell the administrators who you are."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
