"""Forms for posting and editing messages, and for creating and growing groups."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chat import selectors
from chat.files import readable_size
from chat.models import MAX_MESSAGE_LENGTH, MAX_TITLE_LENGTH
from core.uploads import MultipleFileField


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MAX_MESSAGE_LENGTH, required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
                           help_text=_("Enter sends, Shift+Enter starts a new line. Web addresses become links; "
                                       "mention a member of a group with their handle, e.g. @amina-haddad-12."))
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    files = MultipleFileField(label=_("Attach files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _("Images, PDF, DOCX or ODT, each up to %(size)s; at most %(count)d "
                                           "files.") % {"size": readable_size(settings.CHAT_FILE_MAX_BYTES),
                                                        "count": settings.CHAT_MAX_FILES}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search my conversations"), max_length=200, required=False)


class EditMessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MAX_MESSAGE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}))


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} · {obj.job_title}" if obj.job_title else obj.full_name


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Group name"), max_length=MAX_TITLE_LENGTH)
    members = MembersField(label=_("Members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
                           help_text=_("People you talk with directly and the members of your organisations."))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.contact_candidates(user)


class AddMembersForm(forms.Form):
    members = MembersField(queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
                           label=_("Invite"))

    def __init__(self, *args, user: User, exclude: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.contact_candidates(user).exclude(pk__in=exclude)
