"""The secret calendar-feed URL of a person: create or regenerate it, revoke it, and read through it."""

import secrets

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from closeloop.actions.choices import OPEN_STATUSES
from closeloop.actions.models import ActionItem, FeedToken
from closeloop.audit.services import audit_record


@transaction.atomic
def feed_token_regenerate(*, actor):
    """A new secret for the actor's feed; the URL given before stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, created = FeedToken.objects.select_for_update().get_or_create(person=actor, defaults={"token": token})
    if not created:
        feed.token, feed.created_at, feed.last_used_at = token, timezone.now(), None
        feed.save(update_fields=["token", "created_at", "last_used_at"])
    audit_record(actor=actor, action="action_feed.create" if created else "action_feed.regenerate", obj=feed)
    return feed


@transaction.atomic
def feed_token_revoke(*, actor):
    """Revoke the feed: its URL answers 404 from now on. Revoking twice is harmless."""
    deleted, _ = FeedToken.objects.filter(person=actor).delete()
    if deleted:
        audit_record(actor=actor, action="action_feed.revoke", object_type="actions.feedtoken", object_id=actor.pk)
    return bool(deleted)


def feed_for_token(token):
    """The person behind a feed secret, or Http404 (unknown, revoked, or the person left)."""
    feed = FeedToken.objects.select_related("person", "person__organisation").filter(token=str(token)[:64]).first()
    if feed is None or not feed.person.is_active or feed.person.organisation_id is None:
        raise Http404
    # Bookkeeping, not a state change anyone sees: when the calendar app last read it.
    FeedToken.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


def feed_items(person):
    """Open items with a due date that the person owns or collaborates on."""
    collaborating = ActionItem.collaborators.through.objects.filter(actionitem_id=OuterRef("pk"), person=person)
    return (ActionItem.objects.filter(organisation_id=person.organisation_id, status__in=OPEN_STATUSES,
                                      due__isnull=False)
            .filter(Q(owner=person) | Exists(collaborating)).order_by("due", "id"))
