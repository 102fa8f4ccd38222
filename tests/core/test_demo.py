from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from directory.models import Practice
from events.models import Event
from moderation.permissions import is_moderator

pytestmark = pytest.mark.django_db


def test_demo_data_builds_a_believable_network_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    assert Organisation.objects.filter(verified=True).count() >= 30
    assert Organisation.objects.values("country").distinct().count() >= 12
    assert User.objects.count() >= 60
    for role in ("admin", "organiser", "member"):
        assert Membership.objects.filter(role=role, status="active").exists()
    assert is_moderator(User.objects.get(email="moderator@demo.crossroads.example"))
    # Members who use the platform in French, Spanish and Arabic; practices in several languages, linked; an
    # event whose page is in French.
    for language in ("fr", "es", "ar"):
        assert User.objects.filter(language=language, email__endswith="@demo.crossroads.example").exists()
    assert User.objects.get(email="newcomer@demo.crossroads.example").language == "ar"
    versions = Practice.objects.filter(translation_of__isnull=False, status="published")
    assert set(versions.values_list("language", flat=True)) == {"fr", "es", "ar"}
    einstein = Practice.objects.get(title__startswith="Plan Einstein", translation_of=None)
    assert sorted(einstein.translations.values_list("language", flat=True)) == ["ar", "fr"]
    assert einstein.translations.get(language="ar").title.startswith("خطة أينشتاين")
    french_event = Event.objects.get(language="fr")
    assert french_event.title.startswith("Discriminations à l’embauche") and "Au programme" in french_event.description
    assert not Event.objects.exclude(pk=french_event.pk).exclude(language="en").exists()
    counts = (*counts, Practice.objects.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count(),
            Practice.objects.count()) == counts

    # The README names the generated members as they are.
    generated = sorted(User.objects.filter(email__regex=r"^member[0-9]+@").values_list("email", flat=True))
    assert generated == [f"member{n:02d}@demo.crossroads.example" for n in [1, *range(3, 56)]]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "`member01` and `member03` … `member55@demo.crossroads.example`" in readme


@pytest.mark.django_db(transaction=True)
def test_building_the_demo_mails_nobody():
    # Committed for real, so the notifications' on-commit mails would go out if anything sent them.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Organisation.objects.filter(verified=True).exists()
    assert mail.outbox == []
