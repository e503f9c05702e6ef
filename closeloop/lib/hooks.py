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


class ListHook:
    """A hook that several higher apps add to: the call gathers every provider's list, in the order they were
    provided (the item page's extra buttons come from follow-ups and from the record)."""

    def __init__(self, name):
        self.name = name
        self._providers = []

    def provide(self, function):
        if function not in self._providers:  # ready() may run twice in tests
            self._providers.append(function)
        return function

    def __call__(self, *args, **kwargs):
        return [entry for provider in self._providers for entry in provider(*args, **kwargs)]
