"""The practice workflow through the services: draft → submitted → published or returned, every move logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Notification
from directory import services
from directory.models import Practice, PracticeTransition
from tests import factories
from tests.directory.factories import PRACTICE_FIELDS, author_with_organisation, make_practice

pytestmark = pytest.mark.django_db


def test_a_member_writes_a_draft_for_their_organisation_and_the_creation_is_logged(member):
    organisation = member.memberships.get().organisation
    practice = services.create_practice(author=member, organisation=organisation, title="Plan Einstein",
                                        **PRACTICE_FIELDS)
    assert practice.status == Practice.Status.DRAFT
    assert practice.slug == "plan-einstein"
    assert "<strong>co-housing</strong>" in practice.how_it_works_html
    log = list(practice.transitions.values_list("actor", "from_status", "to_status"))
    assert log == [(member.pk, "", "draft")]


def test_a_member_cannot_write_for_an_organisation_they_do_not_belong_to(member, organisation):
    with pytest.raises(PermissionDenied):
        services.create_practice(author=member, organisation=organisation, title="Not mine", **PRACTICE_FIELDS)
    assert not Practice.objects.exists()


def test_a_pending_member_cannot_write_for_the_organisation(organisation):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=organisation, status="pending")
    with pytest.raises(PermissionDenied):
        services.create_practice(author=user, organisation=organisation, title="Too early", **PRACTICE_FIELDS)


def test_submitting_tells_the_moderators_in_the_app(moderator):
    practice = make_practice(title="Welcome desks in libraries")
    services.submit_practice(actor=practice.author, practice=practice)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED and practice.submitted_at is not None
    notification = Notification.objects.get(recipient=moderator)
    assert notification.title == "A practice awaits review: Welcome desks in libraries"


def test_a_moderator_publishes_a_submitted_practice_and_the_author_is_told(moderator, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    practice = make_practice(status="submitted", title="Job café")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_practice(actor=moderator, practice=practice, note="Clear and complete, thank you.")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED and practice.published_at is not None
    notification = Notification.objects.get(recipient=practice.author)
    assert notification.title == "Your practice “Job café” is published"
    assert notification.body == "Clear and complete, thank you."
    assert [m.to for m in mailoutbox] == [[practice.author.email]]


def test_a_moderator_returns_a_practice_with_a_reason_that_reaches_the_author(moderator):
    practice = make_practice(status="submitted", title="Job café")
    services.return_practice(actor=moderator, practice=practice, reason="Please add how you measured results.")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.RETURNED
    notification = Notification.objects.get(recipient=practice.author)
    assert notification.body == "Please add how you measured results."
    assert practice.transitions.last().reason == "Please add how you measured results."


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_without_a_reason_is_refused_and_changes_nothing(moderator, reason):
    practice = make_practice(status="submitted")
    with pytest.raises(ValidationError) as error:
        services.return_practice(actor=moderator, practice=practice, reason=reason)
    assert "reason" in error.value.message_dict
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED


def test_a_draft_cannot_be_published_without_being_submitted(moderator):
    practice = make_practice()
    with pytest.raises(ValidationError):
        services.publish_practice(actor=moderator, practice=practice)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT


def test_a_published_practice_cannot_be_submitted_again():
    practice = make_practice(status="published")
    with pytest.raises(ValidationError):
        services.submit_practice(actor=practice.author, practice=practice)


@pytest.mark.parametrize("who", ["author", "org_admin", "outsider", "staff_without_moderation"])
def test_only_moderators_publish_or_return(who):
    practice = make_practice(status="submitted")
    actor = {
        "author": lambda: practice.author,
        "org_admin": lambda: author_with_organisation(practice.organisation, role="admin"),
        "outsider": lambda: author_with_organisation(),
        "staff_without_moderation": lambda: factories.UserFactory(is_staff=True),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.publish_practice(actor=actor, practice=practice)
    with pytest.raises(PermissionDenied):
        services.return_practice(actor=actor, practice=practice, reason="No.")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.SUBMITTED


def test_the_author_revises_a_returned_practice_and_submits_it_again(moderator):
    practice = make_practice(status="returned", moderator=moderator)
    services.update_practice(actor=practice.author, practice=practice, results="70% found work within a year.")
    services.submit_practice(actor=practice.author, practice=practice)
    services.publish_practice(actor=moderator, practice=practice)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    moves = list(practice.transitions.values_list("from_status", "to_status"))
    assert moves == [("", "draft"), ("draft", "submitted"), ("submitted", "returned"),
                     ("returned", "submitted"), ("submitted", "published")]
    assert not practice.revisions.exists(), "edits before publication are not revisions"


def test_every_state_change_records_who_and_when(moderator):
    practice = make_practice(status="published", moderator=moderator)
    publish = PracticeTransition.objects.get(practice=practice, to_status="published")
    assert publish.actor == moderator and publish.created_at is not None
    submit = PracticeTransition.objects.get(practice=practice, to_status="submitted")
    assert submit.actor == practice.author


def test_editing_a_published_practice_keeps_the_replaced_text_as_a_revision():
    practice = make_practice(status="published", title="Buddy programme", topics=("housing",))
    admin = author_with_organisation(practice.organisation, role="admin")
    services.update_practice(actor=practice.author, practice=practice, title="Buddy programme for newcomers")
    services.update_practice(actor=admin, practice=practice, summary="Now in five districts.")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    first, second = practice.revisions.order_by("number")
    assert (first.number, first.content["title"], first.editor) == (1, "Buddy programme", practice.author)
    assert (second.content["title"], second.editor) == ("Buddy programme for newcomers", admin)
    assert first.content["topics"] == ["Housing"]


@pytest.mark.parametrize("who", ["another_member", "outsider", "moderator", "former_author"])
def test_only_the_author_and_the_organisation_admins_edit(who, moderator):
    practice = make_practice(status="published")
    if who == "former_author":
        actor = practice.author
        actor.memberships.all().delete()
    else:
        actor = {"another_member": lambda: author_with_organisation(practice.organisation),
                 "outsider": lambda: author_with_organisation(), "moderator": lambda: moderator}[who]()
    with pytest.raises(PermissionDenied):
        services.update_practice(actor=actor, practice=practice, title="Hijacked")
    practice.refresh_from_db()
    assert practice.title != "Hijacked"


def test_a_practice_cannot_end_before_it_starts(member):
    organisation = member.memberships.get().organisation
    with pytest.raises(ValidationError) as error:
        services.create_practice(author=member, organisation=organisation, title="Backwards",
                                 **{**PRACTICE_FIELDS, "start_year": 2020, "end_year": 2019})
    assert error.value.message_dict
    assert not Practice.objects.exists()


def test_a_sub_topic_adds_its_policy_area():
    practice = make_practice(areas=(), topics=("anti-discrimination",))
    assert list(practice.policy_areas.values_list("code", flat=True)) == ["legal-political"]


def test_publishing_counts_as_the_organisations_latest_activity(moderator):
    practice = make_practice(status="submitted")
    before = practice.organisation.last_activity_at
    services.publish_practice(actor=moderator, practice=practice)
    practice.organisation.refresh_from_db()
    assert practice.organisation.last_activity_at > before


def test_staff_publish_submitted_practices_from_the_admin_and_each_refusal_is_named(client):
    moderating_staff = factories.ModeratorFactory(is_staff=True, is_superuser=True)
    submitted = make_practice(status="submitted", title="Buddy programme for newcomers")
    draft = make_practice(status="draft", title="Language cafés in libraries")
    client.force_login(moderating_staff)
    response = client.post("/admin/directory/practice/", {"action": "publish",
                                                          "_selected_action": [submitted.pk, draft.pk]}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Language cafés in libraries: ") for m in shown), shown
    assert "1 practice published." in shown
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == ("published", "draft")
