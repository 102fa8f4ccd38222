"""Reading: stable post links across pages, read tracking, watching, helpful marks, search, references."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums import selectors, services
from forums.models import Post
from tests import factories
from tests.directory.factories import MINIMAL_PDF
from tests.forums import factories as forum

pytestmark = pytest.mark.django_db


def test_a_post_link_resolves_to_the_page_it_is_on(client, public_category):
    topic = forum.topic(category_=public_category)
    forum.many_posts(topic, 44)
    post = topic.posts.order_by("created_at", "id")[42]  # the 43rd post: page 3 of 20 per page
    response = client.get(reverse("forums:post", args=[post.pk]))
    assert response["Location"] == f"{topic.get_absolute_url()}?page=3#post-{post.pk}"
    assert f'id="post-{post.pk}"' in client.get(response["Location"]).content.decode()




def test_read_tracking_marks_unread_topics_and_finds_the_first_unread_post(client, member, public_category):
    topic = forum.topic(category_=public_category, title="Language courses")
    client.force_login(member)
    assert "Language courses" in client.get(reverse("forums:unread")).content.decode()
    client.get(topic.get_absolute_url())
    assert "Language courses" not in client.get(reverse("forums:unread")).content.decode()
    new = forum.reply(topic=topic, body="A new answer")
    assert "Language courses" in client.get(reverse("forums:unread")).content.decode()
    response = client.get(reverse("forums:first-unread", args=[topic.pk]))
    assert response["Location"] == reverse("forums:post", args=[new.pk])


def test_reading_only_the_first_page_leaves_later_posts_unread(client, member, public_category):
    topic = forum.topic(category_=public_category)
    forum.many_posts(topic, 30)
    client.force_login(member)
    client.get(topic.get_absolute_url())
    first_unread = selectors.first_unread_post(topic, member)
    assert first_unread == topic.posts.order_by("created_at", "id")[20]


def test_mark_all_read_clears_the_unread_list(client, member, public_category):
    for n in range(3):
        forum.topic(category_=public_category, title=f"Topic {n}")
    client.force_login(member)
    assert len(selectors.unread_topics(member)) == 3
    client.post(reverse("forums:mark-all-read"))
    assert len(selectors.unread_topics(member)) == 0
    forum.topic(category_=public_category, title="After the marker")
    assert [t.title for t in selectors.unread_topics(member)] == ["After the marker"]


def test_a_member_does_not_see_unread_topics_of_categories_they_cannot_read(member, municipal_category,
                                                                           municipal_member):
    forum.topic(category_=municipal_category, author=municipal_member)
    assert len(selectors.unread_topics(member)) == 0
    assert len(selectors.unread_topics(municipal_member)) == 0  # their own topic is read


def test_helpful_marks_are_counted_once_per_member_and_can_be_taken_back(client, member, outsider,
                                                                          public_category):
    post = forum.topic(category_=public_category, author=outsider).posts.get()
    client.force_login(member)
    client.post(reverse("forums:helpful", args=[post.pk]))
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert "1 found this helpful" in client.get(post.topic.get_absolute_url()).content.decode()
    client.post(reverse("forums:helpful", args=[post.pk]))
    post.refresh_from_db()
    assert post.helpful_count == 0
    client.force_login(outsider)
    client.post(reverse("forums:helpful", args=[post.pk]))  # your own post: refused
    post.refresh_from_db()
    assert post.helpful_count == 0


def test_editing_your_own_post_keeps_history_and_shows_edited(client, member, public_category):
    post = forum.topic(category_=public_category, author=member, body="Firts draft").posts.get()
    client.force_login(member)
    response = client.post(reverse("forums:post-edit", args=[post.pk]), {"body": "First draft"})
    assert response.status_code == 302
    edit = post.edits.get()
    assert (edit.editor, edit.body_before, edit.body_after) == (member, "Firts draft", "First draft")
    assert ">edited<" in client.get(post.topic.get_absolute_url()).content.decode()


def test_deleting_your_own_reply_is_a_soft_delete(client, member, public_category):
    topic = forum.topic(category_=public_category)
    post = forum.reply(topic=topic, author=member, body="Oops, wrong topic")
    client.force_login(member)
    client.post(reverse("forums:post-delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED and post.body == "Oops, wrong topic"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "This post was deleted." in page and "Oops, wrong topic" not in page


def test_quoting_prefills_the_reply_with_a_link_to_the_quoted_post(client, member, public_category):
    post = forum.topic(category_=public_category, body="Guarantee funds work").posts.get()
    client.force_login(member)
    form = client.get(reverse("forums:reply", args=[post.topic_id]) + f"?quote={post.pk}").context["form"]
    assert f"[wrote](/forums/posts/{post.pk}/)" in form.initial["body"]
    assert "> Guarantee funds work" in form.initial["body"]


def test_links_to_organisations_show_as_rich_references(client, public_category):
    organisation = factories.OrganisationFactory(name="Welcome Bridges", slug="welcome-bridges")
    hidden = factories.OrganisationFactory(name="Not verified", slug="not-verified", verified=False)
    post = forum.topic(category_=public_category, body=(
        "See [their mentoring](/organisations/welcome-bridges/) and http://127.0.0.1:8000/organisations/"
        "not-verified/")).posts.get()
    assert post.references == [{"kind": "Organisation", "title": "Welcome Bridges",
                                "url": organisation.get_absolute_url(), "meta": "NGO · Vienna, Austria"}]
    assert hidden.name not in client.get(post.topic.get_absolute_url()).content.decode()


def test_search_finds_topics_and_posts_the_reader_may_see_only(client, member, public_category,
                                                               municipal_category, municipal_member):
    forum.topic(category_=public_category, title="Interpreters in hospitals", body="Who pays for interpreters?")
    forum.topic(category_=municipal_category, author=municipal_member, title="Interpreters budget",
                body="Our interpreters budget tripled")
    client.force_login(member)
    page = client.get(reverse("forums:search") + "?q=interpreters").content.decode()
    assert "Interpreters in hospitals" in page and "Interpreters budget" not in page
    client.force_login(municipal_member)
    page = client.get(reverse("forums:search") + "?q=interpreters").content.decode()
    assert "Interpreters budget" in page
    assert [t.title for t in selectors.search_topics(member, "interpreters")] == ["Interpreters in hospitals"]


@pytest.mark.postgres
def test_search_on_postgresql_matches_word_forms(member, public_category):
    forum.topic(category_=public_category, title="Housing newcomers", body="We rented flats for families")
    assert [p.body for p in selectors.search_posts(member, "renting flat")] == ["We rented flats for families"]


def test_attachments_only_where_the_category_allows_and_only_for_readers(client, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    closed = forum.category(name="No files")
    open_ = forum.category(name="Files", visibility="members", allow_attachments=True)
    client.force_login(member)
    upload = SimpleUploadedFile("notes.pdf", MINIMAL_PDF)
    response = client.post(reverse("forums:topic-create", args=[closed.slug]),
                           {"title": "Notes", "body": "Attached", "attachment": upload})
    assert closed.topics.get().posts.get().attachment.name == ""  # the field is not offered, nothing stored
    assert response.status_code == 302
    upload = SimpleUploadedFile("Meeting <notes>.pdf", MINIMAL_PDF)
    client.post(reverse("forums:topic-create", args=[open_.slug]),
                {"title": "Notes", "body": "Attached", "attachment": upload})
    post = open_.topics.get().posts.get()
    response = client.get(reverse("forums:attachment", args=[post.pk]))
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    # The library's download headers: the checked type, a download, never rendered or sniffed by the browser.
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "<" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    client.logout()
    assert client.get(reverse("forums:attachment", args=[post.pk])).status_code == 404


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("page.html", b"<html><script>alert(document.cookie)</script></html>", "PDF, DOCX or ODT"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "PDF, DOCX or ODT"),
    ("page.pdf", b"<html><script>alert(1)</script></html>", "not a PDF, DOCX or ODT"),
    ("macro.docx", "docm", "macros"),
])
def test_an_attachment_goes_through_the_librarys_upload_check(client, member, settings, tmp_path, name, content,
                                                               reason):
    settings.MEDIA_ROOT = tmp_path
    if content == "docm":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for part in ("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"):
                archive.writestr(part, b"<x/>")
        content = buffer.getvalue()
    category = forum.category(name="Files", visibility="members", allow_attachments=True)
    client.force_login(member)
    response = client.post(reverse("forums:topic-create", args=[category.slug]),
                           {"title": "Notes", "body": "Attached", "attachment": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["attachment"])
    assert not category.topics.exists()
    assert not list(tmp_path.rglob("*.*")), "a refused file was stored"


def test_organisation_page_shows_recent_forum_activity_of_its_members(client, public_category, member):
    forum.topic(category_=public_category, author=member, title="Mentoring schemes")
    organisation = member.memberships.get().organisation
    assert "Mentoring schemes" in client.get(organisation.get_absolute_url()).content.decode()


def test_the_home_page_lists_active_topics_the_visitor_may_read(client, public_category, members_category):
    forum.topic(category_=public_category, title="Public discussion")
    forum.topic(category_=members_category, title="Members discussion")
    page = client.get(reverse("core:home")).content.decode()
    assert "Public discussion" in page and "Members discussion" not in page


def test_services_index_posts_for_search_on_postgresql_only(public_category, settings):
    post = forum.topic(category_=public_category).posts.get()
    post.refresh_from_db()
    assert (post.search_vector is not None) == settings.IS_POSTGRES


def test_mark_topic_read_never_moves_back(member, public_category):
    topic = forum.topic(category_=public_category)
    later = forum.reply(topic=topic).created_at
    services.mark_topic_read(user=member, topic=topic, until=later)
    services.mark_topic_read(user=member, topic=topic, until=topic.created_at)
    assert topic.reads.get(user=member).read_until == later


def test_the_dashboard_shows_unread_count_and_watched_topics(client, member, public_category):
    watched = forum.topic(category_=public_category, title="Watched topic")
    forum.topic(category_=public_category, title="Other topic")
    services.set_watching(user=member, topic=watched, watching=True)
    client.force_login(member)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "2 unread topics" in page and "Watched topic" in page


def test_the_dashboard_keeps_its_query_count(client, member, public_category):
    from tests.queries import assert_queries_do_not_grow

    client.force_login(member)

    def add(n):
        for _ in range(n):
            services.set_watching(user=member, topic=forum.topic(category_=public_category), watching=True)

    assert_queries_do_not_grow(client, reverse("accounts:dashboard"), add, more=4)
