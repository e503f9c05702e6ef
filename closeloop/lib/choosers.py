"""Person and department choosers that share one list per page.

A page with many forms naming people (the live record has five per topic) used to carry the organisation's
whole list in every <select>: 57,633 options at 100 topics. Now the page carries the list once, as JSON in a
<template id="shared-choices"> (`choices_script`; inert, so the CSP holds, and swappable by htmx, which drops
<script> elements from what it swaps in), each <select> only its blank and chosen options plus
`data-choices="<source>"`, and app.js copies the shared list into every such <select> (on load and after each
htmx swap; a new copy refills them all).

Sources: "people" (by department), "departments", "participants" (the meeting's, by department),
"people-not-participants" (by department) and "people-participants-first" (two groups).
"""

import json
from collections.abc import Mapping

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

SCRIPT_ID = "shared-choices"


class SharedSelect(forms.Select):
    """Renders the blank option and the chosen one(s) only; `label_of(value)` names a chosen value."""

    def __init__(self, source, *, blank=None, label_of=None, attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-choices": source})
        self.blank = blank
        self.label_of = label_of or (lambda value: None)

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v not in ("", None)]
        self.choices = ([("", self.blank)] if self.blank is not None else []) + [
            (v, self.label_of(v) or v) for v in chosen]
        return super().optgroups(name, value, attrs)


class SharedSelectMultiple(SharedSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class Objects(Mapping):
    """{pk string: object} read on first use, in one query: `queryset` narrowed to `ids` when given (a write
    reads only the people it names, not the whole organisation)."""

    def __init__(self, queryset, ids=None):
        self.queryset, self.ids, self._rows = queryset, ids, None

    def _load(self):
        if self._rows is None:
            if self.ids is not None:
                ids = {int(i) for i in self.ids if str(i).isdigit()}
                rows = self.queryset.filter(pk__in=ids) if ids else []
            else:
                rows = self.queryset
            self._rows = {str(o.pk): o for o in rows}
        return self._rows

    def __getitem__(self, key):
        return self._load()[str(key)]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __contains__(self, key):
        return str(key) in self._load()


class _Compact(DjangoJSONEncoder):
    """Unescaped CJK and no spaces: a name costs its bytes, not six per character."""

    def __init__(self, *args, **kwargs):
        kwargs.update(ensure_ascii=False, separators=(",", ":"))
        super().__init__(*args, **kwargs)


def people_groups(people):
    """[[department name, [[id, name], ...]], ...] from (id, name, department name) rows, in their order."""
    groups = {}
    no_department = str(_("No department"))
    for pk, name, department in people:
        groups.setdefault(department or no_department, []).append([pk, name])
    return [[name, rows] for name, rows in groups.items()]


# As json_script: nothing in the text can close the element or start a tag or an entity.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def choices_script(*, people=(), departments=(), participant_ids=()):
    """The page's one <template id="shared-choices"> holding the lists its choosers share as JSON:
    `people` as (id, name, department name) rows, `departments` as objects."""
    data = {
        "people": people_groups(people),
        "departments": [[d.pk, str(d)] for d in departments],
        "participants": sorted(participant_ids),
        "labels": {"participants": str(_("Participants")), "others": str(_("Others in the organisation"))},
    }
    text = json.dumps(data, cls=_Compact).translate(_ESCAPES)
    return format_html('<template id="{}">{}</template>', SCRIPT_ID, mark_safe(text))
