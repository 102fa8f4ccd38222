"""Forms for posting and editing messages, and for creating and growing groups."""

from django import forms

from accounts.models import User
from chat import selectors
from chat.models import MAX_MESSAGE_LENGTH, MAX_TITLE_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(label="Message", max_length=MAX_MESSAGE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
                           help_text="Plain text; web addresses become links.")


class EditMessageForm(forms.Form):
    body = forms.CharField(label="Message", max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="What is wrong with this message? Only the moderators read this.")


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}{f' · {obj.job_title}' if obj.job_title else ''}"


class GroupForm(forms.Form):
    title = forms.CharField(label="Group name", max_length=MAX_TITLE_LENGTH)
    members = MembersField(queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
                           help_text="People you talk with directly and the members of your organisations.")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.contact_candidates(user)


class AddMembersForm(forms.Form):
    members = MembersField(queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, label="Invite")

    def __init__(self, *args, user: User, exclude: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.contact_candidates(user).exclude(pk__in=exclude)
