"""What the minutes announce to the apps above them (sign-offs are bulk updates: no model signal fires)."""

from django.dispatch import Signal

# A head (or their substitute) signed: sender=SignOff, minutes=<Minutes>, signoff=<SignOff>, all_signed=bool.
minutes_signed = Signal()
