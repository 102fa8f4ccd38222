"""GIN indexes for full-text search on PostgreSQL; SQLite has no GIN and searches with a plain filter."""

from django.db import migrations


class PostgresOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on databases other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [
        PostgresOnlyRunSQL(
            sql=[
                "CREATE INDEX forums_topic_search ON forums_topic USING GIN (search_vector)",
                "CREATE INDEX forums_post_search ON forums_post USING GIN (search_vector)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS forums_topic_search",
                "DROP INDEX IF EXISTS forums_post_search",
            ],
        ),
    ]
