"""Sending, editing and deleting messages through the services: the rules hold wherever a write comes from."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chat import selectors, services
from chat.models import Conversation, Message, Participant
from core.models import Notification
from core.ratelimit import RateLimited
from tests.chat.helpers import direct, group, say
from tests.hostile import CONTROL_CHARACTERS, LEGITIMATE, OVERLONG, WRONG_TYPES, XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


def test_opening_a_direct_conversation_twice_reuses_it_from_either_side(member, peer):
    first = direct(member, peer)
    assert direct(peer, member) == first
    assert Conversation.objects.count() == 1
    assert set(first.participants.values_list("user_id", flat=True)) == {member.pk, peer.pk}


def test_a_member_cannot_open_a_conversation_with_themselves(member):
    with pytest.raises(ValidationError) as error:
        direct(member, member)
    assert "other" in error.value.message_dict


def test_a_sent_message_is_saved_counted_unread_for_others_and_ordered(member, peer):
    conversation = direct(member, peer)
    first, second = say(member, conversation, "Hello from Vienna", "Are you coming to Milan?")
    conversation.refresh_from_db()
    assert conversation.last_message == second
    assert [m.body for m in selectors.history(conversation)] == ["Hello from Vienna", "Are you coming to Milan?"]
    assert first.pk < second.pk
    assert Participant.objects.get(conversation=conversation, user=peer).unread_count == 2
    assert Participant.objects.get(conversation=conversation, user=member).unread_count == 0
    assert selectors.unread_total(peer) == 2


def test_marking_read_up_to_a_message_leaves_the_later_ones_unread(member, peer):
    conversation = direct(member, peer)
    first, _second, _third = say(member, conversation, "one", "two", "three")
    participant = services.mark_read(user=peer, conversation=conversation, up_to=first.pk)
    assert participant.unread_count == 2
    participant = services.mark_read(user=peer, conversation=conversation)
    assert participant.unread_count == 0
    assert services.mark_read(user=peer, conversation=conversation, up_to=first.pk).last_read_message_id > first.pk


def test_a_non_participant_can_neither_send_nor_mark_read(member, peer, outsider):
    conversation = direct(member, peer)
    with pytest.raises(PermissionDenied):
        say(outsider, conversation, "let me in")
    with pytest.raises(PermissionDenied):
        services.mark_read(user=outsider, conversation=conversation)
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "\n\t", *WRONG_TYPES])
def test_an_empty_or_non_text_message_is_refused_naming_the_body(member, peer, body):
    conversation = direct(member, peer)
    with pytest.raises(ValidationError) as error:
        services.send_message(sender=member, conversation=conversation, body=body)
    assert "body" in error.value.message_dict
    assert not Message.objects.exists()


def test_a_message_over_4000_characters_is_refused_and_one_of_4000_is_kept(member, peer):
    conversation = direct(member, peer)
    with pytest.raises(ValidationError) as error:
        say(member, conversation, OVERLONG)
    assert "4,000" in error.value.message_dict["body"][0]
    assert say(member, conversation, "x" * 4000)[0].body == "x" * 4000


@pytest.mark.parametrize("payload", XSS_PAYLOADS + LEGITIMATE)
def test_hostile_text_is_stored_as_given_and_rendered_inert(member, peer, payload):
    message = say(member, direct(member, peer), payload)[0]
    assert message.body == payload
    assert_inert(message.body_html)


@pytest.mark.parametrize("payload", CONTROL_CHARACTERS)
def test_control_characters_are_dropped_and_the_rest_is_kept(member, peer, payload):
    message = say(member, direct(member, peer), payload)[0]
    assert message.body == re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", payload)


def test_members_sending_too_fast_are_told_the_limit_and_nothing_extra_is_saved(member, peer):
    conversation = direct(member, peer)
    say(member, conversation, *[f"message {n}" for n in range(services.MESSAGE_RATE.limit)])
    with pytest.raises(RateLimited) as error:
        say(member, conversation, "one too many")
    assert "30 per minute" in str(error.value)
    assert Message.objects.count() == services.MESSAGE_RATE.limit


def test_after_a_block_neither_member_can_write_in_their_direct_conversation(member, peer):
    conversation = direct(member, peer)
    services.block_member(user=peer, other=member)
    with pytest.raises(PermissionDenied, match="does not accept messages"):
        say(member, conversation, "hello?")
    with pytest.raises(PermissionDenied, match="unblock"):
        say(peer, conversation, "hello?")
    services.unblock_member(user=peer, other=member)
    assert say(member, conversation, "hello again")


def test_a_blocked_member_cannot_start_a_conversation_or_be_invited(member, peer, outsider):
    services.block_member(user=peer, other=member)
    with pytest.raises(PermissionDenied):
        direct(member, peer)
    with pytest.raises(ValidationError) as error:
        group(member, peer, outsider)
    assert "members" in error.value.message_dict
    assert not Conversation.objects.exists()


def test_a_silenced_member_cannot_send(member, peer):
    conversation = direct(member, peer)
    member.silenced_until = timezone.now() + timedelta(days=1)
    member.save()
    with pytest.raises(PermissionDenied, match="silenced"):
        say(member, conversation, "hello")


def test_own_messages_can_be_edited_and_deleted_within_the_window_only(member, peer):
    conversation = direct(member, peer)
    message, old = say(member, conversation, "Typo here", "Sent long ago")
    edited = services.edit_message(user=member, message=message, body="No typo here, see https://example.org")
    assert edited.edited_at is not None and 'href="https://example.org"' in edited.body_html
    deleted = services.delete_message(user=member, message=edited)
    assert deleted.is_deleted and deleted.body == "" and deleted.body_html == ""

    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    old.refresh_from_db()
    with pytest.raises(ValidationError, match="15 minutes"):
        services.edit_message(user=member, message=old, body="changed")
    with pytest.raises(ValidationError):
        services.delete_message(user=member, message=old)


def test_nobody_edits_or_deletes_another_members_message(member, peer, moderator):
    message = say(member, direct(member, peer), "mine")[0]
    for other in (peer, moderator):
        with pytest.raises(PermissionDenied):
            services.edit_message(user=other, message=message, body="theirs")
        with pytest.raises(PermissionDenied):
            services.delete_message(user=other, message=message)


def test_a_moderator_removes_any_message_and_a_member_cannot(member, peer, moderator):
    message = say(member, direct(member, peer), "something abusive")[0]
    with pytest.raises(PermissionDenied):
        services.remove_message_as_moderator(moderator=peer, message=message)
    assert services.remove_message_as_moderator(moderator=moderator, message=message).is_deleted


def test_a_member_with_no_open_socket_gets_one_notification_per_unread_conversation(
        member, peer, django_capture_on_commit_callbacks):
    conversation = direct(member, peer)
    with django_capture_on_commit_callbacks(execute=True):
        say(member, conversation, "first", "second")
    notes = Notification.objects.filter(recipient=peer, kind="chat.message")
    assert notes.count() == 1
    assert notes.get().url == conversation.get_absolute_url()
    assert not Notification.objects.filter(recipient=member).exists()


def test_a_member_with_an_open_socket_is_not_notified(member, peer, django_capture_on_commit_callbacks):
    conversation = direct(member, peer)
    services.open_connection(user=peer, channel_name="specific.peer-socket")
    with django_capture_on_commit_callbacks(execute=True):
        say(member, conversation, "you are online")
    assert not Notification.objects.filter(recipient=peer).exists()
    services.close_connection(channel_name="specific.peer-socket")
    with django_capture_on_commit_callbacks(execute=True):
        say(member, conversation, "now you are not")
    assert Notification.objects.filter(recipient=peer).count() == 1


def test_an_expired_socket_no_longer_counts_as_online(member, peer, django_capture_on_commit_callbacks):
    conversation = direct(member, peer)
    connection = services.open_connection(user=peer, channel_name="specific.stale")
    connection.expires_at = timezone.now() - timedelta(seconds=1)
    connection.save()
    with django_capture_on_commit_callbacks(execute=True):
        say(member, conversation, "hello")
    assert Notification.objects.filter(recipient=peer).count() == 1


def test_a_group_has_its_creator_as_admin_and_admins_manage_members(member, peer, outsider):
    conversation = group(member, peer)
    assert Participant.objects.get(conversation=conversation, user=member).is_admin
    with pytest.raises(PermissionDenied):
        services.add_group_members(actor=peer, conversation=conversation, members=[outsider])
    services.add_group_members(actor=member, conversation=conversation, members=[outsider])
    services.remove_group_member(actor=member, conversation=conversation, member=peer)
    assert set(conversation.participants.values_list("user_id", flat=True)) == {member.pk, outsider.pk}
    with pytest.raises(PermissionDenied):
        say(peer, conversation, "I was removed")


def test_when_the_last_admin_leaves_the_longest_standing_member_takes_over(member, peer, outsider):
    conversation = group(member, peer, outsider)
    services.leave_conversation(user=member, conversation=conversation)
    admins = Participant.objects.filter(conversation=conversation, role="admin")
    assert admins.count() == 1 and admins.get().user in (peer, outsider)


def test_a_direct_conversation_cannot_be_left(member, peer):
    with pytest.raises(ValidationError):
        services.leave_conversation(user=member, conversation=direct(member, peer))


@pytest.mark.parametrize("title", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, *LEGITIMATE])
def test_a_group_title_is_stored_as_text(member, peer, title):
    conversation = group(member, peer, title=title)
    assert conversation.title and "\x00" not in conversation.title


@pytest.mark.parametrize("title", ["", "   ", OVERLONG, *WRONG_TYPES])
def test_a_group_needs_a_sensible_title(member, peer, title):
    with pytest.raises(ValidationError) as error:
        group(member, peer, title=title)
    assert "title" in error.value.message_dict


def test_a_group_needs_someone_to_talk_to(member):
    with pytest.raises(ValidationError) as error:
        group(member)
    assert "members" in error.value.message_dict


def test_a_message_is_saved_even_when_the_channel_layer_is_unreachable(member, peer, settings,
                                                                        django_capture_on_commit_callbacks):
    conversation = direct(member, peer)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.send_message(sender=member, conversation=conversation, body="still saved")
    assert callbacks, "the broadcast runs on commit"
    assert Message.objects.get(pk=message.pk).body == "still saved"


def test_a_second_member_cannot_sneak_into_a_direct_conversation(member, peer, outsider):
    conversation = direct(member, peer)
    with pytest.raises(PermissionDenied):
        services.add_group_members(actor=member, conversation=conversation, members=[outsider])
    assert conversation.participants.count() == 2


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_an_edit_is_held_to_the_same_rules_as_a_new_message(member, peer, payload):
    message = say(member, direct(member, peer), "original")[0]
    edited = services.edit_message(user=member, message=message, body=payload)
    assert edited.body == payload
    assert_inert(edited.body_html)
    with pytest.raises(ValidationError) as error:
        services.edit_message(user=member, message=edited, body=OVERLONG)
    assert "body" in error.value.message_dict
