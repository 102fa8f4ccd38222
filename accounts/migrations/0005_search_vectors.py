"""Organisations get a stored search vector (name A, description B, city C, "simple"), filled by a trigger
on PostgreSQL, backfilled here and GIN-indexed: the directory's search no longer builds a vector per row
per request. SQLite keeps a NULL column (its search is the plain fallback)."""

import django.contrib.postgres.search
from django.db import migrations

from core.search import drop_vector_trigger_sql, run_on_postgres, vector_trigger_sql

TEXT = {"A": ["name"], "B": ["description"], "C": ["city"]}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_interface_languages"),
        ("core", "0010_search_config"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run_on_postgres(lambda: vector_trigger_sql("accounts_organisation", TEXT)),
                             run_on_postgres(lambda: drop_vector_trigger_sql("accounts_organisation"))),
    ]
