"""core.statements: a queryset compiled once per connection gives what the ORM gives, with each run's values."""

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from chat.models import Message, Participant
from core.statements import Statement
from tests import factories
from tests.chat.helpers import group, say

pytestmark = pytest.mark.django_db


def _members(conversation_id):
    return (Participant.objects.filter(conversation_id=conversation_id).select_related("user", "conversation")
            .defer("user__bio", "user__bio_html").annotate(seq=F("conversation__change_seq")).order_by("id"))


MEMBERS = Statement(Participant, _members)
LATER = Statement(Message, lambda conversation_id, after: (
    Message.objects.filter(conversation_id=conversation_id, id__gt=after).order_by("id").values_list("id", "body")))


def test_objects_are_the_orms_with_their_related_objects_annotations_and_deferred_fields(monkeypatch):
    first, second, third = (factories.UserFactory() for _ in range(3))
    one, other = group(first, second, title="One"), group(first, second, third, title="Other")
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k))
    for conversation in (one, other, one):
        with CaptureQueriesContext(connection) as queries:
            rows = MEMBERS.rows(conversation.pk)
        assert len(queries) == 1
        expected = list(_members(conversation.pk))
        assert [(r.pk, r.user.full_name, r.conversation.title, r.seq, r.role, r.joined_at) for r in rows] == [
            (r.pk, r.user.full_name, r.conversation.title, r.seq, r.role, r.joined_at) for r in expected]
        assert all(row.get_deferred_fields() == set() and row.user.get_deferred_fields() == {"bio", "bio_html"}
                   for row in rows)
    compiled.clear()
    MEMBERS.rows(other.pk)
    assert compiled == []  # compiled once for the connection
    first.full_name = "Renamed Member"
    first.save()
    assert "Renamed Member" in [row.user.full_name for row in MEMBERS.rows(one.pk)]  # read afresh each time


def test_values_list_rows_and_several_arguments_in_their_places():
    first, second = factories.UserFactory(), factories.UserFactory()
    conversation = group(first, second)
    messages = say(first, conversation, "one", "two", "three")
    assert LATER.rows(conversation.pk, messages[0].pk) == [(messages[1].pk, "two"), (messages[2].pk, "three")]
    assert LATER.rows(conversation.pk, messages[2].pk) == []
    assert LATER.rows(conversation.pk + 1000, 0) == []


def test_an_argument_that_is_not_a_parameter_is_refused():
    unused = Statement(Message, lambda conversation_id, limit: Message.objects.filter(
        conversation_id=conversation_id)[:limit])
    with pytest.raises(ValueError, match="not parameters"):
        unused.rows(1, 5)
