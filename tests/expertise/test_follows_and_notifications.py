"""Members and organisations follow areas or topics and are told of new requests in them, in the app and by
e-mail as they prefer; invitations carry the request."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from core.models import PolicyArea, Topic
from expertise import services
from tests.expertise.factories import make_request, member_of

pytestmark = pytest.mark.django_db


def test_followers_of_a_topic_or_area_are_told_of_a_new_request_in_the_app_and_by_email_as_they_chose(
        django_capture_on_commit_callbacks):
    by_email = member_of(email_notifications="each")
    app_only = member_of(email_notifications="each")
    digest = member_of(email_notifications="digest")
    unrelated = member_of()
    services.follow(user=by_email, topic=Topic.objects.get(slug="housing"))
    services.follow(user=app_only, policy_area=PolicyArea.objects.get(code="socio-economic"), email=False)
    services.follow(user=digest, topic=Topic.objects.get(slug="housing"))
    services.follow(user=unrelated, topic=Topic.objects.get(slug="media"))
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(topics=["housing"], title="Housing for refugees")
    for person in (by_email, app_only, digest):
        assert person.notifications.get(kind="expertise.new_request").url == request.get_absolute_url()
    assert not unrelated.notifications.exists()
    assert [m.to for m in mail.outbox if "Housing for refugees" in m.subject] == [[by_email.email]]


def test_an_organisations_follow_reaches_its_members_but_not_the_requesters_own_people(
        django_capture_on_commit_callbacks):
    admin = member_of(role="admin")
    organisation = admin.memberships.get().organisation
    colleague = member_of(organisation)
    services.follow(user=admin, organisation=organisation, topic=Topic.objects.get(slug="housing"))
    with django_capture_on_commit_callbacks(execute=True):
        make_request(topics=["housing"])
        make_request(author=colleague, topics=["housing"])
    assert admin.notifications.filter(kind="expertise.new_request").count() == 1
    assert colleague.notifications.filter(kind="expertise.new_request").count() == 1


def test_only_an_organisations_admins_choose_what_it_follows(client):
    plain = member_of()
    organisation = plain.memberships.get().organisation
    with pytest.raises(PermissionDenied):
        services.follow(user=plain, organisation=organisation, topic=Topic.objects.get(slug="housing"))
    client.force_login(plain)
    response = client.post("/expertise/follows/", {"subject": f"topic:{Topic.objects.get(slug='media').pk}",
                                                   "organisation": organisation.pk, "email": "on"})
    assert response.status_code == 200 and response.context["form"].errors.get("organisation")
    client.post("/expertise/follows/", {"subject": f"topic:{Topic.objects.get(slug='media').pk}", "email": "on"})
    assert plain.expertise_follows.get().topic.slug == "media"


def test_the_dashboard_page_lists_new_requests_in_the_areas_i_follow(client):
    me = member_of()
    services.follow(user=me, topic=Topic.objects.get(slug="housing"))
    followed = make_request(topics=["housing"], title="Housing for refugees")
    make_request(topics=["media"], title="Media campaign")
    client.force_login(me)
    page = client.get("/expertise/mine/").content.decode()
    assert followed.title in page and "Media campaign" not in page
