"""Signing in through LDAP fills the person from their entry, as the sync would; `person_left` tells the apps above.

`person_left` is sent after the transaction that deactivated a leaver commits, with `person`, `head` (who should
take their work over, or None) and `open_work` (a list of handover.OpenWork). The notify app tells the head.
"""

from django.dispatch import Signal, receiver
from django_auth_ldap.backend import populate_user

from closeloop.org.selectors import organisation_default

person_left = Signal()


@receiver(populate_user)
def person_from_ldap_entry(sender, user, ldap_user, **kwargs):
    from .ldapdir import entry_from_attributes
    from .services import person_apply_entry

    entry = entry_from_attributes(ldap_user.dn, ldap_user.attrs, username=user.username,
                                  groups=ldap_user.group_dns if _groups_configured(ldap_user) else ())
    person_apply_entry(person=user, entry=entry, organisation=user.organisation or organisation_default())


def _groups_configured(ldap_user):
    return ldap_user.settings.GROUP_SEARCH is not None and ldap_user.settings.GROUP_TYPE is not None
