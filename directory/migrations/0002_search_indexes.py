"""GIN indexes on the stored search vectors: PostgreSQL only, so that migrate still runs on SQLite."""

from django.db import migrations

GIN_INDEXES = [
    ("practice_search_gin", "directory_practice"),
    ("resource_search_gin", "directory_resource"),
]


def create_gin_indexes(apps, schema_editor):
    # SQLite has no GIN indexes and no tsvector: its search is the plain fallback, so it needs no index.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in GIN_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector)")


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in GIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]
