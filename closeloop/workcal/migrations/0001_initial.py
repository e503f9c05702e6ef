# The models come from the org app with their tables (org_calendarday, org_calendaryear); nothing is created.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0003_calendar_moves_to_workcal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveIntegerField(verbose_name='year')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='source')),
                        ('imported_at', models.DateTimeField(auto_now=True, verbose_name='imported at')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_years', to='org.organisation')),
                    ],
                    options={
                        'db_table': 'org_calendaryear',
                        'verbose_name': 'calendar year',
                        'verbose_name_plural': 'calendar years',
                        'constraints': [models.UniqueConstraint(fields=('organisation', 'year'), name='calendar_year_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('kind', models.CharField(choices=[('workday', 'Working day'), ('holiday', 'Holiday')], max_length=10, verbose_name='kind')),
                        ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                        ('imported', models.BooleanField(default=False, verbose_name='imported')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_days', to='org.organisation')),
                    ],
                    options={
                        'db_table': 'org_calendarday',
                        'verbose_name': 'calendar day',
                        'verbose_name_plural': 'calendar days',
                        'ordering': ['date'],
                        'constraints': [models.UniqueConstraint(fields=('organisation', 'date'), name='calendar_day_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
