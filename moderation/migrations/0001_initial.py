# Report and ModerationLogEntry move here from forums with their rows: this migration only takes them
# into the moderation app's state, on the forum tables they already have (forums.0003 lets go of them).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('forums', '0002_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ModerationLogEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('action', models.CharField(db_index=True, max_length=40)),
                        ('target_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('target_label', models.CharField(help_text='What was acted on, as it read then.', max_length=300)),
                        ('target_url', models.CharField(blank=True, max_length=500)),
                        ('reason', models.CharField(blank=True, max_length=1000)),
                        ('details', models.JSONField(blank=True, default=dict)),
                        ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forums.category')),
                        ('member', models.ForeignKey(blank=True, help_text='The member whose content or account was acted on.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('moderator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('target_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'moderation log entry',
                        'verbose_name_plural': 'moderation log',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'forums_moderationlogentry',
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target_id', models.PositiveBigIntegerField()),
                        ('reason', models.CharField(max_length=1000)),
                        ('context', models.JSONField(default=dict)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('resolved', 'Resolved')], default='open', max_length=20)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('resolution', models.CharField(blank=True, help_text='The action the moderator took.', max_length=40)),
                        ('outcome_message', models.CharField(blank=True, help_text='What the reporter was told.', max_length=1000)),
                        ('category', models.ForeignKey(blank=True, help_text='For forum content: its category, whose moderators may resolve it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forums.category')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('target_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'ordering': ['created_at', 'id'],
                        'db_table': 'forums_report',
                        'indexes': [models.Index(fields=['status', 'created_at'], name='report_status_created'), models.Index(fields=['target_type', 'target_id'], name='report_target')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('reporter', 'target_type', 'target_id'), name='report_open_once'), models.CheckConstraint(condition=models.Q(('status', 'open'), ('resolved_at__isnull', False), _connector='OR'), name='report_resolved_has_date')],
                    },
                ),
            ],
        ),
    ]
