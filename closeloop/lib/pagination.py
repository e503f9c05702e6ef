"""API pages whose count stops at a limit: past COUNT_LIMIT rows, `count` is the limit and `count_exact` false.

Counting every row of a list costs as much as the list is long (a hundred thousand items are a hundred thousand
index entries to walk), while a page of 50 costs the same whatever the length; no one pages through ten
thousand rows, and "10,000+" says all a reader needs.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

COUNT_LIMIT = 10_000
# A detail carries at most this many rows of each list that grows without bound (a run's changes, an item's
# history, a request's story), with their count; its paged endpoint has them all.
EMBEDDED = 50


class CappedCountPagination(PageNumberPagination):
    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description=f"How many rows match, up to {COUNT_LIMIT:,}.")
        count_exact: bool = Field(True, description=f"false when more than {COUNT_LIMIT:,} rows match: "
                                                    "`count` is then the limit, not the total.")

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["count_exact"] = page["count"] <= COUNT_LIMIT
        page["count"] = min(page["count"], COUNT_LIMIT)
        return page

    def _items_count(self, queryset):
        """Rows counted up to one past the limit, from the ids alone (no annotation, no join of the page)."""
        if hasattr(queryset, "count_up_to"):  # a list read by slices, e.g. actions.selectors.lists.ItemRows
            return queryset.count_up_to(COUNT_LIMIT + 1)
        return queryset.order_by().values("pk")[:COUNT_LIMIT + 1].count()


def first_rows(rows, limit=EMBEDDED):
    """The first `limit` rows of a list a detail embeds, and how many there are in all: a slice and a count, the
    same two queries and the same size of answer for 10 nested rows as for 10,000."""
    return list(rows[:limit]), rows.count()


class MarkedRows:
    """A queryset whose rows go through `mark` page by page (a flag computed in Python, say), so that a list
    is paged by the database instead of read whole to mark every row."""

    ordered = True

    def __init__(self, queryset, mark):
        self.queryset, self.mark = queryset, mark

    def count(self):
        return self.queryset.count()

    def count_up_to(self, limit):
        return self.queryset.order_by().values("pk")[:limit].count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.mark(self.queryset[key])
        return [self.mark(row) for row in self.queryset[key]]
