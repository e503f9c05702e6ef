"""What the minutes app announces, for the apps above it to act on without minutes knowing them."""

from django.dispatch import Signal

from closeloop.lib.hooks import Hook

# Minutes were approved (审核通过): sent with `actor` and `minutes`, inside the approving transaction.
minutes_approved = Signal()

# Approved minutes were distributed: sent with `actor`, `minutes` and `recipients` (the people mailed),
# inside the distributing transaction, so what the apps above queue is sent with the minutes or not at all.
minutes_distributed = Signal()

# Files mailed along with the minutes, in the reader's language: `(minutes, language)` → [attachment dicts
# {"filename", "content_type", "content_b64"}]. Apps above provide them (the scenario's written output).
distribution_attachments = Hook("distribution_attachments", default=lambda minutes, language: [])

# A head (or their substitute) signed: sender=SignOff, minutes=<Minutes>, signoff=<SignOff>, all_signed=bool.
# Sign-offs are bulk updates, so no model signal fires.
minutes_signed = Signal()
