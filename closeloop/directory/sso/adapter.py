"""django-allauth adapters: no self-service sign-up with a password; people from a provider join on first sign-in.

A provider's person is linked by the provider's stable subject (allauth's SocialAccount uid), never by e-mail
alone. A person already in Closeloop links their provider from their profile while signed in.
"""

import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from closeloop.org.models import Person
from closeloop.org.selectors import organisation_default


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # administrators or the directory create people; nobody signs up with a password


def _free_username(wanted, uid):
    wanted = re.sub(r"[^\w.@+-]", "", wanted or "")[:100] or f"sso-{uid}"[:100]
    candidate, n = wanted, 1
    while Person.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{wanted[:96]}-{n}"
    return candidate


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        person = super().populate_user(request, sociallogin, data)
        person.username = _free_username(data.get("username") or sociallogin.account.uid, sociallogin.account.uid)
        person.organisation = organisation_default()
        name = data.get("name") or " ".join(filter(None, [data.get("last_name"), data.get("first_name")]))
        person.display_name = (name or person.username)[:100]
        return person

    def get_requests_session(self):
        session = super().get_requests_session()
        overrides = getattr(settings, "SSO_ENDPOINT_OVERRIDES", {})
        if overrides:
            request = session.request

            def rewritten(method, url, *args, **kwargs):
                for origin, replacement in overrides.items():
                    if url.startswith(origin):
                        url = replacement + url[len(origin):]
                return request(method, url, *args, **kwargs)

            session.request = rewritten
        return session
