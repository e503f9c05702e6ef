"""django-auth-ldap's settings built from Closeloop's LDAP_* variables (settings.py and the tests share this)."""

import ldap
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch, NestedActiveDirectoryGroupType


def connection_options(*, ca_cert_file=""):
    options = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 10}
    if ca_cert_file:
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_cert_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: makes the TLS options above take effect
    return options


def auth_ldap_settings(*, server_uri, bind_dn, bind_password, user_base, group_base="", start_tls=False,
                       ca_cert_file="", user_filter="(objectClass=inetOrgPerson)", username_attribute="uid",
                       group_type="groupOfNames"):
    """The AUTH_LDAP_* settings: search the person below user_base, their groups below group_base."""
    values = {
        "AUTH_LDAP_SERVER_URI": server_uri,
        "AUTH_LDAP_BIND_DN": bind_dn,
        "AUTH_LDAP_BIND_PASSWORD": bind_password,
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_CONNECTION_OPTIONS": connection_options(ca_cert_file=ca_cert_file),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            user_base, ldap.SCOPE_SUBTREE, f"(&{user_filter}({username_attribute}=%(user)s))"),
        "AUTH_LDAP_USER_ATTR_MAP": {"email": "mail", "first_name": "givenName", "last_name": "sn"},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
    }
    if group_base:
        values["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(group_base, ldap.SCOPE_SUBTREE)
        values["AUTH_LDAP_GROUP_TYPE"] = (
            NestedActiveDirectoryGroupType() if group_type == "activedirectory" else GroupOfNamesType())
        values["AUTH_LDAP_FIND_GROUP_PERMS"] = False
    return values
