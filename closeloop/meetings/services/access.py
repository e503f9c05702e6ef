"""Who may change a meeting: one check shared by the planning and the notice services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from closeloop.meetings.choices import MeetingState
from closeloop.meetings.selectors import person_can_edit


def require_editor(actor, meeting):
    if not person_can_edit(actor, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators can change this meeting."))
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"state": _("This meeting is cancelled and can no longer be changed.")})
