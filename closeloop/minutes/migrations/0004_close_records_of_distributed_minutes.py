"""Distributing the minutes now closes the meeting's live record. Records left open by minutes distributed
before that rule are closed here, so the record's writes only need to ask when a record is first opened."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def close_records(apps, schema_editor):
    MeetingRecord = apps.get_model("record", "MeetingRecord")
    Minutes = apps.get_model("minutes", "Minutes")
    distributed = Minutes.objects.filter(meeting_id=OuterRef("meeting_id"), distributed_at__isnull=False)
    for record in MeetingRecord.objects.exclude(state="closed").filter(Exists(distributed)):
        out = Minutes.objects.filter(meeting_id=record.meeting_id, distributed_at__isnull=False)
        record.state = "closed"
        record.closed_at = out.order_by("distributed_at").values_list("distributed_at", flat=True).first()
        record.save(update_fields=["state", "closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0003_frozen_state_moves_forward"),
        ("record", "0002_section_revisions"),
    ]
    operations = [migrations.RunPython(close_records, migrations.RunPython.noop)]
