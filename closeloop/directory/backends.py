"""Authentication backends: local passwords (switchable) and single sign-on sessions (LDAP is django-auth-ldap's)."""

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings

from closeloop.org.backends import PersonBackend


def is_break_glass(person):
    """Who may still use a local password when LOCAL_PASSWORDS is off: superusers and the listed usernames."""
    return person.is_superuser or person.get_username() in settings.LOCAL_PASSWORDS_BREAK_GLASS


def local_passwords_allowed(person):
    return settings.LOCAL_PASSWORDS or is_break_glass(person)


class LocalPasswordBackend(PersonBackend):
    """The local password check, refused when local passwords are off for this person (their open sessions too)."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and local_passwords_allowed(user)


class SingleSignOnBackend(AuthenticationBackend):
    """Keeps a session opened by django-allauth's providers; never checks a password itself."""

    def authenticate(self, request, **credentials):
        return None
