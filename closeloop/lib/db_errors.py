"""A value the database refused, told as an error on the field the person sent, in their language.

Validation catches almost everything before a write; what slips through (a number past a small column,
text past a column's length, a duplicate a concurrent request just created) reaches the database, which
names the column when it can (PostgreSQL's diagnostics, SQLite's "NOT NULL constraint failed: t.col")
and not otherwise ("value too long for type character varying(200)"). In that case the field is found
in what the request sent: the text longer than the column, the number larger than the column holds.
"""

import json
import re

from django.utils.translation import gettext as _

# PostgreSQL's integer types and what they hold
_INT_RANGES = {"smallint": 2**15 - 1, "integer": 2**31 - 1, "bigint": 2**63 - 1}
_VARCHAR = re.compile(r"character varying\((\d+)\)")
_INT_OUT = re.compile(r"\b(smallint|integer|bigint) out of range")
_NUMERIC = re.compile(r"precision (\d+), scale (\d+)")
_SQLITE_COLUMNS = re.compile(r"(?:NOT NULL|UNIQUE) constraint failed: (.+)$")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (.+)$")
_KEY = re.compile(r"Key \(([^)]+)\)")
_IDENTIFIER = re.compile(r'"?([A-Za-z_][A-Za-z0-9_]*)"?')


def request_values(request):
    """The flat {name: value} of what the request sent: JSON body (nested keys joined by dots), form, query."""
    values = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        elif prefix:
            values[prefix] = value

    for source in (request.GET, getattr(request, "_post", None) or {}):
        for key in source:
            values[key] = source.get(key)
    body = getattr(request, "_body", b"") or b""
    if body[:1] in (b"{", b"["):
        try:
            walk("", json.loads(body))
        except ValueError:
            pass
    return values


def _as_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def _field_for_column(column, values):
    """The name the person used for a column: `department_id` was sent as `department`."""
    column = column.strip().strip('"')
    if "." in column:
        column = column.rsplit(".", 1)[1]
    names = {name.rsplit(".", 1)[-1]: name for name in values}
    for candidate in (column, column.removesuffix("_id")):
        if candidate in values:
            return candidate
        if candidate in names:
            return names[candidate]
    return column.removesuffix("_id")


def _too_long_fields(limit, values):
    return [name for name, value in values.items() if isinstance(value, str) and len(value) > limit]


def _too_large_fields(bound, values):
    found = []
    for name, value in values.items():
        number = _as_number(value)
        if number is not None and abs(number) > bound:
            found.append(name)
    return found


def _diagnostics(exc):
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is None:
        return None, None
    return getattr(diag, "column_name", None), getattr(diag, "message_detail", None)


def database_error_fields(exc, request):
    """{field: [message]} for an IntegrityError or DataError raised while serving `request`."""
    text = str(exc)
    values = request_values(request)
    column, detail = _diagnostics(exc)
    lowered = text.lower()

    match = _VARCHAR.search(text)
    if match and "too long" in lowered:
        limit = int(match.group(1))
        message = _("At most %(n)s characters.") % {"n": limit}
        fields = _too_long_fields(limit, values)
        return {field: [message] for field in fields} or {"__all__": [message]}

    match = _INT_OUT.search(text)
    if match or "out of range" in lowered or "overflow" in lowered or "too large" in lowered:
        bound = _INT_RANGES.get(match.group(1)) if match else None
        numeric = _NUMERIC.search(text)
        if bound is None and numeric:
            bound = 10 ** (int(numeric.group(1)) - int(numeric.group(2))) - 1
        message = (_("Give a number of at most %(n)s.") % {"n": bound} if bound is not None
                   else _("The number is too large for this field."))
        fields = _too_large_fields(bound if bound is not None else _INT_RANGES["smallint"], values)
        return {field: [message] for field in fields} or {"__all__": [message]}

    if "unique" in lowered or "duplicate key" in lowered:
        message = _("This value is already used; choose another.")
        columns = []
        key = _KEY.search(detail or text)
        if key:
            columns = key.group(1).split(",")
        else:
            sqlite = _SQLITE_COLUMNS.search(text)
            if sqlite:
                columns = sqlite.group(1).split(",")
        fields = [_field_for_column(c, values) for c in columns]
        useful = [f for f in fields if f in values and f not in ("organisation", "organisation_id")]
        return {field: [message] for field in (useful or fields[-1:])} or {"__all__": [message]}

    if "not null" in lowered or "null value" in lowered:
        message = _("This field is required.")
        if column is None:
            sqlite = _SQLITE_COLUMNS.search(text)
            column = sqlite.group(1) if sqlite else None
        return {_field_for_column(column, values): [message]} if column else {"__all__": [message]}

    if "foreign key" in lowered:
        message = _("Choose an existing entry.")
        key = _KEY.search(detail or "")
        if key:
            return {_field_for_column(key.group(1), values): [message]}
        return {"__all__": [message]}

    message = _("This value is not allowed here.")
    check = _SQLITE_CHECK.search(text)
    if check:  # SQLite: CHECK constraint failed: "minutes" >= 0  (or the constraint's name)
        words = [w for w in _IDENTIFIER.findall(check.group(1))]
        fields = [w for w in words if w in values] or [n for n in values if any(n in w for w in words)]
        if fields:
            return {fields[0]: [message]}
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) or ""
    fields = [name for name in values if name.rsplit(".", 1)[-1] and name.rsplit(".", 1)[-1] in constraint]
    return {field: [message] for field in fields[:1]} or {"__all__": [_("A value is not allowed for its field.")]}
