"""Inviting many at once: a whole department, a project's members or an earlier meeting's participants, with the
same roles; and removing several at once. Each person goes through participant_set / participant_remove, so every
change keeps its own audit row and its signals; the whole batch is one transaction (all or nothing)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from closeloop.meetings.models import Participant
from closeloop.meetings.services.access import require_editor
from closeloop.meetings.services.planning import participant_remove, participant_set
from closeloop.org.models import Person


@dataclass
class Batch:
    added: list = field(default_factory=list)  # people
    kept: list = field(default_factory=list)  # already invited: their roles stay as they are


def people_of_department(department):
    return Person.objects.filter(department=department, is_active=True)


def people_of_project(project):
    """The project's members and its lead."""
    ids = set(project.members.filter(is_active=True).values_list("pk", flat=True))
    if project.lead_id:
        ids.add(project.lead_id)
    return Person.objects.filter(pk__in=ids, is_active=True)


def people_of_meeting(meeting):
    return Person.objects.filter(participations__meeting=meeting, is_active=True)


@transaction.atomic
def participants_invite_many(*, actor, meeting, people, roles, required=True):
    """Invite everyone in `people` not invited yet with `roles`; people already invited keep their roles."""
    require_editor(actor, meeting)
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    invited = set(Participant.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    batch = Batch()
    for person in people.order_by("department__name", "display_name", "username"):
        if person.pk in invited:
            batch.kept.append(person)
            continue
        participant_set(actor=actor, meeting=meeting, person=person, roles=roles, required=required)
        batch.added.append(person)
    return batch


@transaction.atomic
def participants_remove_many(*, actor, meeting, participant_ids):
    require_editor(actor, meeting)
    chosen = list(Participant.objects.filter(meeting=meeting, pk__in=participant_ids).select_related("person"))
    if not chosen:
        raise ValidationError({"participants": _("Choose at least one participant.")})
    for participant in chosen:
        participant_remove(actor=actor, participant=participant)
    return len(chosen)
