"""Reads for the organisation app."""

from closeloop.lib.hooks import Hook
from closeloop.org.models import Organisation, Person, Policy


def organisation_default():
    """The organisation of a single-organisation install (created on first use)."""
    org = Organisation.objects.order_by("id").first()
    if org is None:
        org = Organisation.objects.create(name="Closeloop")
    return org


def policy_for(organisation):
    """The organisation's policy (created with the defaults on first use); no query when it came along with the
    organisation (select_related("organisation__policy"))."""
    cached = organisation._state.fields_cache.get("policy")
    if cached is not None:
        return cached
    policy = Policy.objects.filter(organisation=organisation).first()
    if policy is None:
        # The first requests of a new organisation may all get here at once: an insert that finds the row
        # already made is ignored, where get_or_create's would fail (and answer 500) inside a transaction.
        Policy.objects.bulk_create([Policy(organisation=organisation)], ignore_conflicts=True)
        policy = Policy.objects.get(organisation=organisation)
    organisation._state.fields_cache["policy"] = policy  # as get_or_create did: the next call reads no row
    return policy


def _administrators(organisation):
    from closeloop.org.choices import Role
    from closeloop.org.models import Person

    return list(Person.objects.filter(organisation=organisation, is_active=True, role=Role.ADMIN).order_by("pk"))


# The organisation's management group (who hears what no department head is above): the insight app
# provides the group chosen in its settings; without it, the administrators (the PMO).
management_group = Hook("management_group", default=_administrators)


def people_choices(organisation_id):
    """(id, name, department name) of the organisation's active people, by department and name: what a chooser
    shows, read as plain rows (building a Person per row cost 0.7 ms each on a 1,000-person page)."""
    rows = (Person.objects.filter(organisation_id=organisation_id, is_active=True)
            .order_by("department__name", "display_name", "username")
            .values_list("pk", "display_name", "first_name", "last_name", "username", "department__name"))
    return [(pk, display or f"{first} {last}".strip() or username, department)
            for pk, display, first, last, username, department in rows]
