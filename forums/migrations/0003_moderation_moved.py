# Report and ModerationLogEntry now belong to the moderation app (moderation.0001 took them over with
# their tables and rows); forums only lets go of them in its state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('forums', '0002_search_indexes'),
        ('moderation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Report'),
                migrations.DeleteModel(name='ModerationLogEntry'),
            ],
        ),
    ]
