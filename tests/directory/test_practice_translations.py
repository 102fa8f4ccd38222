"""A practice in other languages: members write versions of a published original ("Translate this practice"),
reviewed like any practice; at most one per language; both pages link to each other ("Also in: Français"), each
version named in itself; the API exposes the link. Permissions are tried from outside. Resources have versions
too, added by their publisher's members (resources go into the library unreviewed)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from directory import services
from directory.models import Practice, Resource
from tests import factories
from tests.directory.factories import author_with_organisation, make_practice, make_resource
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

FRENCH = {"title": "Cafés de langue", "summary": "Voisins et nouveaux arrivants se retrouvent chaque semaine.",
          "how_it_works": "Des bénévoles animent des tables de conversation dans les bibliothèques."}


@pytest.fixture
def original():
    return make_practice(status="published", language="en", title="Language cafés",
                         topics=("housing",), targets=("youth",))


def _translate(translator, original, language="fr", **texts):
    return services.translate_practice(translator=translator, original=original, language=language,
                                       **(texts or FRENCH))


def test_a_member_translates_from_the_page_a_moderator_publishes_and_both_pages_link_each_other(client, original):
    translator = factories.UserFactory(language="fr")  # a member of no organisation of the practice's
    client.force_login(translator)
    page = client.get(original.get_absolute_url()).content.decode()
    translate = reverse("directory:practice-translate", args=[original.slug])
    assert f'<a href="{translate}">' in page  # "Translate this practice", in French for this member
    form = client.get(translate).content.decode()
    assert '<option value="fr" selected>' in form and '<option value="en"' not in form
    response = client.post(translate, {**FRENCH, "language": "fr", "submit": "1"})
    version = Practice.objects.get(translation_of=original)
    assert response["Location"] == version.get_absolute_url()
    assert version.status == "submitted" and version.language == "fr" and version.author == translator
    assert (version.organisation, version.country, version.start_year) == (
        original.organisation, original.country, original.start_year)
    assert set(version.topics.values_list("slug", flat=True)) == {"housing"}
    assert "Also in" not in client.get(original.get_absolute_url()).content.decode()  # not yet published

    moderator = factories.ModeratorFactory()
    client.force_login(moderator)
    assert "Cafés de langue" in client.get(reverse("directory:review-queue")).content.decode()
    client.post(reverse("directory:practice-publish", args=[version.slug]))
    version.refresh_from_db()
    assert version.status == "published"

    client.logout()
    page = client.get(original.get_absolute_url()).content.decode()
    assert (f'Also in: <a href="{version.get_absolute_url()}" lang="fr" hreflang="fr">Français</a>') in page
    assert f'<link rel="alternate" hreflang="fr" href="{settings.SITE_URL}{version.get_absolute_url()}">' in page
    page = client.get(version.get_absolute_url()).content.decode()
    assert f'Also in: <a href="{original.get_absolute_url()}" lang="en" hreflang="en">English</a>' in page
    assert '<h1 lang="fr">Cafés de langue</h1>' in page and "Translate this practice" not in page


def test_there_is_at_most_one_version_per_language(client, original):
    _translate(factories.UserFactory(), original)
    other = factories.UserFactory()
    with pytest.raises(ValidationError) as refused:
        _translate(other, original)
    assert "language" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _translate(other, original, language="en", title="Language cafés again", summary="The same.")
    client.force_login(other)
    response = client.post(reverse("directory:practice-translate", args=[original.slug]),
                           {**FRENCH, "language": "fr"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    copy = Practice.objects.get(translation_of=original)
    copy.pk, copy.slug = None, "a-second-french-version"
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule too
        copy.save()
    assert Practice.objects.filter(translation_of=original).count() == 1


def test_who_may_translate_and_edit_a_version_tried_from_outside(client, original):
    translate = reverse("directory:practice-translate", args=[original.slug])
    # A visitor is sent to log in.
    assert client.get(translate)["Location"].startswith(reverse("account_login"))
    # A member of another organisation translates; the draft is theirs alone (and the original's admins').
    translator = author_with_organisation()
    version = _translate(translator, original)
    other_member = author_with_organisation()
    client.force_login(other_member)
    assert client.get(version.get_absolute_url()).status_code == 404
    assert client.post(reverse("directory:practice-edit", args=[version.slug]), FRENCH).status_code == 404
    client.force_login(translator)
    assert client.get(reverse("directory:practice-edit", args=[version.slug])).status_code == 200
    # A member of the original's organisation who did not write either cannot edit the version.
    colleague = author_with_organisation(original.organisation)
    with pytest.raises(PermissionDenied):
        services.update_practice(actor=colleague, practice=version, title="Changed")
    # Only moderators publish it.
    services.submit_practice(actor=translator, practice=version)
    with pytest.raises(PermissionDenied):
        services.publish_practice(actor=translator, practice=version)
    services.publish_practice(actor=factories.ModeratorFactory(), practice=version)
    # A version is not translated again (its original is); a draft is not translated at all.
    client.force_login(other_member)
    assert client.get(reverse("directory:practice-translate", args=[version.slug])).status_code == 403
    draft = make_practice(status="draft")
    assert client.get(reverse("directory:practice-translate", args=[draft.slug])).status_code == 404
    with pytest.raises(PermissionDenied):
        _translate(other_member, draft)


def test_the_api_links_an_original_and_its_versions_without_a_query_per_practice(client, original):
    version = _translate(factories.UserFactory(), original)
    services.submit_practice(actor=version.author, practice=version)
    services.publish_practice(actor=factories.ModeratorFactory(), practice=version)
    data = client.get(reverse("api-practice", args=[original.slug])).json()
    assert data["translation_of"] is None
    assert data["translations"] == [{"language": "fr", "slug": version.slug, "url": version.get_absolute_url()}]
    assert client.get(reverse("api-practice", args=[version.slug])).json()["translation_of"] == original.slug

    def add(n: int) -> None:
        for i in range(n):
            practice = make_practice(status="published", title=f"Practice {i}")
            translated = _translate(factories.UserFactory(), practice, language="es",
                                    title=f"Práctica {i}", summary="Un resumen.")
            services.submit_practice(actor=translated.author, practice=translated)
            services.publish_practice(actor=factories.ModeratorFactory(), practice=translated)

    assert_queries_do_not_grow(client, reverse("api-practices"), add, more=3)


# --- Resources: versions in other languages, added by the publisher's members (resources go in unreviewed) ---


def test_a_publishers_member_adds_a_resource_in_another_language_and_both_pages_link_each_other(client):
    original = make_resource(title="Welcome guide for newcomers", language="en", url="https://example.org/guide")
    member = author_with_organisation(original.publisher)
    client.force_login(member)
    translate = reverse("directory:resource-translate", args=[original.slug])
    assert f'<a href="{translate}">' in client.get(original.get_absolute_url()).content.decode()
    response = client.post(translate, {"language": "es", "title": "Guía de acogida para recién llegados",
                                       "summary": "Todo lo que hay que saber al llegar.", "authors": "",
                                       "url": "https://example.org/guia"})
    version = Resource.objects.get(translation_of=original)
    assert response["Location"] == version.get_absolute_url()
    assert (version.language, version.publisher, version.kind, version.year) == ("es", original.publisher,
                                                                                 original.kind, original.year)
    client.logout()
    page = client.get(original.get_absolute_url()).content.decode()
    assert f'Also in: <a href="{version.get_absolute_url()}" lang="es" hreflang="es">Español</a>' in page
    page = client.get(version.get_absolute_url()).content.decode()
    assert f'<a href="{original.get_absolute_url()}" lang="en" hreflang="en">English</a>' in page
    assert '<h1 lang="es">Guía de acogida para recién llegados</h1>' in page
    data = client.get(reverse("api-resource", args=[original.slug])).json()
    assert data["translations"] == [{"language": "es", "slug": version.slug, "url": version.get_absolute_url()}]
    assert client.get(reverse("api-resource", args=[version.slug])).json()["translation_of"] == original.slug
    # One version per language, in the form and in the service.
    with pytest.raises(ValidationError):
        services.translate_resource(actor=member, original=original, language="es", title="Otra", summary="x")


def test_only_the_publishers_members_add_versions_of_a_resource(client):
    original = make_resource(title="Welcome guide", language="en")
    translate = reverse("directory:resource-translate", args=[original.slug])
    assert client.get(translate)["Location"].startswith(reverse("account_login"))  # a visitor logs in first
    outsider = author_with_organisation()  # a member of another organisation
    client.force_login(outsider)
    assert client.get(translate).status_code == 403
    assert "Add a version" not in client.get(original.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        services.translate_resource(actor=outsider, original=original, language="fr", title="Guide", summary="x")
    moderator = factories.ModeratorFactory()
    client.force_login(moderator)  # moderators edit resources, but add none in a publisher's name
    assert client.get(translate).status_code == 403


def test_the_resource_api_lists_versions_without_a_query_per_resource(client):
    def add(n: int) -> None:
        for i in range(n):
            resource = make_resource(title=f"Study {i}", language="en")
            services.translate_resource(actor=resource.added_by, original=resource, language="fr",
                                        title=f"Étude {i}", summary="Une étude.")

    assert_queries_do_not_grow(client, reverse("api-resources"), add, more=3)
