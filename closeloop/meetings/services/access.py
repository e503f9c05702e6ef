"""Who may change a meeting: one check shared by the planning and the notice services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from closeloop.lib.hooks import Hook
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.selectors import person_can_edit

# agenda_locked(meeting) -> bool: the minutes app says True once a version of the minutes went out.
agenda_locked = Hook("agenda_locked", default=lambda meeting: False)


def require_editor(actor, meeting):
    if not person_can_edit(actor, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators can change this meeting."))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"state": _("This meeting is cancelled and can no longer be changed.")})


def require_agenda_open(actor, meeting):
    """The meeting's fields and topics: as require_editor, and closed once the minutes went out."""
    require_editor(actor, meeting)
    if agenda_locked(meeting):
        raise ValidationError({"state": _("The minutes of this meeting are distributed, so its agenda is read-only; "
                                          "a change goes through a correction of the minutes.")})
