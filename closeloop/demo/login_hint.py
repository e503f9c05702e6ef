"""The login page's hint while the demo organisation is loaded and its people still have the demo password."""

import functools

from django.contrib.auth.hashers import check_password

from closeloop.demo.organisation import ORG_NAME, PASSWORD, PEOPLE
from closeloop.org.models import Person

# Who a newcomer should try first: the seed meeting's host, the administrator, the colleague who reads English.
SUGGESTED = ("zhang.market", "pmo", "emma.product")


@functools.lru_cache(maxsize=16)
def _is_demo_password(encoded):
    # Hashing is slow on purpose: checked once per stored hash, not on every view of the login page.
    return check_password(PASSWORD, encoded)


def demo_login_hint():
    """None unless the demo is loaded and still opens with its password; then who to sign in as."""
    stored = dict(Person.objects.filter(organisation__name=ORG_NAME, username__in=SUGGESTED, is_active=True)
                  .values_list("username", "password"))
    if not stored or not all(_is_demo_password(encoded) for encoded in stored.values()):
        return None
    titles = {username: (name, title) for username, name, _dept, title, _role, _lang in PEOPLE}
    return {"organisation": ORG_NAME, "password": PASSWORD,
            "people": [(u, *titles[u]) for u in SUGGESTED if u in stored]}
