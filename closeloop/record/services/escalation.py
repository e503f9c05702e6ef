"""A disagreement escalated for a ruling (提请上级裁决) becomes an action item for the named decider, due when
the path says, and the decider is told. The decider records the ruling on its page (or marks the item done with
the ruling as its note): that closes the disagreement, the host and the recorder hear of it, and the minutes
show the ruling.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.actions.choices import ItemStatus
from closeloop.actions.services import items as actions
from closeloop.audit.services import audit_record
from closeloop.meetings.choices import ParticipantRole
from closeloop.notify.fanout import tell


def ruling_task(dis):
    return _("Decide on the escalated disagreement “%(subject)s”") % {"subject": dis.subject[:120]}


def ruling_deliverable():
    return _("Your ruling: record it on the ruling page (or as the note when you mark this item done). It "
             "closes the disagreement and shows on the minutes.")


def ruling_url(dis):
    return reverse("record:ruling", args=[dis.pk])


def tell_decider(meeting, dis, item):
    """Once per disagreement and decider: what to decide, by when, and the link to the item."""

    def compose():
        values = {"subject": dis.subject[:200], "title": meeting.title, "due": item.due or "—"}
        lines = [_("The meeting “%(title)s” escalated a disagreement to you for a ruling: %(subject)s") % values]
        if dis.positions:
            lines.append(_("Positions: %(positions)s") % {"positions": dis.positions})
        lines.append(_("Please decide by %(due)s, and record your ruling on the page this message links to.")
                     % values)
        return _("A disagreement awaits your ruling: %(subject)s") % values, lines

    return tell(person=dis.escalate_to, kind="escalation.disagreement",
                key=f"record.escalated:{dis.pk}:{dis.escalate_to_id}",
                link=ruling_url(dis), compose=compose)


def escalation_data(dis):
    return {"task": ruling_task(dis), "owner": dis.escalate_to, "due": dis.due, "deliverable": ruling_deliverable()}



def _tell_of_ruling(dis, decider, ruling):
    """The host(s) and the recorder hear the ruling: the minutes and the follow-up depend on it."""
    meeting = dis.record.meeting
    people = {p.person_id: p.person for p in meeting.participants.filter(person__is_active=True)
              .select_related("person") if p.has_role(ParticipantRole.HOST) or p.has_role(ParticipantRole.RECORDER)}
    rows = []
    for person in people.values():
        if person.pk == decider.pk:
            continue

        def compose():
            values = {"name": decider, "subject": dis.subject[:200], "title": meeting.title, "ruling": ruling}
            return (_("%(name)s ruled on “%(subject)s”") % values,
                    [_("The disagreement “%(subject)s” of “%(title)s” is decided: %(ruling)s") % values])

        rows += tell(person=person, kind="escalation.ruling", key=f"record.ruling:{dis.pk}:{person.pk}",
                     link=reverse("record:live", args=[meeting.pk]), compose=compose)
    return rows


@transaction.atomic
def disagreement_rule(*, actor, disagreement, ruling):
    """The named decider's ruling: their item is done with the ruling as its note, which closes the
    disagreement; audited, and the meeting's host and recorder are told."""
    dis, ruling = disagreement, (ruling or "").strip()
    item = dis.action_item
    if item is None:
        raise ValidationError({"ruling": _("This disagreement was not escalated for a ruling.")})
    if item.status == ItemStatus.DONE:
        raise ValidationError({"ruling": _("The ruling is already recorded.")})
    if not ruling:
        raise ValidationError({"ruling": _("Write the ruling.")})
    actions.action_item_set_status(actor=actor, item=item, status=ItemStatus.DONE, note=ruling)
    audit_record(actor=actor, action="disagreement.rule", obj=dis, after={"ruling": ruling, "item": item.pk})
    _tell_of_ruling(dis, actor, ruling)
    return dis
