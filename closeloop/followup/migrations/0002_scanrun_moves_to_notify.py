# The scan bookkeeping moves to the notify app, whose worker runs every app's scans; the table stays.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ScanRun')],
            database_operations=[],
        ),
    ]
