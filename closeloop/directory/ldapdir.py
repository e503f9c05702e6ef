"""Reading the directory over LDAP: people and their groups, as plain `Entry` values."""

import ldap
from django.conf import settings

from .ldapconf import connection_options
from .rules import Entry, ad_disabled, department_path_for, normalise_dn

PERSON_ATTRIBUTES = ["mail", "displayName", "cn", "title", "manager", "userAccountControl", "ou",
                     "departmentNumber", "department"]


class DirectoryError(Exception):
    """The directory could not be read: not configured, unreachable, or refused our bind."""


def configured():
    return bool(getattr(settings, "LDAP_SERVER_URI", ""))


def _first(attrs, name):
    values = attrs.get(name) or []
    if not values:
        return ""
    value = values[0]
    return (value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)).strip()


def connect():
    """A bound connection, with StartTLS when LDAP_START_TLS is on."""
    if not configured():
        raise DirectoryError("LDAP_SERVER_URI is not set")
    try:
        conn = ldap.initialize(settings.LDAP_SERVER_URI)
        for option, value in connection_options(ca_cert_file=settings.LDAP_CA_CERT_FILE).items():
            conn.set_option(option, value)
        conn.protocol_version = ldap.VERSION3
        if settings.LDAP_START_TLS:
            conn.start_tls_s()
        conn.simple_bind_s(settings.LDAP_BIND_DN, settings.LDAP_BIND_PASSWORD)
    except ldap.LDAPError as exc:
        raise DirectoryError(_describe(exc)) from None
    return conn


def _describe(exc):
    info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    return " ".join(filter(None, [info.get("desc", type(exc).__name__), info.get("info", "")]))


def _groups_by_member(conn):
    """{member DN (normalised): {group DN (normalised), …}} for the groups below LDAP_GROUP_BASE."""
    if not settings.LDAP_GROUP_BASE:
        return {}
    members = {}
    results = conn.search_s(settings.LDAP_GROUP_BASE, ldap.SCOPE_SUBTREE,
                            "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group))",
                            ["member", "uniqueMember"])
    for group_dn, attrs in results:
        if not group_dn:
            continue  # a referral
        for raw in (attrs.get("member") or []) + (attrs.get("uniqueMember") or []):
            members.setdefault(normalise_dn(raw.decode()), set()).add(normalise_dn(group_dn))
    return members


def read_people():
    """Every person below LDAP_USER_BASE that matches LDAP_USER_FILTER, with department path and groups."""
    conn = connect()
    try:
        groups = _groups_by_member(conn)
        username_attr = settings.LDAP_USERNAME_ATTRIBUTE
        department_attr = settings.LDAP_DEPARTMENT_ATTRIBUTE
        attributes = sorted({username_attr, *PERSON_ATTRIBUTES, *([department_attr] if department_attr else [])})
        results = conn.search_s(settings.LDAP_USER_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_USER_FILTER, attributes)
    except ldap.LDAPError as exc:
        raise DirectoryError(_describe(exc)) from None
    finally:
        conn.unbind_s()
    entries = []
    for dn, attrs in results:
        if not dn:
            continue
        username = _first(attrs, username_attr)
        if not username:
            continue
        entries.append(entry_from_attributes(dn, attrs, username=username, groups=groups.get(normalise_dn(dn), ())))
    return entries


def entry_from_attributes(dn, attrs, *, username, groups):
    """An `Entry` from an LDAP result (attribute values as bytes), shared by the sync and the sign-in."""
    department_attr = settings.LDAP_DEPARTMENT_ATTRIBUTE
    return Entry(
        dn=dn, username=username, email=_first(attrs, "mail"),
        display_name=_first(attrs, "displayName") or _first(attrs, "cn"),
        title=_first(attrs, "title"),
        department_path=department_path_for(
            dn=dn, user_base=settings.LDAP_USER_BASE,
            attribute_value=_first(attrs, department_attr) if department_attr else ""),
        manager_dn=_first(attrs, "manager"),
        groups=frozenset(groups),
        disabled=ad_disabled(_first(attrs, "userAccountControl")),
    )
