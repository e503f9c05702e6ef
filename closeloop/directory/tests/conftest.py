"""Fixtures of the directory tests: a real slapd per test."""

from closeloop.directory.testing import ldap_server  # noqa: F401
