"""What the meetings app announces, for the apps above it to act on without meetings knowing them."""

from django.dispatch import Signal

# A meeting of a series was created: sent with `actor` and `meeting`, inside the creating transaction.
series_meeting_created = Signal()

# A participant was taken off a meeting: sent with `actor`, `meeting` and `person`, inside the removing
# transaction, so the apps above revoke what the person held (minutes sign-off links, inbox links).
participant_removed = Signal()

# Who takes part changed (invited, roles changed, taken off, a substitute named or changed): sent with `meeting`
# inside the changing transaction, so a live record open during the meeting shows the new sign-in list.
participants_changed = Signal()
