"""Practices and resources: the stored vector is kept by a trigger (it was rebuilt by the services, and
missed by every other write path), in the language's configuration; the GIN
indexes are renamed with the others (<table>_search_gin). PostgreSQL only; backfilled here."""


from django.db import migrations

from core.search import drop_vector_trigger_sql, run_on_postgres, vector_trigger_sql

PRACTICE_TEXT = {"A": ["title"], "B": ["summary"],
                 "C": ["issue", "how_it_works", "results", "lessons", "transferability", "city"]}
RESOURCE_TEXT = {"A": ["title"], "B": ["summary"], "C": ["authors"]}
OLD_INDEXES = ["DROP INDEX IF EXISTS practice_search_gin", "DROP INDEX IF EXISTS resource_search_gin"]


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_content_language_choices'),
        ('core', '0010_search_config'),
    ]

    operations = [
        migrations.RunPython(
            run_on_postgres(lambda: OLD_INDEXES,
                            lambda: vector_trigger_sql("directory_practice", PRACTICE_TEXT, "language"),
                            lambda: vector_trigger_sql("directory_resource", RESOURCE_TEXT, "language")),
            run_on_postgres(lambda: drop_vector_trigger_sql("directory_practice"),
                            lambda: drop_vector_trigger_sql("directory_resource"))),
    ]
