"""API for the global search (mounted at /search): the same answer as the header's search box."""

from django.core.exceptions import ValidationError
from ninja import Router

from closeloop.org.api.schemas import ErrorOut
from closeloop.search.api.schemas import GroupOut
from closeloop.search.forms import SearchForm
from closeloop.search.selectors import search_everything

router = Router(tags=["search"])


@router.get("", response={200: list[GroupOut], 422: ErrorOut},
            summary="Find people, meetings, requests, action items, decisions and minutes the caller may see")
def search(request, q: str = ""):
    """One group per kind that found something; each hit only if the caller may open it."""
    form = SearchForm({"q": q})
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    return [{"kind": g.kind, "label": g.label, "count": g.count,
             "hits": [{"title": h.title, "url": h.url, "detail": h.detail} for h in g.hits]}
            for g in search_everything(request.auth, form.cleaned_data["q"])]
