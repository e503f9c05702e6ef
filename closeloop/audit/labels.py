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


def _model(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key):
    try:
        field = model._meta.get_field(key) if model is not None and key else None
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends: an old key, shown as it is
        return None
    # A key may name a reverse relation that another app added later (an item's "improvement"): not a column.
    return None if field is not None and field.auto_created and not field.concrete else field


def readable_diffs(entries, diffs):
    """The diffs with field names instead of codes, choice labels instead of values, yes/no for booleans and the
    names of related objects instead of their ids (one query per related model for the whole page)."""
    wanted = {}  # related model -> ids
    for entry, diff in zip(entries, diffs, strict=True):
        model = _model(entry.object_type)
        for key, before, after in diff:
            field = _field(model, key)
            if field is not None and field.is_relation and field.many_to_one:
                for value in (before, after):
                    if isinstance(value, int):
                        wanted.setdefault(field.related_model, set()).add(value)
    names = {rel: {obj.pk: str(obj) for obj in rel._default_manager.filter(pk__in=ids)} for rel, ids in wanted.items()}

    def show(field, value):
        if value is None or field is None:
            return value
        if field.is_relation and field.many_to_one:
            return names.get(field.related_model, {}).get(value, value)
        if field.choices:
            labels = dict(field.flatchoices)
            parts = str(value).split(",") if isinstance(value, str) else [value]
            return "、".join(str(labels.get(p, p)) for p in parts) if len(parts) > 1 else labels.get(value, value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value

    result = []
    for entry, diff in zip(entries, diffs, strict=True):
        model = _model(entry.object_type)
        rows = []
        for key, before, after in diff:
            if key == "id":
                continue
            field = _field(model, key)
            label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else key
            rows.append((label, show(field, before), show(field, after)))
        result.append(rows)
    return result
