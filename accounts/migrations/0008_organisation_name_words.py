"""Organisations' names get a GIN index of their words ("simple"), apart from the whole search vector: an event is
found by its organisers' names (events.selectors) without reading the vectors, descriptions included, of every
organisation a common word matches. PostgreSQL only, like the vectors (0005)."""

from django.db import migrations

from core.search import run_on_postgres

INDEX = "accounts_organisation_name_gin"


def create() -> list[str]:
    return [f"CREATE INDEX IF NOT EXISTS {INDEX} ON accounts_organisation "
            "USING gin (to_tsvector('simple'::regconfig, name))"]


def drop() -> list[str]:
    return [f"DROP INDEX IF EXISTS {INDEX}"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_organisation_name_order")]

    operations = [migrations.RunPython(run_on_postgres(create), run_on_postgres(drop))]
