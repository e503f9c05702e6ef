"""A hook: one function that a lower app calls and a higher app provides, so imports only ever go down.

The lower app declares `attendance_of = Hook("attendance_of", default=...)`; the higher app calls
`attendance_of.provide(its_function)` from its `AppConfig.ready`.
"""


class Hook:
    def __init__(self, name, *, default):
        self.name = name
        self._default = default
        self._provider = None

    def provide(self, function):
        self._provider = function
        return function

    def __call__(self, *args, **kwargs):
        return (self._provider or self._default)(*args, **kwargs)
