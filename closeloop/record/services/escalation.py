"""A disagreement escalated for a ruling (提请上级裁决) becomes an action item for the named decider, due when
the path says, and the decider is told. Marking that item done, with the ruling as its note, closes the
disagreement; the minutes show the ruling.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.notify.fanout import tell


def ruling_task(dis):
    return _("Decide on the escalated disagreement “%(subject)s”") % {"subject": dis.subject[:120]}


def ruling_deliverable():
    return _("Your ruling: write it as the note when you mark this item done. It closes the disagreement and "
             "shows on the minutes.")


def tell_decider(meeting, dis, item):
    """Once per disagreement and decider: what to decide, by when, and the link to the item."""

    def compose():
        values = {"subject": dis.subject[:200], "title": meeting.title, "due": item.due or "—"}
        lines = [_("The meeting “%(title)s” escalated a disagreement to you for a ruling: %(subject)s") % values]
        if dis.positions:
            lines.append(_("Positions: %(positions)s") % {"positions": dis.positions})
        lines.append(_("Please decide by %(due)s, and write your ruling when you mark the item done.") % values)
        return _("A disagreement awaits your ruling: %(subject)s") % values, lines

    return tell(person=dis.escalate_to, kind="escalation.disagreement",
                key=f"record.escalated:{dis.pk}:{dis.escalate_to_id}",
                link=reverse("actions:detail", args=[item.pk]), compose=compose)


def escalation_data(dis):
    return {"task": ruling_task(dis), "owner": dis.escalate_to, "due": dis.due, "deliverable": ruling_deliverable()}

