# The working calendar's models move to the workcal app; their tables stay where they are.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_policy_record_rules'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CalendarDay'),
                migrations.DeleteModel(name='CalendarYear'),
            ],
            database_operations=[],
        ),
    ]
