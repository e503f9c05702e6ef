"""A JSON array column read in part by the database: its length, and a slice of it (SQLite and PostgreSQL).

A sync run keeps its changes as one JSON array, thousands long for a large company; the API shows a page of
them. Reading the page in SQL costs the page in Python, where reading the column costs the whole array.
"""

from django.db.models import Func, IntegerField, JSONField, Value


class JsonLength(Func):
    """How many elements the JSON array has."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


class JsonSlice(Func):
    """Elements [start, stop) of a JSON array of objects, in their order, as a list."""

    output_field = JSONField()

    def __init__(self, expression, start, stop):
        super().__init__(expression, Value(start), Value(stop))

    def _parts(self, compiler):
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        return [sql for sql, _params in compiled], [p for _sql, params in compiled for p in params]

    def as_sqlite(self, compiler, connection, **extra):
        (array, start, stop), params = self._parts(compiler)
        # json(): the elements lose their JSON type through the subquery; without it they would come back as strings.
        return (f"(SELECT json_group_array(json(value)) FROM (SELECT value FROM json_each({array}) "
                f"WHERE key >= {start} AND key < {stop} ORDER BY key))"), params

    def as_postgresql(self, compiler, connection, **extra):
        (array, start, stop), params = self._parts(compiler)
        return (f"(SELECT COALESCE(JSONB_AGG(element ORDER BY n), '[]') FROM JSONB_ARRAY_ELEMENTS({array}) "
                f"WITH ORDINALITY AS elements(element, n) WHERE n > {start} AND n <= {stop})"), params
