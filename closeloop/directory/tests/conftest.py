"""Fixtures of the directory tests: a real slapd and a real OpenID Connect provider per test."""

from closeloop.directory.testing import ldap_server  # noqa: F401
from closeloop.directory.testing_chat import chat_platforms  # noqa: F401
from closeloop.directory.testing_sso import oidc_provider  # noqa: F401
