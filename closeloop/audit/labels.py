"""What the audit page shows a person instead of codes: the kind of object by its name, the action as words,
and a link to the object when its app offers one (apps register a link from their AppConfig.ready)."""

from django.apps import apps
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy


def _verb(text):
    return pgettext_lazy("audit", text)


# Verbs as they end an action code ("meeting.update" → update).
VERBS = {
    "create": _verb("created"), "add": _verb("added"), "update": _verb("changed"),
    "delete": _verb("deleted"), "remove": _verb("removed"), "set": _verb("set"),
    "cancel": _verb("cancelled"), "approve": _verb("approved"), "save": _verb("saved"),
    "import": _verb("imported"), "revoke": _verb("revoked"), "confirm": _verb("confirmed"),
    "status": _verb("status changed"), "progress": _verb("progress reported"),
    "notice": _verb("notice sent"), "notice_update": _verb("updated notice sent"),
    "respond": _verb("answered"), "open": _verb("opened"), "close": _verb("closed"),
    "correct": _verb("corrected"), "distribution": _verb("distributed"),
    "sign_off": _verb("signed off"), "reorder": _verb("reordered"),
    "preferences": _verb("preferences changed"),
}
_LINKS = {}  # object type ("meetings.meeting") -> callable(object_id) -> URL


def register_object_link(object_type, url_for):
    """Let the audit page link entries about `object_type` to their page: `url_for(object_id)` gives the URL."""
    _LINKS[object_type] = url_for


def object_label(object_type):
    """'meetings.meeting' → the model's verbose name in the active language ('会议'), else the code."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type or _("System")


def action_label(action, object_type=""):
    """'meeting.update' → '会议 · 已修改'-style words: the object's name and what happened to it."""
    subject, _dot, verb = action.rpartition(".")
    words = VERBS.get(verb)
    what = str(words) if words is not None else verb.replace("_", " ")
    return f"{object_label(object_type)} · {what}" if subject else what


def object_link(object_type, object_id):
    url_for = _LINKS.get(object_type)
    if url_for is None or not object_id:
        return ""
    try:
        return url_for(object_id)
    except (NoReverseMatch, ValueError):
        return ""
