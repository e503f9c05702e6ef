"""What a receiving department accepted (the wanted date, what is asked, the acceptance standard) changes only
through a change the receiving side agrees to (seed 002 stage 4: 双方达成一致后再调整计划); retro runs that flow."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ReceiptState

AGREED_FIELDS = ("due", "what", "acceptance_standard")


def refuse_unagreed_change(request, data):
    """Raise, naming the field, when an edit would change what a department already accepted."""
    if not request.receipts.filter(state=ReceiptState.ACCEPTED).exists():
        return
    for field in AGREED_FIELDS:
        if data.get(field) is not None and data[field] != getattr(request, field):
            raise ValidationError({field: _("A receiving department has accepted this request: ask for a change "
                                            "on its progress page; it applies once the receiving side agrees.")})
