# A report or log entry belongs to a generic moderation scope instead of a forum category, so moderation
# knows no feature app's model; the forum category of existing rows becomes their scope. The tables take
# this app's names (0003: in its own transaction, as PostgreSQL
# alters no table with the row updates' checks still pending).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def categories_to_scopes(apps, schema_editor):
    Report = apps.get_model("moderation", "Report")
    Entry = apps.get_model("moderation", "ModerationLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not (Report.objects.filter(category__isnull=False).exists()
            or Entry.objects.filter(category__isnull=False).exists()):
        return
    category_type, _ = ContentType.objects.get_or_create(app_label="forums", model="category")
    for report in Report.objects.filter(category__isnull=False):
        Report.objects.filter(pk=report.pk).update(scope_type=category_type, scope_id=report.category_id)
    for entry in Entry.objects.filter(category__isnull=False).select_related("category"):
        Entry.objects.filter(pk=entry.pk).update(scope_type=category_type, scope_id=entry.category_id,
                                                 scope_label=entry.category.name[:200])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('moderation', '0001_initial'),
        ('forums', '0003_moderation_moved'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='scope_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='report',
            name='scope_id',
            field=models.PositiveBigIntegerField(blank=True, help_text='Where the content is (a forum category, ...): its own moderators may resolve the report.', null=True),
        ),
        migrations.AddField(
            model_name='moderationlogentry',
            name='scope_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='moderationlogentry',
            name='scope_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='moderationlogentry',
            name='scope_label',
            field=models.CharField(blank=True, help_text='Where it happened, as it read then.', max_length=200),
        ),
        migrations.RunPython(categories_to_scopes, migrations.RunPython.noop),
    ]
