"""The frame of every page (base.html) with its blocks kept per language (core.fragments.per_language) and its
personal parts made for each request: each language gets its own links and footer, each member their own name,
counts, language menu and token, and what changes them shows on the next request."""

import re

import pytest
from django.db import connection
from django.forms import MultiWidget
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import set_language, update_profile
from chat.services import open_direct_conversation, send_message
from core.models import Notification
from core.services import mark_all_notifications_read, mark_notification_read, notify, notify_ids, notify_many
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]

PAGES = ["/", reverse("events:list"), reverse("forums:categories")]


def page(client: Client, path: str = "/", **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def menu(html: str) -> str:
    return html[html.index('class="language-menu"'):html.index("</details>")]


def member_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_language_gets_its_own_links_footer_and_language_menu_whichever_came_first():
    visitor = Client()
    french = ("fr", ">Accueil</a>", "Conditions d")
    for language, home, footer in [french, ("en", ">Home</a>", "Terms of use"),
                                   ("ar", 'dir="rtl"', "خلاصة تقويم الفعاليات"), french]:
        html = page(visitor, reverse("forums:categories"), **{"Accept-Language": language})
        assert home in html and footer in html
        assert f'value="{language}" lang="{language}" aria-current="true"' in menu(html)
    assert ">Home</a>" not in page(visitor, reverse("forums:categories"), **{"Accept-Language": "es"})


def test_the_language_menu_returns_to_the_page_it_is_on_and_carries_only_a_members_token(member):
    visitor, own = Client(), member_client(member)
    for path in PAGES:
        assert f'name="next" value="{path}"' in menu(page(visitor, path))
        assert "csrfmiddlewaretoken" not in menu(page(visitor, path))
        assert f'name="next" value="{path}"' in menu(page(own, path))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu(page(own, PAGES[1]))).group(1)
    response = own.post(reverse("accounts:set-language"), {"language": "es", "next": PAGES[1],
                                                           "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ">Inicio</a>" in page(own, PAGES[1])


def test_one_member_never_sees_anothers_header(member, outsider):
    notify(recipient=member, kind="moderation.warning", params={"reason": "Check this"}, url="/")
    mine, theirs = member_client(member), member_client(outsider)
    for path in PAGES:
        first, second = page(mine, path), page(theirs, path)
        assert "Mia" in first and "Notifications, 1 unread" in first and "Otto" not in first
        assert "Otto" in second and "Notifications, 0 unread" in second and "Mia" not in second


def test_a_new_notification_shows_on_the_next_request_in_the_members_language(member):
    client = member_client(member)
    assert "Notifications, 0 unread" in page(client)
    notify(recipient=member, kind="moderation.warning", params={"reason": "Check this"}, url="/")
    assert "Notifications, 1 unread" in page(client)
    set_language(user=member, language="fr")
    html = page(client)
    assert ">Accueil</a>" in html and 'data-badge="notifications">1</span>' in html
    notify(recipient=member, kind="moderation.warning", params={"reason": "And this"}, url="/")
    assert 'data-badge="notifications">2</span>' in page(client)


def test_a_new_message_shows_in_the_headers_unread_count_on_the_next_request(member, outsider):
    client = member_client(member)
    assert re.search(r"data-chat-unread hidden>0<", page(client))
    conversation = open_direct_conversation(user=outsider, other=member)
    send_message(sender=outsider, conversation=conversation, body="Hello Mia")
    assert "data-chat-unread>1<" in page(client)


def test_a_new_name_shows_in_the_header_on_the_next_request(member):
    client = member_client(member)
    assert "Mia" in page(client)
    update_profile(user=member, full_name="Maria Member")
    assert "Maria" in page(client, reverse("events:list"))


def test_a_moderator_sees_the_queue_link_and_a_member_does_not(member, moderator):
    factories.UserFactory()
    assert 'data-testid="nav-moderation"' in page(member_client(moderator))
    assert 'data-testid="nav-moderation"' not in page(member_client(member))


def test_notifications_to_many_members_and_marking_them_read_show_in_each_header_on_the_next_request(member,
                                                                                                    outsider):
    mine, theirs = member_client(member), member_client(outsider)
    assert "Notifications, 0 unread" in page(mine) and "Notifications, 0 unread" in page(theirs)
    notify_many(recipients=[member, outsider], kind="moderation.warning", params={"reason": "To both"}, url="/")
    assert "Notifications, 1 unread" in page(mine) and "Notifications, 1 unread" in page(theirs)
    notify_ids(recipient_ids=[member.pk], source="test:1", kind="moderation.warning", params={"reason": "Again"})
    assert "Notifications, 2 unread" in page(mine) and "Notifications, 1 unread" in page(theirs)
    note = Notification.objects.filter(recipient=member).first()
    mark_notification_read(user=member, notification_id=note.pk)
    assert "Notifications, 1 unread" in page(mine)
    mark_all_notifications_read(user=outsider)
    assert "Notifications, 0 unread" in page(theirs) and "Notifications, 1 unread" in page(mine)
    opened = mine.post(reverse("core:notification-open", args=[Notification.objects.get(
        recipient=member, read_at__isnull=True).pk]))
    assert opened.status_code == 302 and "Notifications, 0 unread" in page(mine)


def admin_save(client: Client, url: str, **changes: object) -> None:
    """Save an admin change form as staff would: the form's current values, with `changes`."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):  # a date and a time
            data.update({f"{name}_{i}": part for i, part in enumerate(field.widget.decompress(value)) if part})
        elif value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_member_given_moderation_rights_in_the_admin_sees_the_queue_link_on_the_next_request(member, staff):
    from django.contrib.auth.models import Group, Permission

    from tests.forums.factories import category

    admin = member_client(staff)
    own = member_client(member)
    lounge = category(name="Lounge", slug="lounge")
    assert 'data-testid="nav-moderation"' not in page(own)
    admin_save(admin, reverse("admin:forums_category_change", args=[lounge.pk]), moderators=[str(member.pk)])
    assert 'data-testid="nav-moderation"' in page(own)
    admin_save(admin, reverse("admin:forums_category_change", args=[lounge.pk]), moderators=[])
    assert 'data-testid="nav-moderation"' not in page(own)

    reviewers = Group.objects.create(name="Reviewers")
    member.groups.add(reviewers)  # before the member's rights were looked up below, as if long ago
    assert 'data-testid="nav-moderation"' not in page(own, reverse("events:list"))
    moderate = Permission.objects.get(content_type__app_label="accounts", codename="moderate")
    admin_save(admin, reverse("admin:auth_group_change", args=[reviewers.pk]), permissions=[str(moderate.pk)])
    assert 'data-testid="nav-moderation"' in page(own, reverse("events:list"))
    admin_save(admin, reverse("admin:accounts_user_change", args=[member.pk]), groups=[])
    assert 'data-testid="nav-moderation"' not in page(own, reverse("events:list"))


def chat_badge(html: str) -> str:
    return re.search(r"data-chat-unread( hidden)?>(\d+)<", html).group(2)


def test_reading_and_leaving_conversations_show_in_the_headers_unread_count_on_the_next_request(member, outsider):
    from chat.services import create_group_conversation, leave_conversation, mark_read

    mine, theirs = member_client(member), member_client(outsider)
    direct = open_direct_conversation(user=outsider, other=member)
    group = create_group_conversation(creator=outsider, title="Housing desk", members=[member])
    assert chat_badge(page(mine)) == "0" and chat_badge(page(theirs)) == "0"
    send_message(sender=outsider, conversation=direct, body="Hello Mia")
    send_message(sender=outsider, conversation=group, body="Hello group")
    send_message(sender=outsider, conversation=group, body="Still there?")
    assert chat_badge(page(mine)) == "3" and chat_badge(page(theirs)) == "0"  # nothing leaks to the sender
    mark_read(user=member, conversation=direct)
    assert chat_badge(page(mine, reverse("events:list"))) == "2"
    send_message(sender=member, conversation=group, body="Yes")
    assert chat_badge(page(theirs)) == "1" and chat_badge(page(mine)) == "0"  # sending reads the group
    send_message(sender=outsider, conversation=group, body="Good")
    assert chat_badge(page(mine)) == "1"
    leave_conversation(user=member, conversation=group)
    assert chat_badge(page(mine)) == "0" and chat_badge(page(theirs)) == "0"


def test_a_conversation_page_that_marks_it_read_shows_the_new_count_in_its_own_header(member, outsider):
    client = member_client(member)
    direct = open_direct_conversation(user=outsider, other=member)
    send_message(sender=outsider, conversation=direct, body="Hello Mia")
    assert chat_badge(page(client)) == "1"
    assert chat_badge(page(client, reverse("chat:conversation", args=[direct.pk]))) == "0"


def test_the_member_facts_are_read_in_one_cache_round_trip_and_no_query(member, django_assert_num_queries):
    from django.core.cache import cache

    from moderation.permissions import is_global_moderator

    client = member_client(member)
    page(client)
    reads = []
    original = cache.get_many
    try:
        cache.get_many = lambda keys, *args, **kwargs: reads.append(list(keys)) or original(keys, *args, **kwargs)
        with CaptureQueriesContext(connection) as queries:
            html = page(client, reverse("events:list"))
    finally:
        del cache.get_many
    assert "Notifications, 0 unread" in html and chat_badge(html) == "0"
    facts = [keys for keys in reads if any(key.startswith("v:member-fact:") for key in keys)]
    assert len(facts) == 1 and {key.split(":")[2] for key in facts[0] if key.startswith("v:member-fact:")} == {
        "core.unread_notifications", "chat.unread", "moderation.rights"}
    assert not any("chat_participant" in q["sql"] or "core_notification" in q["sql"] or "auth_permission" in q["sql"]
                   for q in queries)
    assert not is_global_moderator(member)


def test_a_notification_marked_read_by_the_api_returns_the_new_count_in_the_same_request(member):
    client = member_client(member)
    notify(recipient=member, kind="moderation.warning", params={"reason": "Check this"}, url="/")
    notify(recipient=member, kind="moderation.warning", params={"reason": "And this"}, url="/")
    assert "Notifications, 2 unread" in page(client)
    note = Notification.objects.filter(recipient=member).first()
    assert client.post(reverse("api-notification-read", args=[note.pk])).json() == {"unread": 1}
    assert "Notifications, 1 unread" in page(client)
