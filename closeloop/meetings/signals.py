"""What the meetings app announces, for the apps above it to act on without meetings knowing them."""

from django.dispatch import Signal

# A meeting of a series was created: sent with `actor` and `meeting`, inside the creating transaction.
series_meeting_created = Signal()
