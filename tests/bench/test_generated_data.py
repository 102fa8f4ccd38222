"""The benchmark's data generator keeps the apps' invariants, and every measured page answers on its data."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from accounts.models import Membership, Organisation, User
from bench.generate import BENCH_EMAIL, generate
from bench.pages import PAGES
from bench.prepare import plan
from core.markdown import render_markdown
from tests.conftest import requires_redis

pytestmark = pytest.mark.django_db

TINY = 0.002


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # The chat generator writes a picture, its thumbnail and a PDF; keep them out of var/media.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def generated(db):
    return generate(scale=TINY, chat_clients=5, log=lambda message: None)


def test_every_organisation_keeps_an_active_admin(generated):
    without_admin = Organisation.objects.annotate(admins=Count("memberships", filter=Q(
        memberships__role=Membership.Role.ADMIN, memberships__status=Membership.Status.ACTIVE))).filter(admins=0)
    assert Organisation.objects.count() == 10
    assert not without_admin.exists()


def test_stored_html_is_the_rendering_of_the_stored_markdown(generated):
    for organisation in Organisation.objects.all():
        assert organisation.description_html == render_markdown(organisation.description)
    for user in User.objects.exclude(bio=""):
        assert user.bio_html == render_markdown(user.bio)


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_names(generated):
    names = list(Organisation.objects.order_by("pk").values_list("name", flat=True))
    call_command("flush", interactive=False, verbosity=0)
    generate(scale=TINY, chat_clients=5, log=lambda message: None)
    assert list(Organisation.objects.order_by("pk").values_list("name", flat=True)) == names


def test_every_measured_page_answers_on_the_generated_data(generated, settings, monkeypatch):
    # The bench serves with bench.settings: the site's URLs plus the anchor page.
    from bench import prepare
    from bench import settings as bench_settings

    # The plan times each page's CPU over up to half a second of repeats; what this test checks is that every
    # page answers as expected, which two warm requests a page show as well (the plan's minimum).
    monkeypatch.setattr(prepare, "CPU_BUDGET_S", 0)
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.TEMPLATES = bench_settings.TEMPLATES
    pages = plan()["pages"]
    assert [page["name"] for page in pages] == [page.name for page in PAGES]
    assert User.objects.filter(email=BENCH_EMAIL).exists()
    for page in pages:
        assert page["expect"] in {200, 304}
        assert ("Cookie" in page["headers"]) == page["login"]


def test_the_files_and_reactions_conversation_has_what_the_page_shows(generated):
    from bench.generate import FILES_CONVERSATION_MESSAGES, FILES_CONVERSATION_TITLE
    from chat.models import Attachment, Conversation, Message, Reaction

    conversation = Conversation.objects.get(title=FILES_CONVERSATION_TITLE)
    assert Message.objects.filter(conversation=conversation).count() == FILES_CONVERSATION_MESSAGES
    assert Reaction.objects.filter(message__conversation=conversation).count() == 3 * FILES_CONVERSATION_MESSAGES
    assert Attachment.objects.filter(message__conversation=conversation).exists()
    assert Message.objects.filter(conversation=conversation, reply_to__isnull=False).exists()
    assert conversation.participants.filter(user__email=BENCH_EMAIL).exists()


def test_the_plan_counts_each_pages_queries_as_the_load_finds_it(generated, settings, monkeypatch, rendered_cache,
                                                                django_capture_on_commit_callbacks):
    # A message the bench member has not read, as after a generation at 1x or 10x: the first view of the group
    # conversation marks it read, and the next re-renders the cards that changed, with more queries than any
    # request after it. The plan counts a request after two warm-up requests, the steady state the load finds.
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import prepare
    from bench import settings as bench_settings
    from bench.pages import ACCEPT_ENCODING
    from chat.models import Conversation
    from chat.services import send_message

    monkeypatch.setattr(prepare, "CPU_BUDGET_S", 0)
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.TEMPLATES = bench_settings.TEMPLATES
    member = User.objects.get(email=BENCH_EMAIL)
    conversation = (Conversation.objects.filter(kind=Conversation.Kind.GROUP, participants__user=member)
                    .order_by("pk").first())
    other = conversation.participants.exclude(user=member).first().user
    with django_capture_on_commit_callbacks(execute=True):
        send_message(sender=other, conversation=conversation, body="Unread by the bench member")

    planned = {page["name"]: page for page in plan()["pages"]}["group conversation page"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        client.get(planned["path"], headers={"Accept": "text/html", "Accept-Encoding": ACCEPT_ENCODING})
    assert planned["queries"] == len(queries)


@requires_redis
def test_a_plan_empties_its_own_scales_cache_keys_only(settings):
    # The scales' servers share REDIS_URL's database side by side, each under its own key prefix (bench/settings.py).
    from django.core.cache import caches

    from bench.prepare import clear_cache

    other = {**settings.CACHES["default"], "KEY_PREFIX": "crossroads-bench-test-other"}
    mine = {**settings.CACHES["default"], "KEY_PREFIX": "crossroads-bench-test-mine"}
    settings.CACHES = {"default": mine, "other": other}
    try:
        caches["default"].set("row", "mine")
        caches["other"].set("row", "other")
        clear_cache()
        assert caches["default"].get("row") is None
        assert caches["other"].get("row") == "other"
    finally:
        caches["other"].delete("row")
