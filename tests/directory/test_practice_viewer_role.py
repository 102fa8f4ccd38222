"""The practice page reads the viewer's role in the lead organisation with the practice itself (one query for
both): the organisation's admins get the workflow, other members and outsiders do not, and a role that changes
shows on the next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lead_organisations_admin_gets_the_workflow_and_others_do_not_without_a_membership_query(member):
    author = author_with_organisation(role="admin")
    practice = make_practice(author=author, status="published", title="Language cafes")
    colleague = factories.UserFactory()
    factories.MembershipFactory(user=colleague, organisation=practice.organisation, role="member")
    for user, sees in [(author, True), (colleague, False), (member, False)]:
        with CaptureQueriesContext(connection) as queries:
            html = _client(user).get(practice.get_absolute_url()).content.decode()
        assert ('data-testid="workflow"' in html) is sees
        assert not any(q["sql"].startswith('SELECT "accounts_membership"') for q in queries)


def test_a_role_given_or_taken_shows_on_the_next_request_and_a_draft_stays_hidden_from_others(member):
    author = author_with_organisation(role="admin")
    draft = make_practice(author=author, status="draft", title="Welcome desks")
    colleague = factories.UserFactory()
    membership = factories.MembershipFactory(user=colleague, organisation=draft.organisation, role="member")
    assert _client(colleague).get(draft.get_absolute_url()).status_code == 404
    Membership.objects.filter(pk=membership.pk).update(role="admin")
    assert 'data-testid="workflow"' in _client(colleague).get(draft.get_absolute_url()).content.decode()
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.PENDING)
    assert _client(colleague).get(draft.get_absolute_url()).status_code == 404
    assert _client(member).get(draft.get_absolute_url()).status_code == 404
    assert Client().get(draft.get_absolute_url()).status_code in (302, 404)
