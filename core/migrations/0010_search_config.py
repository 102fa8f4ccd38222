"""crossroads_search_config(language): the text-search configuration of a content language, for the triggers
that keep every searched table's stored vector current (PostgreSQL only; see core/search.py)."""

from django.db import migrations

from core.search import SQL_CONFIG_FUNCTION, config_function_sql, run_on_postgres


class Migration(migrations.Migration):
    dependencies = [("core", "0009_notification_params_from_titles")]

    operations = [
        migrations.RunPython(run_on_postgres(lambda: [config_function_sql()]),
                             run_on_postgres(lambda: [f"DROP FUNCTION IF EXISTS {SQL_CONFIG_FUNCTION}(text)"])),
    ]
