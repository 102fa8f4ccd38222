"""Forms for events: the organiser's event, programme and documents, messages, and the list's filters.

Times are entered on the venue's wall clock; the form turns them into UTC instants with the zone given.
"""

import math
from datetime import UTC, datetime

from django import forms
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.forms import timezone_choices
from accounts.models import Organisation, User
from core import reference, versions
from core.languages import content_language_choices, default_content_language
from core.models import PolicyArea
from events.models import Attachment, Event, Feedback, RegistrationQuestion, Speaker
from events.permissions import organisations_user_can_organise_for
from events.timezones import NonexistentLocalTime, local_to_utc, utc_to_local

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WallClockField(forms.DateTimeField):
    """A date and time as read on some zone's clocks, kept naive: the form knows the zone, not the request."""

    widget = LOCAL_INPUT

    def to_python(self, value) -> datetime | None:
        with timezone.override(UTC):
            parsed = super().to_python(value)
        return parsed.replace(tzinfo=None) if parsed else None


def _single_line(value: str) -> str:
    return " ".join(value.split())


class EventForm(forms.Form):
    # The page shows the form in these titled sections (partials/form_sections.html).
    sections = (
        ("about", _("About the event"),
         _("What it is and who organises it; the summary is what lists and shared links show."),
         ["kind", "title", "language", "summary", "description", "organisations", "policy_areas"]),
        ("when", _("When and where"),
         _("Times are read on the venue's clocks; every reader also sees them in their own zone."),
         ["timezone", "starts_local", "ends_local", "format", "venue", "city", "country"]),
        ("online", _("Online links"),
         _("For webinars and hybrid events. The join link is shown only to confirmed registrants."),
         ["webcast_url", "join_url", "recording_url"]),
        ("registration", _("Registration"),
         _("Who may see the event and register, how many seats there are, and when registrants are reminded."),
         ["visibility", "capacity", "requires_approval", "waitlist_enabled", "registration_scope",
          "registration_opens_local", "registration_closes_local", "reminder_hours"]),
    )

    kind = forms.ChoiceField(choices=Event.Kind.choices, label=pgettext_lazy("event", "Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    language = forms.ChoiceField(choices=content_language_choices, label=_("Written in"), required=False,
                                 help_text=_("The language of the title and description, so readers' browsers and "
                                             "screen readers read it right."))
    summary = forms.CharField(max_length=300, required=False, label=_("Summary"),
                              help_text=_("One or two sentences for lists."))
    description = forms.CharField(max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8}),
                                  label=_("Description"), help_text=_("Markdown."))
    organisations = forms.ModelMultipleChoiceField(queryset=Organisation.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple,
                                                   label=_("Organising organisations"))
    policy_areas = forms.ModelMultipleChoiceField(queryset=PolicyArea.objects.all(), required=False,
                                                  widget=forms.CheckboxSelectMultiple, label=_("Policy areas"))
    timezone = forms.ChoiceField(choices=timezone_choices, label=_("Time zone of the venue"),
                                 help_text=_("Start and end are read on this zone's clocks."))
    starts_local = WallClockField(label=pgettext_lazy("event", "Starts"))
    ends_local = WallClockField(label=pgettext_lazy("event", "Ends"))
    format = forms.ChoiceField(choices=Event.Format.choices, label=pgettext_lazy("event", "Format"))
    venue = forms.CharField(max_length=300, required=False, label=_("Venue"),
                            help_text=_("E.g. Conference Room 8, United Nations Headquarters."))
    city = forms.CharField(max_length=120, required=False, label=_("City"))
    # Choices as a callable: country names are listed in the reader's language, not the one at start-up.
    country = forms.ChoiceField(choices=lambda: [("", "—"), *countries], required=False, label=_("Country"),
                                help_text=_("Empty: the first organisation's country."))
    webcast_url = forms.URLField(max_length=500, required=False, label=_("Public webcast link"))
    join_url = forms.URLField(max_length=500, required=False, label=_("Join link"),
                              help_text=_("Only confirmed registrants see it."))
    recording_url = forms.URLField(max_length=500, required=False, label=_("Recording link"),
                                   help_text=_("Published after the event; registrants are told."))
    visibility = forms.ChoiceField(choices=Event.Visibility.choices, label=_("Visibility"))
    capacity = forms.IntegerField(min_value=1, max_value=100_000, required=False, label=_("Capacity"),
                                  help_text=_("Empty: unlimited."))
    requires_approval = forms.BooleanField(required=False, label=_("Organisers approve each registration"))
    waitlist_enabled = forms.BooleanField(required=False, initial=True, label=_("Waitlist when full"))
    registration_scope = forms.ChoiceField(choices=Event.RegistrationScope.choices, label=_("Who may register"))
    registration_opens_local = WallClockField(label=_("Registration opens"), required=False,
                                              help_text=_("Empty: at once."))
    registration_closes_local = WallClockField(label=_("Registration closes"), required=False,
                                               help_text=_("Empty: when the event starts."))
    reminder_hours = forms.CharField(max_length=100, required=False, label=_("Reminders (hours before the start)"),
                                     help_text=_("Comma-separated, e.g. “24, 1”. Empty: the site's default."))

    def __init__(self, *args, user: User, event: Event | None = None, **kwargs):
        if event is not None:
            kwargs.setdefault("initial", self.initial_from(event))
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = default_content_language(user)
        organisable = organisations_user_can_organise_for(user)
        if event is not None:
            organisable = Organisation.objects.filter(pk__in=organisable.values("pk")) | event.organisations.all()
        self.fields["organisations"].queryset = organisable.distinct().order_by("name")
        if event is None:
            del self.fields["recording_url"]

    @staticmethod
    def initial_from(event: Event) -> dict:
        def local(value: datetime | None) -> datetime | None:
            return utc_to_local(value, event.timezone).replace(tzinfo=None) if value else None

        return {
            "kind": event.kind, "title": event.title, "language": event.language, "summary": event.summary,
            "description": event.description,
            "organisations": list(event.organisations.all()), "policy_areas": list(event.policy_areas.all()),
            "timezone": event.timezone, "starts_local": local(event.starts_at), "ends_local": local(event.ends_at),
            "format": event.format, "venue": event.venue, "city": event.city, "country": event.country.code or "",
            "webcast_url": event.webcast_url, "join_url": event.join_url, "recording_url": event.recording_url,
            "visibility": event.visibility, "capacity": event.capacity,
            "requires_approval": event.requires_approval, "waitlist_enabled": event.waitlist_enabled,
            "registration_scope": event.registration_scope,
            "registration_opens_local": local(event.registration_opens_at),
            "registration_closes_local": local(event.registration_closes_at),
            "reminder_hours": ", ".join(f"{m / 60:g}" for m in event.reminder_offsets),
        }

    def clean_title(self) -> str:
        title = _single_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Give the event a title."))
        return title

    def clean_summary(self) -> str:
        return _single_line(self.cleaned_data["summary"])

    def clean_reminder_hours(self) -> list[int]:
        raw = self.cleaned_data["reminder_hours"].strip()
        if not raw:
            return []
        try:
            hours = [float(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(gettext("Give hours as numbers separated by commas, e.g. “24, 1”.")) from None
        if not all(math.isfinite(h) for h in hours):
            raise forms.ValidationError(gettext("Give hours as numbers separated by commas, e.g. “24, 1”."))
        minutes = sorted({round(h * 60) for h in hours}, reverse=True)
        if not all(1 <= m <= 60 * 24 * 30 for m in minutes):
            raise forms.ValidationError(gettext("Each reminder must be between one minute and 30 days before the "
                                                "start."))
        return minutes

    def clean(self) -> dict:
        data = super().clean()
        zone = data.get("timezone")
        if not zone:
            return data
        for local_field, utc_field in [("starts_local", "starts_at"), ("ends_local", "ends_at"),
                                       ("registration_opens_local", "registration_opens_at"),
                                       ("registration_closes_local", "registration_closes_at")]:
            value = data.get(local_field)
            if value is None:
                data[utc_field] = None
                continue
            try:
                data[utc_field] = local_to_utc(value.replace(tzinfo=None), zone)
            except NonexistentLocalTime as error:
                self.add_error(local_field, str(error))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_local", gettext("The event must end after it starts."))
        if data.get("format") != Event.Format.ONLINE and not data.get("venue", "").strip() and "venue" in data:
            self.add_error("venue", gettext("Give the venue of an event held in person."))
        return data

    def service_fields(self) -> dict:
        """The cleaned data as create_event/update_event take it."""
        data = self.cleaned_data
        fields = {name: data[name] for name in (
            "kind", "title", "language", "summary", "description", "format", "venue", "city", "country",
            "webcast_url",
            "join_url", "visibility", "capacity", "requires_approval", "waitlist_enabled", "registration_scope",
            "starts_at", "ends_at", "registration_opens_at", "registration_closes_at")}
        if not fields["language"]:
            del fields["language"]  # left out: the organiser's language for a new event, unchanged for an edit
        fields["timezone_name"] = data["timezone"]
        fields["reminder_offsets"] = data["reminder_hours"]
        if "recording_url" in data:
            fields["recording_url"] = data["recording_url"]
        return fields


class CancelEventForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             label=_("Reason"), help_text=_("Registrants read it in the notice."))


class SpeakerForm(forms.Form):
    name = forms.CharField(max_length=150, label=_("Name"))
    role = forms.CharField(max_length=200, required=False, label=_("Role"),
                           help_text=_("E.g. Mayor, Programme officer."))
    organisation_name = forms.CharField(max_length=200, required=False, label=_("Organisation"))

    def clean_name(self) -> str:
        name = _single_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(gettext("Give the speaker's name."))
        return name


class ProgrammeItemForm(forms.Form):
    starts_local = WallClockField(label=_("Starts (venue time)"))
    ends_local = WallClockField(label=_("Ends (venue time)"), required=False,
                                help_text=_("Empty: until the next item."))
    room = forms.CharField(label=_("Room or track"), max_length=100, required=False,
                           help_text=_("Sessions in different rooms at the same time run in parallel."))
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  label=_("Description"), help_text=_("Markdown."))
    speakers = forms.ModelMultipleChoiceField(queryset=Speaker.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple, label=_("Speakers"))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["speakers"].queryset = event.speakers.all()

    def clean_title(self) -> str:
        title = _single_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Give the item a title."))
        return title

    def clean_starts_local(self) -> datetime:
        try:
            starts = local_to_utc(self.cleaned_data["starts_local"].replace(tzinfo=None), self.event.timezone)
        except NonexistentLocalTime as error:
            raise forms.ValidationError(str(error)) from None
        if not self.event.starts_at <= starts < self.event.ends_at:
            raise forms.ValidationError(gettext("A programme item starts while the event runs."))
        return starts

    def clean_ends_local(self) -> datetime | None:
        if not self.cleaned_data.get("ends_local"):
            return None
        try:
            return local_to_utc(self.cleaned_data["ends_local"].replace(tzinfo=None), self.event.timezone)
        except NonexistentLocalTime as error:
            raise forms.ValidationError(str(error)) from None


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(choices=Attachment.Kind.choices, label=pgettext_lazy("document", "Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word (.docx) or OpenDocument (.odt)."))

    def clean_title(self) -> str:
        title = _single_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Give the document a title."))
        return title


class MessageForm(forms.Form):
    subject = forms.CharField(max_length=200, label=_("Subject"))
    body = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 6}), label=_("Message"))


class ContactForm(forms.Form):
    message = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 5}), label=_("Message"),
                              help_text=_("A platform message to the organisers; you continue the conversation in "
                                          "your messages."))


def _area_choices() -> list[tuple[str, str]]:
    """The policy areas as the list filter's choices in the active language: kept per language until the taxonomy
    changes (core.taxonomy), so the event list and /api/events/ do not read them on each request."""
    return versions.kept(f"v:events:area-choices:{translation.get_language()}", ["core.taxonomy"],
                         lambda: [("", gettext("Any policy area")),
                                  *reference.labels(PolicyArea.objects.all()).items()])


class FilterForm(forms.Form):
    """The list's filters; an unknown value is reported on its field and ignored."""

    q = forms.CharField(max_length=200, required=False, label=_("Search"))
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *Event.Kind.choices], required=False,
                             label=pgettext_lazy("event", "Kind"))
    area = forms.ChoiceField(choices=(), required=False, label=_("Policy area"))
    country = forms.ChoiceField(choices=lambda: [("", _("Any country")), *countries], required=False,
                                label=_("Country"))
    organisation = forms.SlugField(max_length=200, required=False, label=_("Organisation"))
    format = forms.ChoiceField(choices=[("", _("Online or in person")), ("online", _("Online")),
                                        ("in_person", _("In person"))], required=False,
                               label=pgettext_lazy("event", "Format"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices()

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields if name not in self.errors}


class QuestionForm(forms.Form):
    """The organiser's question; its options are given one a line."""

    kind = forms.ChoiceField(label=_("Kind of answer"), choices=RegistrationQuestion.Kind.choices)
    label = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("For one or several choices: one option a line."))
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def clean_choices(self) -> list[str]:
        return [line for line in (" ".join(line.split()) for line in self.cleaned_data["choices"].splitlines())
                if line]


class AnswersForm(forms.Form):
    """One field per question still asked; its names are `question_<id>`, as the service's errors."""

    def __init__(self, *args, questions: list[RegistrationQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        Kind = RegistrationQuestion.Kind
        for question in questions:
            # The form partial shows help text unescaped (it holds links elsewhere): the organiser's is escaped.
            common = {"label": question.label, "help_text": escape(question.help_text), "required": False}
            if question.kind == Kind.SHORT_TEXT:
                field = forms.CharField(max_length=300, **common)
            elif question.kind == Kind.LONG_TEXT:
                field = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), **common)
            elif question.kind == Kind.CHOICE:
                field = forms.ChoiceField(choices=[(c, c) for c in question.choices], widget=forms.RadioSelect,
                                          **common)
            elif question.kind == Kind.CHOICES:
                field = forms.MultipleChoiceField(choices=[(c, c) for c in question.choices],
                                                  widget=forms.CheckboxSelectMultiple, **common)
            elif question.kind == Kind.YES_NO:
                field = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect,
                                          **common)
            else:
                field = forms.ChoiceField(choices=[("", "—"), *countries], **common)
            if question.required:
                field.widget.attrs["aria-required"] = "true"
                field.label = f"{question.label} *"
            self.fields[f"question_{question.pk}"] = field

    @staticmethod
    def initial_from(answers: dict[int, object]) -> dict:
        initial = {}
        for question_id, value in answers.items():
            initial[f"question_{question_id}"] = ("yes" if value else "no") if isinstance(value, bool) else value
        return initial

    def answers(self) -> dict[int, object]:
        """The answers by question id, for `register_for_event` and `update_answers` to check."""
        return {question.pk: self.cleaned_data.get(f"question_{question.pk}") for question in self.questions}


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Overall, how was the event?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(5, _("5 — excellent")), (4, _("4 — good")), (3, _("3 — fair")),
                                             (2, _("2 — poor")), (1, _("1 — very poor"))])
    useful = forms.CharField(label=_("What was useful?"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    improve = forms.CharField(label=_("What could be improved?"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    attend_again = forms.ChoiceField(label=_("Would you attend again?"), choices=Feedback.Again.choices,
                                     widget=forms.RadioSelect)
    named = forms.BooleanField(label=_("Show my name with my answers to the organisers"), required=False,
                               help_text=_("Otherwise your feedback is anonymous."))


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a registrant by name"), max_length=100, required=False)
