"""Requests for support get a stored search vector (title A, needs and city B, "simple": their language is
not recorded), filled by a trigger on PostgreSQL, backfilled here and GIN-indexed: their search no longer
builds a vector per row per request. SQLite keeps a NULL column (its plain fallback)."""

import django.contrib.postgres.search
from django.db import migrations

from core.search import drop_vector_trigger_sql, run_on_postgres, vector_trigger_sql

TEXT = {"A": ["title"], "B": ["needs", "city"]}


class Migration(migrations.Migration):
    dependencies = [
        ("expertise", "0002_chinese_work_language"),
        ("core", "0010_search_config"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run_on_postgres(lambda: vector_trigger_sql("expertise_supportrequest", TEXT)),
                             run_on_postgres(lambda: drop_vector_trigger_sql("expertise_supportrequest"))),
    ]
