"""Signing in through LDAP fills the person from their entry, as the sync would."""

from django.dispatch import receiver
from django_auth_ldap.backend import populate_user

from closeloop.org.selectors import organisation_default

from .ldapdir import entry_from_attributes
from .services import person_apply_entry


@receiver(populate_user)
def person_from_ldap_entry(sender, user, ldap_user, **kwargs):
    entry = entry_from_attributes(ldap_user.dn, ldap_user.attrs, username=user.username,
                                  groups=ldap_user.group_dns if _groups_configured(ldap_user) else ())
    person_apply_entry(person=user, entry=entry, organisation=user.organisation or organisation_default())


def _groups_configured(ldap_user):
    return ldap_user.settings.GROUP_SEARCH is not None and ldap_user.settings.GROUP_TYPE is not None
