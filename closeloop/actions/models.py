"""Action items: who does what by when, and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.actions.choices import OPEN_STATUSES, ChangeKind, ChangeState, EventKind, ItemStatus
from closeloop.org.models import Department, Organisation, Project

# The workflow's order, so "sort by status" reads not started → in progress → delayed → done → cancelled.
STATUS_ORDER = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.DELAYED, ItemStatus.DONE,
                ItemStatus.CANCELLED)
NO_OWNER_SORT = "\uffff"  # items without an owner come last in the owner sort


def _flag(condition):
    return models.Case(models.When(condition, then=models.Value(True)), default=models.Value(False))


def owner_sort_key(owner):
    """What the owner sort compares: the owner's display name, lower-cased."""
    return NO_OWNER_SORT if owner is None else (owner.display_name or "").lower()


class ActionItem(models.Model):
    """A task agreed in a meeting (or imported), owned by one person, due on a working day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("meeting"),
    )
    topic = models.ForeignKey(
        "meetings.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("topic"),
    )
    decision = models.ForeignKey(
        "record.Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("decision"),
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("project"),
    )
    task = models.TextField(_("task"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name=_("owner's department"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="collaborations", verbose_name=_("collaborators"),
    )
    deliverable = models.TextField(_("deliverable / acceptance standard"), blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    original_due = models.DateField(_("original due date"), null=True, blank=True)
    support_needed = models.TextField(_("support needed"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    owner_confirmed = models.BooleanField(_("confirmed by the owner"), default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Sort keys stored so that the lists' sorts and filters are read from an index in order, whatever
    # the number of items: the database keeps the first three from `status` and `due`, save() the last.
    status_rank = models.GeneratedField(
        expression=models.Case(*[models.When(status=value, then=models.Value(rank))
                                 for rank, value in enumerate(STATUS_ORDER)], default=models.Value(9)),
        output_field=models.SmallIntegerField(), db_persist=True)
    is_open = models.GeneratedField(expression=_flag(models.Q(status__in=OPEN_STATUSES)),
                                    output_field=models.BooleanField(), db_persist=True)
    due_missing = models.GeneratedField(expression=_flag(models.Q(due__isnull=True)),
                                        output_field=models.BooleanField(), db_persist=True)
    owner_sort = models.CharField(max_length=150, default=NO_OWNER_SORT, editable=False)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["owner", "status"]),
            # One per sort of the lists (selectors/lists.py SORTS), each ending on the tie-breakers.
            models.Index(fields=["organisation", "due_missing", "due", "id"], name="actionitem_org_due"),
            models.Index(fields=["organisation", "is_open", "due_missing", "due", "id"],
                         name="actionitem_org_open_due"),
            models.Index(fields=["organisation", "status_rank", "due_missing", "due", "id"],
                         name="actionitem_org_status_due"),
            models.Index(fields=["organisation", "owner_sort", "due_missing", "due", "id"],
                         name="actionitem_org_owner_due"),
            models.Index(fields=["organisation", "updated_at", "id"], name="actionitem_org_updated"),
            # A head's department list (open items by due date), the owner filter's probe and the
            # department's figures of a month read these instead of every item of the department.
            models.Index(fields=["department", "is_open", "due_missing", "due", "id"],
                         name="actionitem_dept_open_due"),
            models.Index(fields=["department", "owner"], name="actionitem_dept_owner"),
            models.Index(fields=["department", "due"], name="actionitem_dept_due"),
            # The items a person created without a meeting: they decide their change requests.
            models.Index(fields=["created_by", "meeting"], name="actionitem_creator_meeting"),
        ]

    def __str__(self):
        return self.task[:80]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "owner" in update_fields:
            self.refresh_owner_sort()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "owner_sort"}
        super().save(*args, **kwargs)

    def refresh_owner_sort(self):
        """The owner sort's key from the owner (read only when the owner is not loaded already)."""
        if self.owner_id is None:
            self.owner_sort = NO_OWNER_SORT
        elif ActionItem.owner.is_cached(self) and self.owner is not None and self.owner.pk == self.owner_id:
            self.owner_sort = owner_sort_key(self.owner)
        else:
            name = type(self).owner.field.related_model.objects.filter(pk=self.owner_id).values_list(
                "display_name", flat=True).first()
            self.owner_sort = (name or "").lower()


class ActionItemEvent(models.Model):
    """One entry of an item's history: a status change, progress, a delay with its reason and new date."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    old_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.item_id} {self.kind}"


class ChangeRequest(models.Model):
    """The owner asks to change an item's due date or scope; the initiator accepts or refuses (seed 002, stage 4)."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("change of"), max_length=10, choices=ChangeKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("asked by"),
    )
    reason = models.TextField(_("reason"))
    # What the item said when the change was asked, so the decision and the history show both sides.
    old_due = models.DateField(_("due date then"), null=True, blank=True)
    old_task = models.TextField(_("task then"), blank=True)
    old_deliverable = models.TextField(_("deliverable then"), blank=True)
    new_due = models.DateField(_("new due date"), null=True, blank=True)
    new_task = models.TextField(_("new task"), blank=True)
    new_deliverable = models.TextField(_("new deliverable / acceptance standard"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open question at a time: the initiator answers it before the owner asks again.
            models.UniqueConstraint(fields=["item"], condition=models.Q(state="pending"),
                                    name="change_request_one_pending"),
        ]

    def __str__(self):
        return f"{self.item_id} {self.kind} {self.state}"

    @property
    def changes_date(self):
        return self.kind in (ChangeKind.DATE, ChangeKind.BOTH)

    @property
    def changes_scope(self):
        return self.kind in (ChangeKind.SCOPE, ChangeKind.BOTH)


class FeedToken(models.Model):
    """The secret in a person's calendar feed URL (calendar apps cannot sign in).

    Kept in clear, unlike API tokens: the "my items" page shows the URL again whenever it is opened.
    It only reads due dates; revoking deletes the row, regenerating replaces the secret, and the old URL 404s.
    """

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"feed of {self.person_id}"


class ReviewTopic(models.Model):
    """Which topic of a series meeting is the generated "review open action items", so it is refreshed, not doubled."""

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="review_topic")
    topic = models.OneToOneField(
        "meetings.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_link",
    )
    item_count = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"review of {self.meeting_id}"
