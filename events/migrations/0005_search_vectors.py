"""Events get a stored search vector (title A, summary B, description, venue and city C) in the event's
language, filled by a trigger on PostgreSQL, backfilled here and GIN-indexed: the events list and the site
search no longer scan every event's text with LIKE. SQLite keeps a NULL column (its plain fallback)."""

import django.contrib.postgres.search
from django.db import migrations

from core.search import drop_vector_trigger_sql, run_on_postgres, vector_trigger_sql

TEXT = {"A": ["title"], "B": ["summary"], "C": ["description", "venue", "city"]}


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_content_language"),
        ("core", "0010_search_config"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run_on_postgres(lambda: vector_trigger_sql("events_event", TEXT, "language")),
                             run_on_postgres(lambda: drop_vector_trigger_sql("events_event"))),
    ]
