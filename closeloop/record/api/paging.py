"""Pages of the record's long lists in its API detail (topics, sign-in, review, open points)."""

# Rows per page of the record's long collections (`?topics_page=`, …); the first page is the default.
PER_PAGE = {"topics": 20, "attendance": 100, "review": 50, "open_points": 100}
SECTIONS = {"topics": "topics", "attendance": "sign_in", "review": "review"}


class Slice:
    """One page of a queryset or list: its rows, and the figures the answer's `pages` reports."""

    def __init__(self, rows, number, per_page):
        self.count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
        self.number, self.per_page = number, per_page
        start = (number - 1) * per_page
        self.object_list = list(rows[start:start + per_page])

    def start_index(self):
        return (self.number - 1) * self.per_page + 1

    def as_dict(self):
        return {"page": self.number, "per_page": self.per_page, "count": self.count,
                "pages": max(1, -(-self.count // self.per_page))}
