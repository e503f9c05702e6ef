"""The API's validation messages in the user's language, each stating the real limit it enforces.

Pydantic writes its messages in English ("String should have at most 200 characters"); every API
error must name the field in the person's language and say what is allowed. `pydantic_message(err)`
turns one pydantic error (its `type` and `ctx`) into such a message; the limit comes from the error
itself, never from a number written here.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_COLLECTIONS = ("List", "Tuple", "Set", "Frozenset", "Dictionary", "Dict")


def _number(value):
    """1000000 rather than 1e6, 2.5 rather than Decimal('2.50')."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _limit(ctx, key):
    return _number(ctx.get(key))


def _characters(n):
    return ngettext("At most %(n)s character.", "At most %(n)s characters.", n) % {"n": n}


def _at_least_characters(n):
    if n == 1:
        return _("This field cannot be empty.")
    return ngettext("At least %(n)s character.", "At least %(n)s characters.", n) % {"n": n}


def _items(n):
    return ngettext("At most %(n)s item.", "At most %(n)s items.", n) % {"n": n}


def _at_least_items(n):
    return ngettext("At least %(n)s item.", "At least %(n)s items.", n) % {"n": n}


def _bound(kind, value):
    messages = {
        "ge": _("Give a number of at least %(n)s."),
        "gt": _("Give a number greater than %(n)s."),
        "le": _("Give a number of at most %(n)s."),
        "lt": _("Give a number less than %(n)s."),
    }
    return messages[kind] % {"n": value}


def _choices(ctx):
    expected = str(ctx.get("expected", "")).replace("'", "")
    if not expected:
        return _("Choose one of the allowed values.")
    return _("Choose one of: %(choices)s.") % {"choices": expected}


def _fixed_messages():
    whole = _("Give a whole number.")
    number = _("Give a number.")
    date = _("Give a date as YYYY-MM-DD.")
    moment = _("Give a date and time as YYYY-MM-DDTHH:MM.")
    return {
        "missing": _("This field is required."),
        "int_parsing": whole, "int_type": whole, "int_from_float": whole,
        "float_parsing": number, "float_type": number, "decimal_parsing": number, "decimal_type": number,
        "finite_number": number,
        "bool_parsing": _("Give true or false."), "bool_type": _("Give true or false."),
        "date_parsing": date, "date_type": date, "date_from_datetime_parsing": date,
        "date_from_datetime_inexact": date,
        "datetime_parsing": moment, "datetime_type": moment, "datetime_from_date_parsing": moment,
        "time_parsing": _("Give a time of day as HH:MM."), "time_type": _("Give a time of day as HH:MM."),
        "string_type": _("Give text."), "string_unicode": _("Give text."),
        "list_type": _("Give a list."), "tuple_type": _("Give a list."), "set_type": _("Give a list."),
        "dict_type": _("Give an object."), "model_type": _("Give an object."),
        "model_attributes_type": _("Give an object."),
        "json_invalid": _("The JSON could not be read."),
        "string_pattern_mismatch": _("The value does not have the expected form."),
        "extra_forbidden": _("This field is not accepted here."),
        "uuid_parsing": _("Give a valid identifier."),
    }


def pydantic_message(err):
    """One pydantic error as a message in the active language, stating the real limit."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own message, without pydantic's "Value error, "
    if kind == "string_too_long":
        return _characters(_limit(ctx, "max_length"))
    if kind == "string_too_short":
        return _at_least_characters(_limit(ctx, "min_length"))
    # A length on a type of our own (NonBlank strips text first) comes as "too_long" with field_type "Value"
    # and reads "at most 200 items" in pydantic's words: only collections are counted in items.
    text = isinstance(err.get("input"), str) or ctx.get("field_type") not in _COLLECTIONS
    if kind == "too_long":
        return (_characters if text else _items)(_limit(ctx, "max_length"))
    if kind == "too_short":
        return (_at_least_characters if text else _at_least_items)(_limit(ctx, "min_length"))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        key = {"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le", "less_than": "lt"}[kind]
        return _bound(key, _limit(ctx, key))
    if kind == "decimal_max_digits":
        return _("At most %(n)s digits in all.") % {"n": _limit(ctx, "max_digits")}
    if kind == "decimal_max_places":
        return _("At most %(n)s decimal places.") % {"n": _limit(ctx, "decimal_places")}
    if kind == "decimal_whole_digits":
        return _("At most %(n)s digits before the decimal point.") % {"n": _limit(ctx, "whole_digits")}
    if kind in ("enum", "literal_error"):
        return _choices(ctx)
    fixed = _fixed_messages().get(kind)
    if fixed is not None:
        return fixed
    return _("This value is not valid.")
