"""What the audit page shows a person instead of codes: the kind of object by its name, the action as words,
and a link to the object when its app offers one (apps register a link from their AppConfig.ready)."""

import re

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
    "submit": _verb("submitted"), "return": _verb("returned"), "resubmit": _verb("resubmitted"),
    "send": _verb("sent"), "sign": _verb("signed"), "signed": _verb("signed"), "signed_off": _verb("signed off"),
    "acknowledge": _verb("acknowledged"), "complete": _verb("completed"), "withdraw": _verb("withdrawn"),
    "reply": _verb("replied"), "escalate": _verb("escalated"), "delegate": _verb("delegated"),
    "amend": _verb("amended"), "plan": _verb("planned"), "generate": _verb("generated"),
    "hand_over": _verb("handed over"), "deactivate": _verb("deactivated"), "retry": _verb("retried"),
    "retry_failed": _verb("failed messages retried"), "risk": _verb("risk raised"), "rule": _verb("ruled"),
    "note": _verb("note added"), "note_update": _verb("note changed"), "note_delete": _verb("note deleted"),
    "decision": _verb("decision recorded"), "disagreement": _verb("disagreement recorded"),
    "attendance": _verb("attendance recorded"), "attendance_suggested": _verb("suggested attendance confirmed"),
    "change_ask": _verb("change asked"), "change_accept": _verb("change accepted"),
    "change_refuse": _verb("change refused"), "change_withdraw": _verb("change withdrawn"),
    "change_applied": _verb("change applied"), "material_add": _verb("material added"),
    "substitute_respond": _verb("substitute answered"), "day_set": _verb("day set"),
    "day_clear": _verb("day reset"), "state": _verb("state changed"), "columns": _verb("columns changed"),
    "improvement_add": _verb("improvement added"), "improvement_remove": _verb("improvement removed"),
    "review_generate": _verb("review topic generated"), "allocation_confirm": _verb("allocation confirmed"),
    "accept": _verb("accepted"), "decline": _verb("declined"), "difficulty": _verb("difficulty reported"),
    "meeting": _verb("meeting linked"), "refuse": _verb("refused"), "reject": _verb("rejected"),
}
_LINKS = {}  # object type ("meetings.meeting") -> callable(object_id) -> URL
_OBJECT_LINKS = {}  # object type ("meetings.topic") -> callable(object) -> URL (the object is loaded anyway)


def register_object_link(object_type, url_for):
    """Let the audit page link entries about `object_type` to their page: `url_for(object_id)` gives the URL."""
    _LINKS[object_type] = url_for


def register_object_links(links):
    """{object type: url_for(object)}: links that need the object (a topic's page is its meeting's)."""
    _OBJECT_LINKS.update(links)


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


def verb_label(action):
    """'meeting.update' → '已修改': what happened, for a row that names the object beside it."""
    verb = action.rpartition(".")[2]
    words = VERBS.get(verb)
    return str(words) if words is not None else verb.replace("_", " ")


def object_link(object_type, object_id, obj=None):
    by_object, url_for = _OBJECT_LINKS.get(object_type), _LINKS.get(object_type)
    try:
        if by_object is not None and obj is not None:
            return by_object(obj)
        return url_for(object_id) if url_for is not None and object_id else ""
    except (NoReverseMatch, ValueError, TypeError, AttributeError):
        return ""


_CODE_LIKE = re.compile(r"^\d+\b|^(feed|review) of \d+")


def page_objects(entries):
    """{(object type, object id): the object} for a page's entries: one query per kind of object, the rows its
    name needs joined in the same query; objects deleted since are simply missing."""
    wanted = {}
    for entry in entries:
        if entry.object_id and str(entry.object_id).isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    found = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is not None:
            found.update({(object_type, str(obj.pk)): obj
                          for obj in model._default_manager.select_related().filter(pk__in=ids)})
    return found


def object_name(obj):
    """The object's own name ('周例会', '提交成本报告'), or '' when all it has is a code."""
    name = str(obj).strip() if obj is not None else ""
    return "" if _CODE_LIKE.match(name) else name


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


# Keys that are no column but hold ids of people or items ("readers": [3, 8]): named like foreign keys.
KEY_MODELS = {"reader": "org.Person", "readers": "org.Person", "people": "org.Person", "skipped": "org.Person",
              "items": "actions.ActionItem", "meeting": "meetings.Meeting"}
_CHOICES = {}  # (object type, key) -> {code: label} for text columns holding codes without declaring choices


def register_value_labels(object_type, key, choices):
    """Name the codes a column holds ('decision_maker,executor' → '决策人、执行人') on the audit page."""
    _CHOICES[(object_type, key)] = choices


def _target(model, field, key):
    """The model whose ids `key` holds: a foreign key's, or a known non-column key's; else None."""
    if field is not None:
        return field.related_model if field.is_relation and field.many_to_one else None
    if key in KEY_MODELS:
        return _model(KEY_MODELS[key])
    return None


def _ids(value):
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return value
    return []


def readable_diffs(entries, diffs):
    """The diffs with field names instead of codes, choice labels instead of values, yes/no for booleans and the
    names of related objects instead of their ids (one query per related model for the whole page)."""
    wanted = {}  # related model -> ids
    for entry, diff in zip(entries, diffs, strict=True):
        model = _model(entry.object_type)
        for key, before, after in diff:
            target = _target(model, _field(model, key), key)
            if target is not None:
                for value in (before, after):
                    wanted.setdefault(target, set()).update(_ids(value))
    names = {rel: {obj.pk: str(obj) for obj in rel._default_manager.filter(pk__in=ids)} for rel, ids in wanted.items()}

    def show(model, field, key, value):
        if value is None:
            return value
        target = _target(model, field, key)
        if target is not None and _ids(value):
            found = names.get(target, {})
            return found.get(value, value) if isinstance(value, int) else "、".join(
                str(found.get(v, v)) for v in value)
        choices = _CHOICES.get((model._meta.label_lower, key)) if model is not None else None
        if field is None and choices is None:
            return value
        if choices is not None or field.choices:
            labels = dict(choices or field.flatchoices)
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
            label = _(label)  # a column named without a verbose name ("meeting") may still have a translation
            rows.append((label, show(model, field, key, before), show(model, field, key, after)))
        result.append(rows)
    return result
