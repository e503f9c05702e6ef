"""Pages of a page's sections: a page with several long sections (the live record: sign-in, review, topics)
keeps one query parameter per section, so turning one section's pages keeps the others where they were.

htmx requests (a write, a poll) carry the page's address in HX-Current-URL: the sections they re-render come
back on the pages the person is looking at.
"""

from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.http import QueryDict


def page_params(request):
    """The page's query parameters: the address htmx reports for its requests, else the request's own."""
    current = request.headers.get("HX-Current-URL") if request is not None else None
    if current:
        return QueryDict(urlsplit(current).query)
    return request.GET if request is not None else QueryDict()


def section_page(request, object_list, param, per_page):
    """The Paginator page of `object_list` that `param` asks for (the last one when past the end).

    The page carries `param` and `query` (the other parameters, for the pager's links)."""
    params = page_params(request)
    page = Paginator(object_list, per_page).get_page(params.get(param))
    others = params.copy()
    others.pop(param, None)
    page.param, page.query = param, others.urlencode()
    return page
