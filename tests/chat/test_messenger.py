"""Chat as a messenger, through the pages and services: replies, files, reactions, mute and mentions,
presence, search, the first-unread marker, and each role trying each new action."""

import html
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from chat import selectors, services
from chat.models import Attachment, Connection, Message, Reaction
from core.models import Notification
from core.ratelimit import Rate
from tests import factories
from tests.chat.helpers import PDF_BYTES, direct, group, png_bytes, say
from tests.errors import error_fields
from tests.hostile import CONTROL_CHARACTERS, WRONG_TYPES, XSS_PAYLOADS, assert_inert
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "MESSAGE_RATE", Rate(limit=10_000, period=60))


def online(user):
    Connection.objects.create(user=user, channel_name=f"test.{user.pk}.{Connection.objects.count()}",
                              expires_at=timezone.now() + timedelta(minutes=1))


# --- Replies -----------------------------------------------------------------------------------------------


def test_a_reply_shows_the_quoted_original_that_links_to_it(client, member, peer):
    conversation = direct(member, peer)
    [original] = say(peer, conversation, "Which city runs the mentoring scheme?")
    client.force_login(member)
    response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "Ghent does.",
                                                                          "reply_to": original.pk})
    assert response.status_code == 302
    reply = Message.objects.get(body="Ghent does.")
    assert reply.reply_to == original
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert f'data-jump="{original.pk}"' in page
    assert f"?around={original.pk}#m{original.pk}" in page
    assert "Which city runs the mentoring scheme?" in page.split(f'id="m{reply.pk}"')[1]


def test_a_reply_to_a_message_of_another_conversation_is_refused(member, peer, outsider):
    mine = direct(member, peer)
    [elsewhere] = say(outsider, direct(outsider, member), "elsewhere")
    with pytest.raises(ValidationError) as error:
        services.send_message(sender=member, conversation=mine, body="hi", reply_to=elsewhere.pk)
    assert "reply_to" in error.value.message_dict


def test_the_reply_link_without_javascript_prefills_the_composer(client, member, peer):
    conversation = direct(member, peer)
    [original] = say(peer, conversation, "Shall we meet in Lyon?")
    client.force_login(member)
    page = client.get(f"{conversation.get_absolute_url()}?reply={original.pk}").content.decode()
    assert f'name="reply_to" value="{original.pk}"' in page
    assert "Replying to" in page


# --- Files -------------------------------------------------------------------------------------------------


def send_files(client, conversation, *files, body="", accept_json=False):
    headers = {"Accept": "application/json"} if accept_json else {}
    return client.post(reverse("chat:send", args=[conversation.pk]), {"body": body, "files": list(files)},
                       headers=headers)


def test_an_image_gets_a_server_made_thumbnail_and_a_document_its_name_and_size(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)
    response = send_files(client, conversation, SimpleUploadedFile("map.png", png_bytes((1200, 800))),
                          SimpleUploadedFile("report.pdf", PDF_BYTES), body="The map and the report")
    assert response.status_code == 302
    image, document = Attachment.objects.order_by("id")
    assert image.kind == "png" and image.is_image and (image.width, image.height) == (1200, 800)
    assert document.kind == "pdf" and not document.is_image and document.size == len(PDF_BYTES)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert reverse("chat:thumbnail", args=[conversation.pk, image.pk]) in page
    assert "report.pdf" in page
    client.force_login(peer)
    thumb = client.get(reverse("chat:thumbnail", args=[conversation.pk, image.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as small:
        assert max(small.size) <= 480


def test_a_participant_downloads_a_file_with_a_download_disposition(client, member, peer):
    conversation = direct(member, peer)
    message = services.send_message(sender=member, conversation=conversation, body="",
                                    files=[SimpleUploadedFile("Plan 2027.pdf", PDF_BYTES)])
    attachment = message.attachments.get()
    client.force_login(peer)
    response = client.get(reverse("chat:attachment", args=[conversation.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Plan 2027.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("who", ["outsider", "moderator", "staff"])
def test_a_non_participant_cannot_fetch_a_file_or_its_thumbnail(client, member, peer, request, who):
    conversation = direct(member, peer)
    message = services.send_message(sender=member, conversation=conversation, body="photo",
                                    files=[SimpleUploadedFile("photo.png", png_bytes())])
    attachment = message.attachments.get()
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("chat:attachment", args=[conversation.pk, attachment.pk])).status_code == 403
    assert client.get(reverse("chat:thumbnail", args=[conversation.pk, attachment.pk])).status_code == 403
    # Nor through a conversation of their own.
    own = direct(request.getfixturevalue(who), factories.UserFactory())
    assert client.get(reverse("chat:attachment", args=[own.pk, attachment.pk])).status_code == 404


def test_a_visitor_is_sent_to_log_in_for_a_file(client, member, peer):
    conversation = direct(member, peer)
    message = services.send_message(sender=member, conversation=conversation, body="",
                                    files=[SimpleUploadedFile("a.pdf", PDF_BYTES)])
    response = client.get(reverse("chat:attachment", args=[conversation.pk, message.attachments.get().pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("name", "content", "says"), [
    ("photo.png", b"<html><script>alert(1)</script></html>", "not a"),
    ("photo.png", PDF_BYTES, "content is PDF"),
    ("tool.exe", b"MZ\x90\x00", "Upload a"),
    ("empty.pdf", b"", "empty"),
])
def test_a_file_whose_content_is_not_what_is_allowed_is_refused_with_a_reason(client, member, peer, name,
                                                                                content, says):
    conversation = direct(member, peer)
    client.force_login(member)
    response = send_files(client, conversation, SimpleUploadedFile(name, content), body="see attached")
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Message.objects.exists() and not Attachment.objects.exists()
    as_json = send_files(client, conversation, SimpleUploadedFile(name, content), accept_json=True)
    assert says in " ".join(error_fields(as_json)["files"])


def test_too_many_or_too_large_files_are_refused(client, member, peer, settings):
    conversation = direct(member, peer)
    client.force_login(member)
    settings.CHAT_MAX_FILES = 2
    response = send_files(client, conversation, *[SimpleUploadedFile(f"{n}.pdf", PDF_BYTES) for n in range(3)])
    assert response.status_code == 400 and "at most 2 files" in response.content.decode()
    settings.CHAT_FILE_MAX_BYTES = 100
    response = send_files(client, conversation, SimpleUploadedFile("big.png", png_bytes((400, 400), "red")))
    assert response.status_code == 400 and "larger than allowed" in response.content.decode()
    assert not Message.objects.exists()


def test_a_deleted_message_takes_its_files_with_it(client, member, peer):
    conversation = direct(member, peer)
    message = services.send_message(sender=member, conversation=conversation, body="oops",
                                    files=[SimpleUploadedFile("wrong.pdf", PDF_BYTES)])
    attachment = message.attachments.get()
    services.delete_message(user=member, message=message)
    client.force_login(peer)
    assert client.get(reverse("chat:attachment", args=[conversation.pk, attachment.pk])).status_code == 404
    assert "wrong.pdf" not in client.get(conversation.get_absolute_url()).content.decode()


# --- Reactions ---------------------------------------------------------------------------------------------


def test_reactions_show_counts_and_who_and_toggle_back(client, member, peer):
    conversation = direct(member, peer)
    [message] = say(peer, conversation, "We got the funding!")
    client.force_login(member)
    url = reverse("chat:react", args=[conversation.pk, message.pk])
    assert client.post(url, {"emoji": "party"}).status_code == 302
    services.toggle_reaction(user=peer, message=message, emoji="party")
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page and "🎉</span> 2" in html.unescape(page)  # the emoji as a reference
    # No character past the Basic Multilingual Plane in the history: one would make the page's string 4 bytes a
    # character (chat.views.SYMBOLS_HTML).
    assert max(map(ord, page.split("data-chat-log", 1)[1].split("</ol>", 1)[0])) < 0x10000
    assert "Pia Peer" in page.split('class="chat-reactions"')[1].split("</div>")[0]
    client.post(url, {"emoji": "party"})
    assert Reaction.objects.filter(message=message).count() == 1


@pytest.mark.parametrize("emoji", ["", "poop", "👍", *XSS_PAYLOADS[:3]])
def test_an_unknown_reaction_is_refused_by_name(member, peer, emoji):
    [message] = say(peer, direct(member, peer), "hello")
    with pytest.raises(ValidationError) as error:
        services.toggle_reaction(user=member, message=message, emoji=emoji)
    assert "emoji" in error.value.message_dict


@pytest.mark.parametrize("who", ["outsider", "moderator", "staff"])
def test_a_non_participant_cannot_react(client, member, peer, request, who):
    conversation = direct(member, peer)
    [message] = say(peer, conversation, "hello")
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("chat:react", args=[conversation.pk, message.pk]), {"emoji": "heart"}).status_code == 403
    assert not Reaction.objects.exists()


# --- Mute and mentions -------------------------------------------------------------------------------------


def test_a_muted_conversation_does_not_notify_but_a_mention_in_a_group_does(
        client, member, peer, django_capture_on_commit_callbacks):
    third = factories.UserFactory(full_name="Tariq Third")
    team = group(member, peer, third)
    client.force_login(peer)
    assert client.post(reverse("chat:mute", args=[team.pk]), {"muted": "1"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the notifications come from a job
        say(member, team, "An update for everyone")
    assert not Notification.objects.filter(recipient=peer).exists()
    assert Notification.objects.filter(recipient=third, kind="chat.message").exists()
    from accounts.mentions import handle_of

    with django_capture_on_commit_callbacks(execute=True):
        say(member, team, f"@{handle_of(peer)} can you check the budget?")
    mention = Notification.objects.get(recipient=peer)
    assert mention.kind == "chat.mention" and "Youth participation network" in mention.title


def test_mentioning_someone_outside_the_group_tells_them_nothing(
        member, peer, outsider, django_capture_on_commit_callbacks):
    from accounts.mentions import handle_of

    team = group(member, peer)
    with django_capture_on_commit_callbacks(execute=True):
        say(member, team, f"@{handle_of(outsider)} should see this")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_only_a_participant_mutes(client, member, peer, outsider):
    conversation = direct(member, peer)
    client.force_login(outsider)
    assert client.post(reverse("chat:mute", args=[conversation.pk]), {"muted": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_muted(user=outsider, conversation=conversation, muted=True)


# --- Presence ----------------------------------------------------------------------------------------------


def test_presence_is_shown_only_to_people_who_share_a_conversation(member, peer, outsider):
    direct(member, peer)
    online(peer)
    online(outsider)
    assert selectors.online_among(member, [peer.pk, outsider.pk]) == {peer.pk}
    Connection.objects.filter(user=peer).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert selectors.online_among(member, [peer.pk]) == set()


def test_the_page_shows_a_dot_for_the_other_member_when_online(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert f'data-presence-for="{peer.pk}" hidden' in page
    online(peer)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert f'data-presence-for="{peer.pk}" hidden' not in page
    assert f'data-presence-for="{peer.pk}"' in page


# --- Search ------------------------------------------------------------------------------------------------


def test_search_finds_only_my_conversations_and_links_into_the_history(client, member, peer, outsider):
    mine = direct(member, peer)
    say(peer, mine, *[f"filler {n}" for n in range(30)])
    [hit] = say(peer, mine, "The housing guarantee fund starts in March")
    say(peer, mine, "after the hit")
    say(outsider, direct(outsider, factories.UserFactory()), "Another housing guarantee elsewhere")
    client.force_login(member)
    response = client.get(reverse("chat:search"), {"q": "housing guarantee"})
    page = response.content.decode()
    assert "starts in March" in page and "elsewhere" not in page
    link = f"{mine.get_absolute_url()}?around={hit.pk}#m{hit.pk}"
    assert link in page
    history = client.get(link.split("#")[0]).content.decode()
    assert f'id="m{hit.pk}"' in history and "filler 29" in history and "after the hit" in history
    client.force_login(outsider)
    assert "starts in March" not in client.get(reverse("chat:search"), {"q": "housing"}).content.decode()


def test_a_visitor_is_sent_to_log_in_from_search(client):
    response = client.get(reverse("chat:search"), {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, "x" * 500, "&&& ||| !!!"])
def test_hostile_search_queries_are_answered_as_text(client, member, peer, query):
    say(peer, direct(member, peer), "hello")
    client.force_login(member)
    response = client.get(reverse("chat:search"), {"q": query})
    assert response.status_code in (200, 400)
    assert_inert(response.content.decode())


def test_search_results_keep_a_constant_query_count(client, member):
    client.force_login(member)

    def add_rows(n):
        for _ in range(n):
            other = factories.UserFactory()
            say(other, direct(member, other), "budget question")
            say(other, group(other, member), "budget answer")

    assert_queries_do_not_grow(client, f"{reverse('chat:search')}?q=budget", add_rows)


# --- Opening at the first unread message -------------------------------------------------------------------


def test_the_page_opens_at_the_first_unread_message_with_a_marker(client, member, peer):
    conversation = direct(member, peer)
    say(peer, conversation, "read already")
    services.mark_read(user=member, conversation=conversation)
    [first_new, _] = say(peer, conversation, "first new", "second new")
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert page.index('id="first-unread"') < page.index(f'id="m{first_new.pk}"')
    assert page.index("read already") < page.index('id="first-unread"')
    assert "first-unread" not in client.get(conversation.get_absolute_url()).content.decode()


def test_with_more_unread_than_a_page_it_opens_at_the_first_unread(client, member, peer):
    conversation = direct(member, peer)
    say(peer, conversation, *[f"old {n}" for n in range(5)])
    services.mark_read(user=member, conversation=conversation)
    unread = say(peer, conversation, *[f"new {n}" for n in range(70)])
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert 'id="first-unread"' in page and f'id="m{unread[0].pk}"' in page
    assert "Newest messages" in page and 'data-live="false"' in page
    assert member.chat_participations.get().unread_count == 70  # not all seen yet


# --- Grouping and day separators ---------------------------------------------------------------------------


def test_messages_of_one_sender_within_a_minute_are_grouped_and_days_separated(client, member, peer):
    conversation = direct(member, peer)
    first, second = say(peer, conversation, "one", "two")
    # Messages are grouped by clock minute: the ones meant to be grouped are put well inside one, so that a
    # slow run crossing a minute (or midnight) between two sends does not split them.
    minute = (timezone.now() - timedelta(days=1)).replace(hour=12, minute=0, second=10, microsecond=0)
    Message.objects.filter(pk=first.pk).update(created_at=minute - timedelta(days=2))
    Message.objects.filter(pk=second.pk).update(created_at=minute)
    client.force_login(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert page.count('class="chat-day"') == 2
    third = say(peer, conversation, "three")[0]
    Message.objects.filter(pk=third.pk).update(created_at=minute + timedelta(seconds=20))
    services.mark_read(user=member, conversation=conversation)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert f'continues" id="m{third.pk}"' in page
    assert f'continues" id="m{second.pk}"' not in page


# --- Query counts and hostile input ------------------------------------------------------------------------


def test_the_conversation_page_with_files_and_reactions_keeps_a_constant_query_count(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)

    def add_rows(n):
        for i in range(n):
            [original] = say(peer, conversation, f"question {i}")
            message = services.send_message(sender=member, conversation=conversation, body=f"answer {i}",
                                            reply_to=original.pk,
                                            files=[SimpleUploadedFile("p.png", png_bytes()),
                                                   SimpleUploadedFile("d.pdf", PDF_BYTES)])
            services.toggle_reaction(user=peer, message=message, emoji="heart")
            services.toggle_reaction(user=member, message=original, emoji="thanks")

    assert_queries_do_not_grow(client, conversation.get_absolute_url(), add_rows, more=5)


@pytest.mark.parametrize("name", XSS_PAYLOADS + CONTROL_CHARACTERS + ["../../etc/passwd.pdf", "x" * 400 + ".pdf"])
def test_hostile_file_names_are_kept_as_inert_text(client, member, peer, name):
    conversation = direct(member, peer)
    services.send_message(sender=member, conversation=conversation, body="",
                          files=[SimpleUploadedFile(name if name.endswith(".pdf") else name + ".pdf", PDF_BYTES)])
    attachment = Attachment.objects.get()
    assert "/" not in attachment.name and len(attachment.name) <= 200
    assert attachment.file.name.startswith(f"chat/{conversation.pk}/")
    client.force_login(peer)
    assert_inert(client.get(conversation.get_absolute_url()).content.decode())


@pytest.mark.parametrize("value", [*[w for w in WRONG_TYPES if w is not None], "abc", "-1", "99999999"])
def test_a_bad_reply_to_is_refused_by_name(member, peer, value):
    conversation = direct(member, peer)
    with pytest.raises(ValidationError) as error:
        services.send_message(sender=member, conversation=conversation, body="hi", reply_to=value)
    assert "reply_to" in error.value.message_dict
    assert not Message.objects.exists()


def test_a_bad_reply_to_in_the_form_is_a_form_error(client, member, peer):
    conversation = direct(member, peer)
    client.force_login(member)
    response = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "hi", "reply_to": "abc"})
    assert response.status_code == 400
    assert not Message.objects.exists()


# --- Every interface language ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_messenger_pages_answer_in_every_interface_language(client, member, peer, language):
    conversation = direct(member, peer)
    [message] = say(peer, conversation, "Bonjour")
    services.toggle_reaction(user=member, message=message, emoji="heart")
    client.force_login(member)
    for url in (reverse("chat:inbox"), conversation.get_absolute_url(), f"{reverse('chat:search')}?q=Bonjour"):
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


# --- The API -----------------------------------------------------------------------------------------------


def test_the_api_sends_a_reply_and_shows_files_and_reactions(client, member, peer):
    conversation = direct(member, peer)
    original = services.send_message(sender=peer, conversation=conversation, body="The plan",
                                     files=[SimpleUploadedFile("plan.pdf", PDF_BYTES)])
    services.toggle_reaction(user=member, message=original, emoji="thanks")
    client.force_login(member)
    url = reverse("api-chat-messages", args=[conversation.pk])
    response = client.post(url, {"body": "Thanks!", "reply_to": original.pk}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["reply_to"]["id"] == original.pk
    listed = {m["id"]: m for m in client.get(url).json()["results"]}
    assert listed[original.pk]["files"][0]["name"] == "plan.pdf"
    assert listed[original.pk]["reactions"][0]["emoji"] == "thanks"
    bad = client.post(url, {"body": "x", "reply_to": 999999}, content_type="application/json")
    assert bad.status_code == 400 and "reply_to" in bad.json()["error"]["fields"]


@pytest.mark.postgres
def test_message_search_is_served_by_the_full_text_index(member, peer):
    from django.db import connection

    say(peer, direct(member, peer), "The housing guarantee fund")
    with connection.cursor() as cursor:
        # With a handful of rows, scanning the whole table or a whole other index and filtering is cheaper;
        # forbid those (and the nested loops that feed such scans) to see which index serves the match itself.
        for plan_kind in ("seqscan", "indexscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
    plan = selectors.search_messages(member, "housing").explain()
    assert "chat_message_search" in plan, plan
