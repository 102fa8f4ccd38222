"""The demo clearinghouse: believable, broad enough to browse, and loaded only once."""

import pytest
from django.core.management import call_command

from directory.models import Practice, Replication, Resource

pytestmark = pytest.mark.django_db


def test_the_demo_clearinghouse_spans_areas_and_countries_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Practice.objects.filter(status="published")
    assert published.count() >= 25
    assert published.values("country").distinct().count() >= 12
    assert set(published.values_list("policy_areas__code", flat=True)) == {"socio-economic", "legal-political",
                                                                          "cultural"}
    assert Practice.objects.filter(status="submitted").count() >= 3
    assert Resource.objects.count() >= 10
    paper = Resource.objects.get(kind="research", title__startswith="Migration and the labour market")
    assert paper.file_type == "pdf" and paper.file.read(5) == b"%PDF-"
    assert Resource.objects.filter(kind="programme", title__icontains="roundtable").exists()
    counts = (Practice.objects.count(), Resource.objects.count(), Replication.objects.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Practice.objects.count(), Resource.objects.count(), Replication.objects.count()) == counts
