"""Forms for posting, reporting and moderating; the services check the rules and clean the text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.languages import content_language_choices, default_content_language
from forums.models import Category, Tag
from forums.services import BODY_MAX, TITLE_MAX

BODY_HELP = _("Markdown. Quote with “>”, mention a member with their handle (e.g. @amina-haddad-12, shown on "
              "their profile); links to organisations, events and practices show as cards.")


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    language = forms.ChoiceField(label=_("Written in"), choices=content_language_choices, required=False,
                                 help_text=_("The language of your topic, so readers' browsers and screen readers "
                                             "read it right."))
    body = forms.CharField(label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=BODY_HELP)
    tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.none(), required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("Up to five; moderators keep the list of tags."))
    attachment = forms.FileField(label=_("Attachment"), required=False)

    # A reply takes no tags: its form does not ask the database whether any exist.
    offers_tags = True

    def __init__(self, *args, allow_attachment: bool = False, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = default_content_language(author)
        if not allow_attachment:
            del self.fields["attachment"]
        tags = Tag.objects.order_by("name")
        if self.offers_tags and tags.exists():
            self.fields["tags"].queryset = tags
        else:
            del self.fields["tags"]


class ReplyForm(TopicForm):
    offers_tags = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["title"]
        del self.fields["language"]
        self.fields["body"].label = _("Your reply")


class EditPostForm(forms.Form):
    body = forms.CharField(label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=BODY_HELP)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             help_text=_("Required when a moderator edits another member's post."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MoveTopicForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class MergeTopicForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into topic number"), min_value=1,
                                help_text=_("The number in the other topic's address: /forums/topics/<number>/."))
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class SplitTopicForm(forms.Form):
    posts = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label=_("Posts to move"))
    title = forms.CharField(label=_("Title of the new topic"), max_length=TITLE_MAX, required=False)
    into = forms.IntegerField(label=_("…or move into topic number"), min_value=1, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = [
            # Translators: a post to move, e.g. "#42 by Amina Haddad: We tried this in Vienna…" (the start of its text).
            (str(p.pk), _("#%(number)s by %(author)s: %(start)s") % {
                "number": p.pk, "author": p.author.full_name if p.author else _("a former member"),
                "start": p.body[:80]})
            for p in posts]

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("into"):
            raise forms.ValidationError(_("Give the new topic a title, or the number of a topic to move into."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the forums"), max_length=200, required=False)


class TagForm(forms.Form):
    name = forms.CharField(label=_("New tag"), max_length=40)


class TopicTagsForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.order_by("name"), required=False,
                                          widget=forms.CheckboxSelectMultiple)


class PreviewForm(forms.Form):
    body = forms.CharField(label=_("Text"), max_length=BODY_MAX, required=False, strip=False)
