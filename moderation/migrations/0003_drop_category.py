# The second half of 0002: the forum category columns go, the tables take this app's names.

from django.conf import settings
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0002_generic_scope'),
    ]

    operations = [
        migrations.RemoveField(model_name='report', name='category'),
        migrations.RemoveField(model_name='moderationlogentry', name='category'),
        migrations.AlterField(
            model_name='report',
            name='reporter',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports_filed', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterModelTable(name='report', table=None),
        migrations.AlterModelTable(name='moderationlogentry', table=None),
    ]
