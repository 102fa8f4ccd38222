"""Forum topics' stored vector is kept by a trigger in the topic's language (it was English for every topic,
rebuilt by the services), backfilled here; its GIN index is renamed with the others (<table>_search_gin).
Posts keep theirs. PostgreSQL only."""

from django.db import migrations

from core.search import drop_vector_trigger_sql, run_on_postgres, vector_trigger_sql

TEXT = {"A": ["title"]}


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0007_content_language"),
        ("core", "0010_search_config"),
    ]

    operations = [
        migrations.RunPython(
            run_on_postgres(lambda: ["DROP INDEX IF EXISTS forums_topic_search"],
                            lambda: vector_trigger_sql("forums_topic", TEXT, "language")),
            run_on_postgres(lambda: drop_vector_trigger_sql("forums_topic"))),
    ]
