"""What every transport shares: one `send()` and one error type that says whether a retry can help."""


class TransportError(Exception):
    """Delivery failed. `permanent` means retrying cannot help (the address is refused, the channel unknown)."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class Transport:
    def send(self, message):
        """Deliver one OutboxMessage or raise TransportError."""
        raise NotImplementedError
