"""Writes for the minutes. Each is one transaction, checks who may act and the allowed transition, and is audited.

State changes are conditional UPDATEs (`… WHERE state = <expected>`) whose row count is checked, so of two
people acting at the same moment exactly one wins and the other is told; approved rows are also guarded by
a database trigger, so no code path can change them.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.lib.errors import Conflict
from closeloop.meetings.choices import MeetingState
from closeloop.meetings.models import Meeting
from closeloop.minutes import rules, selectors
from closeloop.minutes.choices import SECTION_KEYS, MinutesState
from closeloop.minutes.drafting import minutes_draft_content
from closeloop.minutes.models import Minutes, SignOff
from closeloop.minutes.notifications import tell_review_step
from closeloop.minutes.signals import minutes_approved, minutes_distributed, minutes_signed
from closeloop.notify.services import inbox_forget
from closeloop.org.selectors import policy_for
from closeloop.record.services.record import record_close_for_minutes

MAX_SECTION_CHARS = 20_000


def _require(actor, meeting, action):
    if not selectors.may(actor, meeting, action):
        if action in (rules.APPROVE, rules.RETURN):
            raise PermissionDenied(_("Only the host or an administrator can review the minutes."))
        raise PermissionDenied(_("Only the host, the recorder and administrators can do this with the minutes."))


def _fresh(minutes):
    return Minutes.objects.select_related("meeting__organisation").get(pk=minutes.pk)


def _sync(target, source):
    """Copy the saved row's values onto the caller's object, so it is not left stale."""
    for f in Minutes._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def _stale(current):
    return Conflict(
        _("Someone else changed these minutes a moment ago (now version %(v)s). Nothing of yours was lost; "
          "look at their change, then try again.") % {"v": current.version},
        current_version=current.version,
    )


def _version(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("Give the version number you edited.")}) from None


@transaction.atomic
def minutes_create_draft(*, actor, meeting, language=None):
    """The first version, drafted from the meeting and its record; due policy.minutes_draft_hours after the end."""
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    _require(actor, meeting, rules.CREATE)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"meeting": _("This meeting is cancelled; it has no minutes.")})
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError({"meeting": _("This meeting already has minutes; open them to edit or correct.")})
    policy = policy_for(meeting.organisation)
    language = language or actor.language or settings.LANGUAGE_CODE
    minutes = Minutes(
        meeting=meeting, number=1, content=minutes_draft_content(meeting, language), created_by=actor,
        due_at=rules.draft_due(meeting.end, policy.minutes_draft_hours),
    )
    try:
        with transaction.atomic():
            minutes.save()
    except IntegrityError:  # created by someone else at the same moment (SQLite takes no row lock)
        raise ValidationError({"meeting": _("This meeting already has minutes; open them to edit or correct.")}) \
            from None
    audit_record(actor=actor, action="minutes.create", obj=minutes,
                 after={"number": 1, "state": minutes.state, "due_at": minutes.due_at.isoformat()})
    return minutes


def _clean_content(current, content):
    if not isinstance(content, dict):
        raise ValidationError({"content": _("Give the sections as a mapping of section to text.")})
    unknown = sorted(set(content) - set(SECTION_KEYS))
    if unknown:
        raise ValidationError({"content": _("Unknown section: %(keys)s.") % {"keys": ", ".join(unknown)}})
    errors = {}
    for key, value in content.items():
        if not isinstance(value, str):
            errors[key] = _("Write this section as text.")
        elif len(value) > MAX_SECTION_CHARS:
            errors[key] = _("At most %(n)d characters.") % {"n": MAX_SECTION_CHARS}
    if errors:
        raise ValidationError(errors)
    # Sections not given keep their text: the API may send only what changed.
    merged = {key: (current.get(key) or "") for key in SECTION_KEYS}
    merged.update({key: value.replace("\r\n", "\n") for key, value in content.items()})
    return merged


@transaction.atomic
def minutes_save(*, actor, minutes, content, version):
    """Save the text of a draft (or minutes in review). A save based on an older version is refused (Conflict)."""
    current = _fresh(minutes)
    _require(actor, current.meeting, rules.SAVE)
    try:
        rules.check_editable(current.state)
    except rules.TransitionRefused as exc:
        raise ValidationError({"content": exc.message}) from None
    version = _version(version)
    clean = _clean_content(current.content, content)
    if version != current.version:
        raise _stale(current)
    changed = [key for key in SECTION_KEYS if clean[key] != (current.content or {}).get(key, "")]
    if not changed:
        return _sync(minutes, current)
    rows = Minutes.objects.filter(
        pk=current.pk, version=version, approved_at__isnull=True, state__in=rules.EDITABLE_STATES,
    ).update(content=clean, version=F("version") + 1, updated_at=timezone.now())
    if rows != 1:
        raise _stale(_fresh(current))
    audit_record(
        actor=actor, action="minutes.save", obj=current,
        before={"version": version, **{k: (current.content or {}).get(k, "") for k in changed}},
        after={"version": version + 1, **{k: clean[k] for k in changed}},
    )
    return _sync(minutes, _fresh(current))


def minutes_redraft(*, actor, minutes, version, language=None):
    """Replace the draft's text with a fresh draft from the record (e.g. after the record was completed)."""
    language = language or actor.language or settings.LANGUAGE_CODE
    return minutes_save(
        actor=actor, minutes=minutes, version=version, content=minutes_draft_content(minutes.meeting, language),
    )


def _transition(*, actor, minutes, action, changes=None, version=None, audit_extra=None):
    """Move to the next state with a conditional UPDATE; of two at the same moment, the second gets Conflict."""
    current = _fresh(minutes)
    _require(actor, current.meeting, action)
    try:
        target = rules.next_state(current.state, action)
    except rules.TransitionRefused as exc:
        raise ValidationError({"state": exc.message}) from None
    expected = {"pk": current.pk, "state": current.state}
    if version is not None:
        expected["version"] = _version(version)
        if expected["version"] != current.version:
            raise _stale(current)
    now = timezone.now()
    changes = dict(changes or {})
    rows = Minutes.objects.filter(**expected).update(
        state=target, version=F("version") + 1, updated_at=now, **changes,
    )
    if rows != 1:
        raise _stale(_fresh(current))
    after = {"state": target, **{k: str(getattr(v, "pk", v)) for k, v in changes.items()}, **(audit_extra or {})}
    audit_record(actor=actor, action=f"minutes.{action}", obj=current,
                 before={"state": current.state, "version": current.version}, after=after)
    return _sync(minutes, _fresh(current))


@transaction.atomic
def minutes_submit(*, actor, minutes):
    """Draft → in review (the recorder, the host or an administrator)."""
    minutes = _transition(actor=actor, minutes=minutes, action=rules.SUBMIT, changes={"submitted_at": timezone.now()})
    tell_review_step(minutes, step="submit", actor=actor)
    return minutes


@transaction.atomic
def minutes_return(*, actor, minutes, comment):
    """In review → draft, with the reviewer's comment saying what to fix (the host or an administrator)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change before the minutes can be approved.")})
    minutes = _transition(actor=actor, minutes=minutes, action=rules.RETURN, changes={"review_comment": comment})
    tell_review_step(minutes, step="return", actor=actor)
    return minutes


@transaction.atomic
def minutes_approve(*, actor, minutes, version=None):
    """In review → approved (审核通过). From here on the content is frozen, by the database too."""
    now = timezone.now()
    minutes = _transition(actor=actor, minutes=minutes, action=rules.APPROVE, version=version,
                          changes={"approved_by": actor, "approved_at": now})
    tell_review_step(minutes, step="approve", actor=actor)
    minutes_approved.send(sender=Minutes, actor=actor, minutes=minutes)
    return minutes


@dataclass
class DistributionResult:
    minutes: Minutes
    queued: list = field(default_factory=list)  # outbox messages
    skipped: list = field(default_factory=list)  # people without an email address
    signoffs: list = field(default_factory=list)
    without_head: list = field(default_factory=list)  # participating departments nobody can sign for


@transaction.atomic
def minutes_distribute(*, actor, minutes):
    """Approved → distributed: mail participants and cc people (the .docx attached), open the heads' sign-offs."""
    from closeloop.minutes.distribution import enqueue_distribution

    minutes = _transition(actor=actor, minutes=minutes, action=rules.DISTRIBUTE,
                          changes={"distributed_at": timezone.now()})
    result = DistributionResult(minutes=minutes)
    record_close_for_minutes(actor=actor, meeting=minutes.meeting)  # the record is history now, like the agenda
    for department in selectors.participating_departments(minutes.meeting):
        if department.head_id is None or not department.head.is_active:
            result.without_head.append(department)
            continue
        result.signoffs.append(SignOff.objects.create(
            minutes=minutes, department=department, token=secrets.token_urlsafe(32),
            head=selectors.signer_for(minutes.meeting, department),
        ))
    result.queued, result.skipped = enqueue_distribution(minutes=minutes, signoffs=result.signoffs)
    minutes_distributed.send(sender=Minutes, actor=actor, minutes=minutes,
                             recipients=[m.recipient for m in result.queued if m.recipient_id])
    audit_record(actor=actor, action="minutes.distribution", obj=minutes, after={
        "recipients": [m.address for m in result.queued], "skipped": [p.pk for p in result.skipped],
        "signoffs": [s.department_id for s in result.signoffs],
        "without_head": [d.pk for d in result.without_head],
    })
    return result


@transaction.atomic
def minutes_sign_off(*, signoff, actor=None, token=None, comment=""):
    """A participating department's head signs the distributed minutes, signed in or by the mail's token.

    When the last head has signed, the minutes become signed off.
    """
    signoff = SignOff.objects.select_related("department", "head").get(pk=signoff.pk)
    # Lock the minutes row so that two last signatures at the same moment cannot both miss "all signed".
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=signoff.minutes_id)
    if token is not None:
        if not constant_time_compare(str(token), signoff.token):
            raise PermissionDenied(_("This sign-off link is not valid."))
        signer = signoff.head
    else:
        if actor is None or not actor.is_authenticated or actor.pk not in (signoff.head_id, signoff.department.head_id):
            raise PermissionDenied(_("Only the head of %(dept)s can sign off for it.") % {"dept": signoff.department})
        signer = actor
    if signoff.signed_at is not None:
        raise ValidationError({"signoff": _("%(dept)s has already signed off.") % {"dept": signoff.department}})
    if minutes.state != MinutesState.DISTRIBUTED:
        raise ValidationError({"state": _("Minutes can be signed off only after they are distributed.")})
    now = timezone.now()
    comment = (comment or "").strip()
    rows = SignOff.objects.filter(pk=signoff.pk, signed_at__isnull=True).update(
        signed_at=now, comment=comment, head=signer)
    if rows != 1:
        raise ValidationError({"signoff": _("%(dept)s has already signed off.") % {"dept": signoff.department}})
    audit_record(actor=signer, action="minutes.sign_off", obj=signoff,
                 after={"minutes": minutes.pk, "department": signoff.department_id, "by_token": token is not None,
                        "comment": comment})
    signed = SignOff.objects.filter(minutes=minutes).values_list("signed_at", flat=True)
    all_signed = rules.all_signed(s is not None for s in signed)
    if all_signed:
        rules.next_state(minutes.state, rules.SIGN_OFF)
        Minutes.objects.filter(pk=minutes.pk, state=MinutesState.DISTRIBUTED).update(
            state=MinutesState.SIGNED_OFF, signed_off_at=now, version=F("version") + 1, updated_at=now)
        audit_record(actor=signer, action="minutes.signed_off", obj=minutes,
                     before={"state": MinutesState.DISTRIBUTED}, after={"state": MinutesState.SIGNED_OFF})
    signoff.refresh_from_db()
    minutes.refresh_from_db()
    minutes_signed.send(sender=SignOff, minutes=minutes, signoff=signoff, all_signed=all_signed)
    return signoff


@transaction.atomic
def minutes_correct(*, actor, minutes, reason):
    """A correction of approved minutes: a new draft version (number + 1) starting from their text."""
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=minutes.meeting_id)
    current = _fresh(minutes)
    _require(actor, meeting, rules.CORRECT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the correction is for.")})
    try:
        rules.check_correctable(current.state, is_latest=selectors.is_latest(current))
    except rules.TransitionRefused as exc:
        raise ValidationError({"state": exc.message}) from None
    number = (Minutes.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
    policy = policy_for(meeting.organisation)
    correction = Minutes(
        meeting=meeting, number=number, content=dict(current.content), previous=current, correction_reason=reason,
        created_by=actor, due_at=timezone.now() + dt.timedelta(hours=policy.minutes_draft_hours),
    )
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError:
        raise ValidationError({"state": _("A newer version exists; correct that one.")}) from None
    audit_record(actor=actor, action="minutes.correct", obj=correction,
                 after={"number": number, "previous": current.pk, "reason": reason})
    return correction


def signoffs_revoke_for(*, actor, meeting, person, **_signal):
    """A person taken off the meeting: their open sign-offs of its minutes lose their head and get a new token
    (the mailed link stops working), and their inbox links to the minutes go."""
    minutes_ids = list(Minutes.objects.filter(meeting=meeting).values_list("pk", flat=True))
    for signoff in SignOff.objects.filter(minutes_id__in=minutes_ids, head=person, signed_at__isnull=True):
        SignOff.objects.filter(pk=signoff.pk).update(head=None, token=secrets.token_urlsafe(32))
        audit_record(actor=actor, action="signoff.revoke", object_type="minutes.signoff", object_id=signoff.pk,
                     before={"head": person.pk}, after={"head": None})
    inbox_forget(person=person, paths=[f"/minutes/{pk}/" for pk in minutes_ids])
