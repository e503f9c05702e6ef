"""What every transport shares: one `send()` and one error type that says whether a retry can help."""


class TransportError(Exception):
    """Delivery failed. `permanent` means retrying cannot help (the address is refused, the channel unknown).

    `retry_after` (seconds) is when the receiver asked us to come back; `throttled` means the receiver
    (or our own rate limit) only asked us to slow down: the worker should not count it as a failed attempt.
    """

    def __init__(self, message, *, permanent=False, retry_after=None, throttled=False):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.throttled = throttled


class Transport:
    def send(self, message):
        """Deliver one OutboxMessage or raise TransportError."""
        raise NotImplementedError
