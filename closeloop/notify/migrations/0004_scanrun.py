# ScanRun comes from the follow-up app with its table (followup_scanrun); nothing is created.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0003_channels'),
        ('followup', '0002_scanrun_moves_to_notify'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScanRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, unique=True, verbose_name='scan')),
                        ('next_run_at', models.DateTimeField(verbose_name='next run at')),
                        ('last_started_at', models.DateTimeField(blank=True, null=True, verbose_name='last started at')),
                        ('last_finished_at', models.DateTimeField(blank=True, null=True, verbose_name='last finished at')),
                        ('last_count', models.PositiveIntegerField(default=0, verbose_name='notifications queued by the last run')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('runs', models.PositiveIntegerField(default=0, verbose_name='runs')),
                    ],
                    options={
                        'db_table': 'followup_scanrun',
                        'verbose_name': 'scheduled scan',
                        'verbose_name_plural': 'scheduled scans',
                        'ordering': ['name'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
