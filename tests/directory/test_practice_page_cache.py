"""A member's practice page keeps its parts as cards (templates/directory/practice_detail.html): the head, the
workflow, the body with its relations, the replications with the member's own buttons and form. An edit shows on
the next request in every language; one member's buttons and organisations are never shown to another; a kept
form posts with each member's own token."""

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from directory import services
from directory.models import TargetGroup
from tests import factories
from tests.cached_pages import browser as _browser
from tests.cached_pages import page as _page
from tests.cached_pages import seen as _seen
from tests.directory.factories import author_with_organisation, make_practice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rendered_cache")]


@pytest.fixture
def author(db):
    return author_with_organisation(role="admin")


@pytest.fixture
def practice(author):
    return make_practice(author=author, status="published", title="Co-housing in Utrecht")


def test_an_edit_of_the_practice_shows_at_once_on_a_members_page(member, author, practice):
    browser, url = _browser(member), practice.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    partner = factories.OrganisationFactory(name="Partner Cities Network", verified=True)
    target = TargetGroup.objects.create(slug="young-newcomers", name="Young newcomers")
    services.update_practice(actor=author, practice=practice, summary="Shared flats for newcomers and students.",
                             how_it_works="Students **mentor** their flatmates.", partners=[partner],
                             target_groups=[target])
    assert _seen(browser, url, "Shared flats for newcomers and students.")
    assert _seen(browser, url, "<strong>mentor</strong>")
    assert _seen(browser, url, "Partner Cities Network")
    assert _seen(browser, url, "Young newcomers")
    assert _seen(browser, url, reverse("directory:practice-history", args=[practice.slug]))


def test_the_lead_organisations_new_name_shows_at_once(member, author, practice):
    browser, url = _browser(member), practice.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    accounts_services.update_organisation(actor=author, organisation=practice.organisation, name="Utrecht Housing Lab")
    assert _seen(browser, url, "Utrecht Housing Lab")


def test_a_replication_shows_at_once_and_only_its_recorder_and_the_editors_may_remove_it(member, author, practice):
    url = practice.get_absolute_url()
    other = factories.UserFactory()
    for user in (member, other, author):
        _page(_browser(user), url), _page(_browser(user), url, "fr")
    services.record_replication(actor=member, practice=practice, place="Ghent", country="BE")
    remove = reverse("directory:replication-remove", args=[practice.slug, practice.replications.get().pk])
    assert _seen(_browser(member), url, "Ghent") and _seen(_browser(member), url, remove)
    assert _seen(_browser(author), url, remove)
    assert _seen(_browser(other), url, "Ghent")
    assert not any(remove in _page(_browser(other), url, language) for language in ("en", "fr"))


def test_the_replication_form_offers_each_member_their_own_organisations_and_token(member, practice):
    other = factories.UserFactory()
    factories.MembershipFactory(user=other, organisation=factories.OrganisationFactory(name="Ghent Welcome Desk"))
    url = practice.get_absolute_url()
    for user in (other, member):  # the member's page, the second one from the cache, posts with their own token
        browser = _browser(user)
        _page(browser, url)
        page = _page(browser, url)
        assert ("Ghent Welcome Desk" in page) == (user == other)
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        answer = browser.post(reverse("directory:replication-add", args=[practice.slug]),
                              {"csrfmiddlewaretoken": token, "place": f"Town of {user.pk}", "country": "BE"})
        assert answer.status_code == 302, f"{user}: {answer.status_code}"
        assert _seen(browser, url, f"Town of {user.pk}")


def test_a_new_membership_shows_in_the_members_replication_form_at_once(member, practice):
    browser, url = _browser(member), practice.get_absolute_url()
    _page(browser, url), _page(browser, url, "fr")
    organisation = factories.OrganisationFactory(name="Leuven Newcomers Office")
    admin = factories.UserFactory()
    factories.MembershipFactory(user=admin, organisation=organisation, role="admin")
    membership = accounts_services.request_membership(user=member, organisation=organisation)
    accounts_services.approve_membership(actor=admin, organisation=organisation, membership_id=membership.pk)
    assert _seen(browser, url, "Leuven Newcomers Office")
