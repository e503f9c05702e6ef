"""One sentence per sync change, in the reader's language (the command line and the administrator page)."""

from django.utils.translation import gettext as _

TEXTS = {
    "department_created": lambda c: (
        _("New department %(department)s under %(parent)s") if c.get("parent")
        else _("New department %(department)s")) % c,
    "department_moved": lambda c: _("Department %(department)s now sits under %(parent)s") % {
        **c, "parent": c.get("parent") or _("the top")},
    "department_head": lambda c: _("%(person)s heads %(department)s") % c,
    "person_created": lambda c: _("New person %(person)s (%(name)s) in %(department)s") % {
        **c, "department": c.get("department") or "—"},
    "person_moved": lambda c: _("%(person)s moved from %(before)s to %(after)s") % {
        **c, "before": c.get("before") or "—", "after": c.get("after") or "—"},
    "person_updated": lambda c: _("%(person)s: %(fields)s changed") % {
        "person": c["person"], "fields": ", ".join(sorted(c.get("fields", {})))},
    "person_reactivated": lambda c: _("%(person)s is back and active again") % c,
    "person_deactivated": lambda c: _(
        "%(person)s left the directory and was deactivated; %(count)s open items for %(head)s to hand over") % {
        **c, "count": len(c.get("open_work", [])), "head": c.get("head") or _("the administrators")},
}


def describe(change):
    text = TEXTS.get(change.get("kind"))
    return text(change) if text else str(change)
