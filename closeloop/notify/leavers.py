"""When the directory deactivates a leaver, their head is told by mail and in the inbox what to hand over."""

from django.conf import settings

from closeloop.lib.emails import render_email

from .models import Channel
from .services import outbox_enqueue


def tell_head_about_leaver(sender, *, person, head, open_work, **kwargs):
    """Queue the hand-over list for the leaver's head (administrators' page lists it too); nothing if nothing open."""
    if head is None or not head.is_active or not open_work:
        return []
    language = head.language or settings.LANGUAGE_CODE
    link = settings.SITE_URL + open_work[0].url  # the directory page is the administrators'; the items are theirs
    mail = render_email("notify/email/leaver_handover", {"person": person, "head": head, "work": open_work,
                                                          "site_url": settings.SITE_URL}, language=language)
    queued = []
    for channel, address in [(Channel.INBOX, str(head.pk)), (Channel.EMAIL, head.email)]:
        if not address:
            continue
        queued.append(outbox_enqueue(
            key=f"directory.leaver:{person.pk}:{head.pk}:{channel}", recipient=head, address=address,
            kind="directory.leaver", subject=mail.subject, body_text=mail.text, body_html=mail.html,
            headers={"Content-Language": language}, channel=channel, link=link))
    return queued
