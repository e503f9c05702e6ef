"""The unread count for the inbox badge in the navigation: one COUNT query, only when a page shows it."""

from django.utils.functional import SimpleLazyObject


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from closeloop.notify.models import InboxItem

        return InboxItem.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"inbox_unread": SimpleLazyObject(count)}
