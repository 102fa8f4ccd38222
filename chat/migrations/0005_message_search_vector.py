"""Message search reads each message's stored vector instead of computing it for every message of the member's
conversations on every search: `chat_message.search_vector`, kept by core.search's trigger and GIN-indexed, in
place of the expression index of 0002. PostgreSQL only (SQLite searches with a plain filter).

The column is not a model field: every chat page and socket frame reads messages, and none of them should fetch
the vector; chat.selectors.search_messages names it."""

from django.db import migrations

from core.search import drop_vector_trigger_sql, run_on_postgres, vector_trigger_sql

TEXT = {"A": ["body"]}
EXPRESSION_INDEX = ("CREATE INDEX IF NOT EXISTS chat_message_search ON chat_message "
                    "USING GIN (to_tsvector('simple'::regconfig, COALESCE(body, '')))")


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0004_admin_labels"),
    ]

    operations = [
        migrations.RunPython(
            run_on_postgres(lambda: ["ALTER TABLE chat_message ADD COLUMN IF NOT EXISTS search_vector tsvector",
                                     "DROP INDEX IF EXISTS chat_message_search"],
                            lambda: vector_trigger_sql("chat_message", TEXT)),
            run_on_postgres(lambda: drop_vector_trigger_sql("chat_message"),
                            lambda: ["ALTER TABLE chat_message DROP COLUMN IF EXISTS search_vector", EXPRESSION_INDEX])),
    ]
