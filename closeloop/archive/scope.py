"""What the archive may look at: the viewer's archived meetings, their time zone and who counts as invited.

Both the reads (selectors.py) and the SQL-counted tree (tree.py) start from here, so neither needs the other.
"""

from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Participant
from closeloop.meetings.selectors import meetings_visible_to


def viewer_tz(person):
    return organisation_tz(person.organisation) if person.organisation_id else timezone.get_default_timezone()


def archived_meetings(person):
    """Visible meetings that have at least one approved version of their minutes: the meeting's `archived` flag,
    which the database keeps (minutes migration 0005), so a year of them is one range of an index."""
    return meetings_visible_to(person).filter(archived=True)


def invited(**where):
    """Invited people who count for the departments: everyone but those only on cc."""
    return Participant.objects.filter(**where).exclude(roles=ParticipantRole.CC)
