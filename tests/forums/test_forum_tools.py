"""Forum tools from the outside: Markdown preview, accepted answers in question categories, tags with a
filter, bookmarks, reactions; a visitor, a member of another organisation, a plain member and a moderator
each try every new action, and hostile input goes into every new field."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forums import services
from forums.models import Bookmark, PostReaction, Tag, Topic
from moderation.models import ModerationLogEntry
from tests import factories
from tests.forums import factories as forum
from tests.hostile import CONTROL_CHARACTERS, XSS_PAYLOADS, assert_inert
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(db):
    return forum.category(name="Questions", slug="questions", question_style=True)


@pytest.fixture
def asker(db):
    return factories.UserFactory(full_name="Ana Asker")


@pytest.fixture
def question(questions, asker):
    return forum.topic(author=asker, category_=questions, title="How do you fund language cafés?",
                       body="Looking for funding models.")


# --- Preview -----------------------------------------------------------------------------------------------


def test_the_preview_renders_markdown_through_the_server_sanitiser(client, member):
    client.force_login(member)
    response = client.post(reverse("forums:preview"), {"body": "**Bold** and <script>alert(1)</script> "
                                                               "[x](javascript:alert(1))"},
                           headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<strong>Bold</strong>" in html
    assert_inert(html)
    assert not Topic.objects.exists()


def test_a_visitor_cannot_preview(client):
    response = client.post(reverse("forums:preview"), {"body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("body", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, "x" * 30_000])
def test_hostile_preview_input_is_inert_or_refused_with_a_reason(client, member, body):
    client.force_login(member)
    response = client.post(reverse("forums:preview"), {"body": body})
    assert response.status_code == 200
    assert_inert(response.content.decode())
    if len(body) > 20_000:
        assert "at most" in response.content.decode()


def test_the_post_forms_offer_a_preview_and_keep_drafts(client, member, public_category):
    client.force_login(member)
    page = client.get(reverse("forums:topic-create", args=[public_category.slug])).content.decode()
    assert 'hx-post="/forums/preview/"' in page
    assert f'data-draft="topic-{public_category.pk}"' in page and "js/drafts.js" in page


# --- Accepted answers --------------------------------------------------------------------------------------


def test_the_starter_accepts_an_answer_shown_under_the_question_and_solved_in_the_list(client, question, asker,
                                                                                         questions):
    answer = forum.reply(topic=question, body="We combine a city grant with volunteer hosts.")
    client.force_login(asker)
    assert client.post(reverse("forums:accept", args=[answer.pk])).status_code == 302
    question.refresh_from_db()
    assert question.accepted_answer == answer
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Accepted answer" in page
    assert page.index("Accepted answer") < page.index(f'id="post-{answer.pk}"')
    listing = client.get(questions.get_absolute_url()).content.decode()
    assert "solved" in listing
    assert answer.author.notifications.filter(kind="forums.accepted").exists()


def test_a_moderator_may_accept_and_unaccept(client, question, moderator):
    answer = forum.reply(topic=question)
    client.force_login(moderator)
    client.post(reverse("forums:accept", args=[answer.pk]))
    assert Topic.objects.get(pk=question.pk).accepted_answer == answer
    client.post(reverse("forums:unaccept", args=[question.pk]))
    assert Topic.objects.get(pk=question.pk).accepted_answer is None


@pytest.mark.parametrize("who", ["member", "outsider", "other_category_moderator"])
def test_others_cannot_accept_an_answer(client, question, request, who):
    answer = forum.reply(topic=question)
    client.force_login(request.getfixturevalue(who))
    client.post(reverse("forums:accept", args=[answer.pk]))
    assert Topic.objects.get(pk=question.pk).accepted_answer is None
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Accept as the answer" not in page


def test_a_visitor_is_sent_to_log_in_to_accept(client, question):
    answer = forum.reply(topic=question)
    response = client.post(reverse("forums:accept", args=[answer.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Topic.objects.get(pk=question.pk).accepted_answer is None


def test_only_question_categories_have_answers_and_the_question_is_not_its_own_answer(public_category, asker,
                                                                                      question):
    topic = forum.topic(author=asker, category_=public_category)
    with pytest.raises(ValidationError):
        services.accept_answer(actor=asker, post=forum.reply(topic=topic))
    with pytest.raises(ValidationError):
        services.accept_answer(actor=asker, post=question.posts.first())


# --- Tags --------------------------------------------------------------------------------------------------


def test_moderators_manage_tags_and_members_filter_topics_by_them(client, moderator, member, public_category):
    client.force_login(moderator)
    assert client.post(reverse("forums:tags"), {"name": "Housing first"}).status_code == 302
    housing = Tag.objects.get(slug="housing-first")
    entry = ModerationLogEntry.objects.get(action="create_tag")
    assert entry.action_label == "Created a tag"
    client.force_login(member)
    response = client.post(reverse("forums:topic-create", args=[public_category.slug]),
                           {"title": "Tagged topic", "body": "About housing first.", "tags": [housing.pk]})
    assert response.status_code == 302
    forum.topic(category_=public_category, title="Untagged topic")
    filtered = client.get(f"{public_category.get_absolute_url()}?tag=housing-first").content.decode()
    assert "Tagged topic" in filtered and "Untagged topic" not in filtered
    everything = client.get(public_category.get_absolute_url()).content.decode()
    assert "Tagged topic" in everything and "Untagged topic" in everything


@pytest.mark.parametrize("who", ["member", "outsider", "category_moderator"])
def test_only_global_moderators_manage_tags(client, request, who):
    tag = Tag.objects.create(name="Youth", slug="youth")
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("forums:tags")).status_code == 403
    assert client.post(reverse("forums:tags"), {"name": "Spam"}).status_code == 403
    assert client.post(reverse("forums:tag-delete", args=[tag.pk])).status_code == 403
    assert list(Tag.objects.values_list("name", flat=True)) == ["Youth"]


def test_a_visitor_is_sent_to_log_in_from_the_tag_page(client):
    response = client.get(reverse("forums:tags"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_moderator_retags_a_topic_but_a_member_cannot(client, moderator, member, public_category):
    tag = Tag.objects.create(name="Youth", slug="youth")
    topic = forum.topic(author=member, category_=public_category)
    client.force_login(member)
    assert client.post(reverse("forums:topic-tags", args=[topic.pk]), {"tags": [tag.pk]}).status_code == 403
    client.force_login(moderator)
    client.post(reverse("forums:topic-tags", args=[topic.pk]), {"tags": [tag.pk]})
    assert list(topic.tags.all()) == [tag]


@pytest.mark.parametrize("name", [*XSS_PAYLOADS, *CONTROL_CHARACTERS, "x" * 1000, "   ", "!!!"])
def test_hostile_tag_names_are_refused_or_shown_as_text(client, moderator, name):
    client.force_login(moderator)
    response = client.post(reverse("forums:tags"), {"name": name})
    assert response.status_code in (302, 400)
    assert_inert(client.get(reverse("forums:tags")).content.decode())
    if response.status_code == 400:
        assert not Tag.objects.exists()


def test_too_many_tags_are_refused(member, public_category):
    tags = [Tag.objects.create(name=f"T{n}", slug=f"t{n}") for n in range(6)]
    with pytest.raises(ValidationError) as error:
        services.start_topic(author=member, category=public_category, title="t", body="b", tags=tags)
    assert "tags" in error.value.message_dict


# --- Bookmarks ---------------------------------------------------------------------------------------------


def test_a_member_bookmarks_posts_and_finds_them_on_their_page(client, member, public_category):
    topic = forum.topic(category_=public_category, title="Rental guarantees")
    post = forum.reply(topic=topic, body="The city guarantees the first year's rent.")
    client.force_login(member)
    client.post(reverse("forums:bookmark", args=[post.pk]))
    page = client.get(reverse("forums:bookmarks")).content.decode()
    assert "Rental guarantees" in page and "first year" in page
    client.post(reverse("forums:bookmark", args=[post.pk]))
    assert not Bookmark.objects.exists()


def test_bookmarks_are_private_and_follow_visibility(client, member, outsider, municipal_category,
                                                     municipal_member, public_category):
    secret = forum.reply(topic=forum.topic(author=municipal_member, category_=municipal_category),
                         author=municipal_member, body="Municipal only")
    services.toggle_bookmark(user=municipal_member, post=secret)
    client.force_login(outsider)
    assert "Municipal only" not in client.get(reverse("forums:bookmarks")).content.decode()
    assert client.post(reverse("forums:bookmark", args=[secret.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.toggle_bookmark(user=outsider, post=secret)


def test_a_visitor_is_sent_to_log_in_from_bookmarks(client):
    response = client.get(reverse("forums:bookmarks"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_bookmarks_page_keeps_a_constant_query_count(client, member, public_category):
    client.force_login(member)

    def add_rows(n):
        topic = forum.topic(category_=public_category)
        forum.many_posts(topic, n)
        for post in topic.posts.all():
            Bookmark.objects.get_or_create(user=member, post=post)

    assert_queries_do_not_grow(client, reverse("forums:bookmarks"), add_rows)


# --- Reactions ---------------------------------------------------------------------------------------------


def test_reactions_on_posts_show_counts_and_toggle(client, member, outsider, public_category):
    post = forum.reply(topic=forum.topic(category_=public_category))
    client.force_login(member)
    client.post(reverse("forums:react", args=[post.pk]), {"emoji": "insightful"})
    services.toggle_post_reaction(user=outsider, post=post, emoji="insightful")
    page = client.get(post.topic.get_absolute_url()).content.decode()
    assert "💡</span> 2" in page and 'aria-pressed="true"' in page
    client.post(reverse("forums:react", args=[post.pk]), {"emoji": "insightful"})
    assert PostReaction.objects.count() == 1


@pytest.mark.parametrize("emoji", ["", "poop", "💡", *XSS_PAYLOADS[:3]])
def test_an_unknown_post_reaction_is_refused_by_name(member, public_category, emoji):
    post = forum.reply(topic=forum.topic(category_=public_category))
    with pytest.raises(ValidationError) as error:
        services.toggle_post_reaction(user=member, post=post, emoji=emoji)
    assert "emoji" in error.value.message_dict


def test_a_visitor_cannot_react_or_bookmark(client, public_category):
    post = forum.reply(topic=forum.topic(category_=public_category))
    for name in ("forums:react", "forums:bookmark"):
        response = client.post(reverse(name, args=[post.pk]), {"emoji": "heart"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PostReaction.objects.exists() and not Bookmark.objects.exists()


def test_the_topic_page_with_reactions_tags_and_bookmarks_keeps_a_constant_query_count(client, member,
                                                                                       questions):
    Tag.objects.create(name="Youth", slug="youth")
    topic = forum.topic(category_=questions)
    client.force_login(member)

    def add_rows(n):
        forum.many_posts(topic, n)
        for post in topic.posts.all():
            PostReaction.objects.get_or_create(post=post, user=member, emoji="heart")
            Bookmark.objects.get_or_create(post=post, user=member)

    client.get(topic.get_absolute_url())  # the first visit records the read state; later ones only move it
    assert_queries_do_not_grow(client, topic.get_absolute_url(), add_rows)


def test_the_topic_list_with_tags_and_answers_keeps_a_constant_query_count(client, member, questions):
    youth = Tag.objects.create(name="Youth", slug="youth")
    client.force_login(member)

    def add_rows(n):
        for _ in range(n):
            topic = forum.topic(category_=questions)
            topic.tags.add(youth)
            Topic.objects.filter(pk=topic.pk).update(accepted_answer=topic.posts.first())

    assert_queries_do_not_grow(client, questions.get_absolute_url(), add_rows)
