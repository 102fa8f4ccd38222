import pytest
from django.urls import reverse

from core.models import Notification
from core.services import notify, notify_many, send_notification_digests
from tests import factories
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_the_navigation_badge_counts_unread_notifications(client, member):
    notify(recipient=member, kind="moderation.warning", params={"reason": "Your practice was published"}, url="/")
    client.force_login(member)
    page = client.get(reverse("core:home")).content.decode()
    assert "Notifications, 1 unread" in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, member):
    note = notify(recipient=member, kind="moderation.warning", params={"reason": "Reply"}, url="/me/")
    client.force_login(member)
    response = client.post(reverse("core:notification-open", args=[note.pk]))
    assert response["Location"] == "/me/"
    note.refresh_from_db()
    assert note.is_read


def test_a_notification_pointing_off_site_is_not_followed(client, member):
    note = notify(recipient=member, kind="moderation.warning", params={"reason": "Spoofed"},
                  url="https://evil.example/")
    client.force_login(member)
    response = client.post(reverse("core:notification-open", args=[note.pk]))
    assert response["Location"] == reverse("core:notifications")


def test_a_member_cannot_mark_another_members_notification(client, member, outsider):
    note = notify(recipient=outsider, kind="moderation.warning", params={"reason": "Private"}, url="/")
    client.force_login(member)
    client.post(reverse("core:notification-open", args=[note.pk]))
    note.refresh_from_db()
    assert not note.is_read
    response = client.post(reverse("api-notification-read", args=[note.pk]))
    assert response.status_code == 404


def test_mark_all_read(client, member):
    notify_many(recipients=[member], kind="moderation.warning", params={"reason": "One"})
    notify(recipient=member, kind="moderation.warning", params={"reason": "Two"})
    client.force_login(member)
    client.post(reverse("core:notifications-read-all"))
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_the_actor_is_not_notified_of_their_own_action(member, outsider):
    assert notify_many(recipients=[member, outsider], kind="moderation.warning", params={"reason": "x"},
                       actor=member) == 1


def test_notification_list_page_and_endpoint_keep_a_constant_query_count(client, member):
    actor = factories.UserFactory()
    client.force_login(member)

    def add(n):
        for _ in range(n):
            notify(recipient=member, kind="moderation.warning", params={"reason": "Hello"}, actor=actor)

    assert_queries_do_not_grow(client, reverse("core:notifications"), add)
    assert_queries_do_not_grow(client, reverse("api-notifications"), add)


def test_notifications_are_emailed_as_each_member_prefers(django_capture_on_commit_callbacks, mailoutbox):
    each = factories.UserFactory(email="each@example.org", email_notifications="each")
    digest = factories.UserFactory(email="digest@example.org", email_notifications="digest")
    silent = factories.UserFactory(email="none@example.org", email_notifications="none")
    with django_capture_on_commit_callbacks(execute=True):
        notify_many(recipients=[each, digest, silent], kind="moderation.warning",
                    params={"reason": "A reply to your topic"}, url="/x/")
    assert [m.to for m in mailoutbox] == [["each@example.org"]]
    assert "A reply to your topic" in mailoutbox[0].body

    assert send_notification_digests() == 1
    assert mailoutbox[1].to == ["digest@example.org"]
    assert "A reply to your topic" in mailoutbox[1].body
    # Run again: nothing new, nothing sent twice.
    assert send_notification_digests() == 0
    assert len(mailoutbox) == 2


def test_a_notification_can_stay_in_the_app_only(django_capture_on_commit_callbacks, mailoutbox, member):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member, kind="chat.message", params={"name": "Ana", "group": "", "excerpt": "Hi"},
               email=False)
    assert mailoutbox == []


def test_marking_all_read_through_htmx_swaps_the_list_and_the_header_count(client, member):
    notify(recipient=member, kind="moderation.warning", params={"reason": "Your registration is confirmed"})
    client.force_login(member)
    page = client.get(reverse("core:notifications")).content.decode()
    assert f'hx-post="{reverse("core:notifications-read-all")}"' in page
    assert 'hx-select-oob="#nav-notifications"' in page and 'data-badge="notifications"' in page
    response = client.post(reverse("core:notifications-read-all"), HTTP_HX_REQUEST="true", follow=True)
    swapped = response.content.decode()
    assert 'id="notifications-page"' in swapped and 'id="nav-notifications"' in swapped
    assert 'data-badge="notifications"' not in swapped
    assert not member.notifications.filter(read_at__isnull=True).exists()


@pytest.mark.postgres
def test_a_members_newest_notifications_are_an_index_walk_that_stops_at_the_page(member, outsider):
    from django.db import connection

    from core import selectors

    for number in range(3):
        notify(recipient=member, kind="moderation.warning", params={"reason": f"Note {number}"}, email=False)
        notify(recipient=outsider, kind="moderation.warning", params={"reason": f"Other {number}"}, email=False)
    with connection.cursor() as cursor:
        # With a handful of rows, reading them all and sorting is cheaper; forbid the sort and the other scans
        # to see whether an index gives the member's rows in the list's order (10x data: hundreds a member).
        for plan_kind in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
    plan = selectors.notifications_for(member)[:20].explain()
    assert "notification_newest" in plan and "Sort" not in plan, plan
