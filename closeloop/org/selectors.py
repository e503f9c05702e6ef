"""Reads for the organisation app."""

from closeloop.org.models import Organisation, Policy


def organisation_default():
    """The organisation of a single-organisation install (created on first use)."""
    org = Organisation.objects.order_by("id").first()
    if org is None:
        org = Organisation.objects.create(name="Closeloop")
    return org


def policy_for(organisation):
    policy, _ = Policy.objects.get_or_create(organisation=organisation)
    return policy
