"""Forums' background work: telling mentioned members, quoted authors and watchers about a new post.

The posting service records the post and enqueues one job (`core.tasks.enqueue`); this task finds the
recipients and notifies them in batches, whatever their number. Each member is told once per post (the
notifications' source is the post), with the most specific reason: mention, then quote, then watching.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import Truncator

from core.tasks import batched, notify_in_batches, task
from forums import selectors, text
from forums.models import Post, Watch

User = get_user_model()


@task()
def notify_about_post(*, post_id: int, new_topic: bool) -> int:
    """Notify (and mail, as each prefers) who should hear of this post; returns how many were told."""
    post = Post.objects.select_related("topic__category", "author").filter(
        pk=post_id, status=Post.Status.PUBLISHED).first()
    if post is None:
        return 0  # hidden or deleted before the job ran: nobody is told
    topic, category, author = post.topic, post.topic.category, post.author
    name = author.full_name if author else ""
    audiences = []
    mentioned = text.mentioned_ids(post.body)
    if mentioned:
        audiences.append((User.objects.filter(pk__in=mentioned), "forums.mention"))
    quoted = text.quoted_post_ids(post.body)
    if quoted:
        authors = Post.objects.filter(pk__in=quoted, topic__category=category).values("author_id")
        audiences.append((User.objects.filter(pk__in=authors), "forums.quote"))
    if new_topic:
        audiences.append((User.objects.filter(pk__in=Watch.objects.filter(category=category).values("user_id")),
                          "forums.new_topic"))
    else:
        audiences.append((User.objects.filter(pk__in=Watch.objects.filter(topic=topic).values("user_id")),
                          "forums.reply"))

    # Worded when each reader sees it, in their language (forums.notifications).
    params = {"name": name, "topic": topic.title, "category": category.name,
              "excerpt": Truncator(post.body).chars(300)}
    told = 0
    for users, kind in audiences:
        ids = users.order_by("pk").values_list("pk", flat=True)
        for chunk in batched(ids.iterator(), settings.TASKS_FANOUT_BATCH):
            readers = selectors.readers_among(category, User.objects.filter(pk__in=chunk))
            told += notify_in_batches(recipient_ids=list(readers.values_list("pk", flat=True)),
                                      source=f"forums.post:{post.pk}", kind=kind, params=params,
                                      url=reverse("forums:post", args=[post.pk]),
                                      actor_id=author.pk if author else None)
    return told
