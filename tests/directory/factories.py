"""Factories for the directory's tests: practices and resources in any state, built through the services."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organisation, User
from core.models import PolicyArea, Topic
from directory import services
from directory.models import Practice, Resource, TargetGroup
from tests import factories

# The smallest valid PDF: a header, one empty page, a cross-reference table and a trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)

PRACTICE_FIELDS = {
    "summary": "Newcomers and long-time residents share a flat and learn the language together.",
    "issue": "Newly arrived refugees live isolated in reception centres.",
    "how_it_works": "Young locals and refugees share **co-housing** units with weekly language evenings.",
    "results": "Most participants found work or training within two years.",
    "start_year": 2017,
    "country": "NL",
    "city": "Utrecht",
    "level": "local",
    "language": "en",
}


def author_with_organisation(organisation: Organisation | None = None, role: str = "member") -> User:
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organisation=organisation or factories.OrganisationFactory(), role=role)
    return user


def make_practice(*, author: User | None = None, organisation: Organisation | None = None, status: str = "draft",
                  moderator: User | None = None, areas: tuple[str, ...] = ("socio-economic",),
                  topics: tuple[str, ...] = (), targets: tuple[str, ...] = (), **fields) -> Practice:
    """A practice written through the services and moved to `status` as a moderator would."""
    if author is None:
        author = author_with_organisation(organisation)
    if organisation is None:
        organisation = author.memberships.first().organisation
    data = {**PRACTICE_FIELDS, "title": factory.Faker("sentence", nb_words=5).evaluate(None, None, {"locale": None})}
    data.update(fields)
    practice = services.create_practice(
        author=author, organisation=organisation,
        policy_areas=PolicyArea.objects.filter(code__in=areas), topics=Topic.objects.filter(slug__in=topics),
        target_groups=TargetGroup.objects.filter(slug__in=targets), **data)
    if status in ("submitted", "published", "returned"):
        services.submit_practice(actor=author, practice=practice)
    if status in ("published", "returned"):
        moderator = moderator or factories.ModeratorFactory()
        if status == "published":
            services.publish_practice(actor=moderator, practice=practice)
        else:
            services.return_practice(actor=moderator, practice=practice, reason="Add the results, please.")
    practice.refresh_from_db()
    return practice


def pdf_upload(name: str = "report.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_resource(*, actor: User | None = None, publisher: Organisation | None = None, upload=None,
                  areas: tuple[str, ...] = ("socio-economic",), **fields) -> Resource:
    if actor is None:
        actor = author_with_organisation(publisher)
    if publisher is None:
        publisher = actor.memberships.first().organisation
    data = {"title": factory.Faker("sentence", nb_words=4).evaluate(None, None, {"locale": None}),
            "kind": "research", "year": 2023, "language": "en",
            "summary": "A study of how cities welcome newcomers.", "url": "https://example.org/study"}
    data.update(fields)
    return services.add_resource(actor=actor, publisher=publisher, upload=upload,
                                 policy_areas=PolicyArea.objects.filter(code__in=areas), **data)
