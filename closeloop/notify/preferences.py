"""Where a person's messages go and when: their channels per kind of message, and their quiet hours.

The contract with the code that queues messages (e.g. follow-ups' `notify_person`):
- `channels_for(person, kind, now)` → [(channel, address)]: the person's chosen channels for this kind,
  each with the outbox address to use. Email goes to their address, the inbox to their id, a robot
  channel to their department's robot for that platform and kind (the nearest one up the department
  tree), as "robot:<id>". A channel that cannot be reached is skipped; if nothing is left, the inbox
  is used: nothing is dropped.
- `next_allowed_time(person, now)`: `now`, or the end of their quiet hours when `now` falls inside
  them. `outbox_enqueue` applies it itself to push channels (everything but the inbox), so a message
  queued at night waits until morning instead of being dropped.
"""

import zoneinfo

from django.conf import settings
from django.db.models import F

from closeloop.lib.lookups import AnyOf
from closeloop.notify.models import ROBOT_CHANNELS as ROBOTS
from closeloop.notify.models import Channel, Kind, NotifyPreference, Robot
from closeloop.notify.rules import category_of, quiet_until

DEFAULT_CHANNELS = [Channel.EMAIL.value, Channel.INBOX.value]
CHOOSABLE = [c.value for c in Channel]


def preference_of(person):
    """The person's saved preference, or None (read once per person object)."""
    if not hasattr(person, "_notify_preference_cache"):
        person._notify_preference_cache = NotifyPreference.objects.filter(person_id=person.pk).first()
    return person._notify_preference_cache


def preload(people):
    """Read what `channels_for` and `next_allowed_time` need for many people at once: their preferences in one
    query and, when any of them chose a robot, the robots and departments of their organisations in two more.
    A scan that tells 400 people asks the same few queries as one that tells 10."""
    people = [p for p in people if not hasattr(p, "_notify_preference_cache")]
    if not people:
        return
    found = {pref.person_id: pref
             for pref in NotifyPreference.objects.filter(AnyOf(F("person_id"), [p.pk for p in people]))}
    for person in people:
        person._notify_preference_cache = found.get(person.pk)
    robot_choosers = [p for p in people if found.get(p.pk) is not None
                      and any(c in ROBOTS for chosen in (found[p.pk].channels or {}).values() for c in chosen or ())]
    if not robot_choosers:
        return
    from closeloop.org.models import Department

    organisations = {p.organisation_id for p in robot_choosers}
    parents = dict(Department.objects.filter(organisation_id__in=organisations).values_list("pk", "parent_id"))
    robots = list(Robot.objects.filter(organisation_id__in=organisations, enabled=True))
    for person in robot_choosers:
        person._notify_robot_cache = (parents, robots)


def chosen_channels(person, kind):
    """The channel names the person chose for this kind (the default: email and inbox)."""
    preference = preference_of(person)
    chosen = (preference.channels or {}).get(category_of(kind)) if preference else None
    return [c for c in chosen if c in CHOOSABLE] if chosen else list(DEFAULT_CHANNELS)


def _department_chain(person):
    """The person's department and its ancestors, nearest first."""
    chain, department, seen = [], person.department if person.department_id else None, set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        chain.append(department.pk)
        department = department.parent
    return chain


def _chain_from(department_id, parents):
    chain = []
    while department_id is not None and department_id not in chain:
        chain.append(department_id)
        department_id = parents.get(department_id)
    return chain


def robot_for(person, channel, kind=None):
    """The nearest enabled robot of this platform, up the person's department tree, that carries this kind
    (any kind when `kind` is None)."""
    cached = getattr(person, "_notify_robot_cache", None)  # see `preload`
    chain = _department_chain(person) if cached is None else _chain_from(person.department_id, cached[0])
    if not chain:
        return None
    category = category_of(kind) if kind else None
    candidates = (Robot.objects.filter(department_id__in=chain, platform=channel, enabled=True) if cached is None
                  else [r for r in cached[1] if r.department_id in chain and r.platform == channel])
    robots = [r for r in candidates if category is None or category in (r.kinds or [])]
    robots.sort(key=lambda r: (chain.index(r.department_id), r.pk))
    return robots[0] if robots else None


def address_for(person, channel, kind=None):
    """The outbox address of `person` on `channel`, or "" when they cannot be reached there.

    Prefer the addresses `channels_for` returns: with `kind`, a robot must carry that kind of message.
    """
    if channel == Channel.EMAIL:
        return person.email or ""
    if channel == Channel.INBOX:
        return str(person.pk)
    if channel in ROBOTS:
        robot = robot_for(person, channel, kind)
        return robot.address if robot else ""
    return ""


def channels_for(person, kind, now=None):
    """[(channel, address)] for a message of `kind` to `person`; never empty (the inbox is the last resort).

    `now` is accepted for the callers' symmetry with `next_allowed_time`; quiet hours delay, not reroute.
    """
    result = []
    for channel in chosen_channels(person, kind):
        address = address_for(person, channel, kind)
        if address:
            result.append((channel, address))
    return result or [(Channel.INBOX.value, str(person.pk))]


def person_zone(person):
    for name in (person.time_zone, person.organisation.time_zone if person.organisation_id else "",
                 settings.TIME_ZONE):
        if name:
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return zoneinfo.ZoneInfo("UTC")


def next_allowed_time(person, now):
    """`now`, or the end of the person's quiet hours (in their time zone) when `now` falls inside them."""
    preference = preference_of(person)
    if preference is None or preference.quiet_start is None or preference.quiet_end is None:
        return now
    end = quiet_until(now.astimezone(person_zone(person)), preference.quiet_start, preference.quiet_end)
    return end if end is not None and end > now else now


__all__ = ["Kind", "channels_for", "next_allowed_time", "address_for", "robot_for", "chosen_channels"]
