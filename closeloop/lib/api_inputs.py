"""Bounds for every API input, set once over all operations instead of on each route and schema.

Once the routers are registered, `bound_inputs(api)` walks the parameter and body models of every
operation and gives each field that has no bounds of its own:

- integers: ids (`id`, `…_id`, `…_ids`, `row`) 1 … 2⁶³−1, `page` 1 … 1,000,000, any other
  integer the range of a database integer, so no number overflows a query or a column;
- dates and datetimes: the years 2000–2100, said in the error (older years also carry local-mean-time
  offsets such as +08:05:43 that no calendar client reads);
- times of day: no UTC offset (a time zone belongs to the person, and SQLite cannot store one);
- text: no NUL character (PostgreSQL cannot store one).

The bounds are part of the validators and so of the served OpenAPI schema.
"""

import datetime as dt
import types
from typing import Annotated, Optional, Union, get_args, get_origin

import annotated_types as at
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel

ID_MAX = 2**63 - 1
PAGE_MAX = 1_000_000
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
YEAR_MIN, YEAR_MAX = 2000, 2100


def _date_in_window(value):
    if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValueError(_("Give a date between the years %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX})
    return value


def _naive_time(value):
    if value is not None and value.utcoffset() is not None:
        raise ValueError(_("Give a time of day without a UTC offset, e.g. 22:00 (your time zone applies)."))
    return value


def _no_nul(value):
    if value is not None and "\x00" in value:
        raise ValueError(_("Remove the NUL character (\\x00): text cannot hold it."))
    return value


def _int_bounds(name):
    if name == "page":
        return 1, PAGE_MAX
    if name in ("id", "pk", "row") or name.endswith(("_id", "_ids")):
        return 1, ID_MAX
    return INT_MIN, INT_MAX


def _bounded(annotation, name):
    """The annotation with bounds, or None when it needs none (or is not one we bound)."""
    if annotation is int:
        low, high = _int_bounds(name)
        return Annotated[int, at.Ge(low), at.Le(high)]
    if annotation in (dt.date, dt.datetime):
        return Annotated[annotation, AfterValidator(_date_in_window)]
    if annotation is dt.time:
        return Annotated[annotation, AfterValidator(_naive_time)]
    if annotation is str:
        return Annotated[annotation, AfterValidator(_no_nul)]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _bounded(next(a for a in args if a is not type(None)), name)
        return Optional[inner] if inner is not None else None  # noqa: UP045 (built at run time)
    if origin is list and len(args) == 1:
        inner = _bounded(args[0], name)
        return list[inner] if inner is not None else None
    return None


def _nested_models(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _nested_models(arg)


def _bound_model(model, done):
    """Bound a model's own fields and those of the models it holds; rebuild inner models first."""
    if model in done:
        return
    done.add(model)
    changed = False
    for name, field in model.model_fields.items():
        for inner in _nested_models(field.annotation):
            _bound_model(inner, done)
            changed = True
        has_low = any(isinstance(m, (at.Ge, at.Gt)) for m in field.metadata)
        has_high = any(isinstance(m, (at.Le, at.Lt)) for m in field.metadata)
        if has_low or has_high:  # the route chose a bound: keep it, add the missing side to an integer
            if field.annotation is int and not (has_low and has_high):
                low, high = _int_bounds(name)
                field.metadata.append(at.Le(high) if has_low else at.Ge(low))
                changed = True
            continue
        bounded = _bounded(field.annotation, name)
        if bounded is not None:
            field.annotation = bounded
            changed = True
    if changed:
        model.model_rebuild(force=True)


def _operations(api):
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def bound_inputs(api):
    """Bound the integer, date and time inputs of every operation of a NinjaAPI (see the module doc)."""
    done = set()
    for operation in _operations(api):
        for model in operation.models:
            _bound_model(model, done)
    return api
