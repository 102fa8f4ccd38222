"""Two admins demoting (or removing) each other at the same moment: the row locks are taken in one fixed
order, so one succeeds, the other is told the organisation must keep an administrator, and there is no
deadlock (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts import services
from accounts.models import Membership
from core.errors import Conflict
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def _at_once(*calls) -> list[BaseException | None]:
    start = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            start.wait()
            call()
        except BaseException as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("round_", range(ROUNDS))
@pytest.mark.parametrize("how", ["demote", "remove"])
def test_two_admins_acting_on_each_other_at_once_leave_one_admin_and_no_database_error(round_, how):
    organisation = factories.OrganisationFactory()
    first = factories.MembershipFactory(organisation=organisation, role="admin")
    second = factories.MembershipFactory(organisation=organisation, role="admin")

    def act(actor: Membership, on: Membership):
        if how == "demote":
            return lambda: services.change_member_role(actor=actor.user, organisation=organisation,
                                                       membership_id=on.pk, role="member")
        return lambda: services.remove_member(actor=actor.user, organisation=organisation, membership_id=on.pk)

    outcomes = _at_once(act(first, second), act(second, first))
    errors = [o for o in outcomes if o is not None]
    assert all(isinstance(e, (ValidationError, PermissionDenied)) for e in errors), errors
    assert len(errors) == 1
    assert Membership.objects.filter(organisation=organisation, role="admin", status="active").count() == 1


def test_a_request_to_join_submitted_twice_at_once_is_recorded_once():
    organisation = factories.OrganisationFactory()
    member = factories.UserFactory()
    outcomes = _at_once(*[lambda: services.request_membership(user=member, organisation=organisation)] * 2)
    assert [type(o) for o in outcomes if o is not None] == [Conflict]
    assert Membership.objects.filter(user=member, organisation=organisation).count() == 1
