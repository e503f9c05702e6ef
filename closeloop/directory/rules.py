"""Pure rules of the directory: where a person belongs, which role their groups give, who heads a department.

No database here: plain strings and dicts in, plain values out.
"""

from collections import Counter
from typing import NamedTuple

import ldap.dn

ADMIN, HEAD, MEMBER = "admin", "head", "member"


class Entry(NamedTuple):
    """One person as the directory describes them."""

    dn: str
    username: str
    email: str = ""
    display_name: str = ""
    title: str = ""
    department_path: tuple = ()  # outermost first, e.g. ("销售部", "大客户组")
    manager_dn: str = ""
    groups: frozenset = frozenset()  # normalised group DNs
    disabled: bool = False


def normalise_dn(dn):
    """A DN compared as the directory compares it: case and spacing do not matter."""
    try:
        return ldap.dn.dn2str(
            [[(attr.lower(), value.lower(), kind) for attr, value, kind in rdn] for rdn in ldap.dn.str2dn(dn)])
    except ldap.DECODING_ERROR:
        return (dn or "").strip().lower()


def department_path(dn, user_base):
    """The organisational units between an entry and the people base, outermost first.

    uid=chen,ou=大客户组,ou=销售部,ou=people,dc=example,dc=com below ou=people,dc=example,dc=com
    → ("销售部", "大客户组").
    """
    rdns = ldap.dn.str2dn(dn)
    base_len = len(ldap.dn.str2dn(user_base)) if user_base else 0
    inner = rdns[1:len(rdns) - base_len] if base_len else rdns[1:]
    units = [value for rdn in inner for attr, value, _kind in rdn if attr.lower() == "ou"]
    return tuple(reversed(units))


def department_path_for(*, dn, user_base, attribute_value=""):
    """The department from an attribute when it is set (a flat name, or a path with '/'), else from the OUs."""
    if attribute_value:
        return tuple(part.strip() for part in attribute_value.split("/") if part.strip())
    return department_path(dn, user_base)


def role_for(groups, *, admin_group="", pmo_group="", heads_a_department=False):
    """Administrator or PMO group → admin; a department head → head; anyone else → member."""
    wanted = {normalise_dn(g) for g in (admin_group, pmo_group) if g}
    if wanted & {normalise_dn(g) for g in groups}:
        return ADMIN
    return HEAD if heads_a_department else MEMBER


def is_staff_for(groups, *, admin_group=""):
    """Only the administrator group opens Django's administration pages."""
    return bool(admin_group) and normalise_dn(admin_group) in {normalise_dn(g) for g in groups}


def elect_heads(entries, *, head_group=""):
    """Each department path's head: a member of the head group in it, else the manager most of its people name.

    Returns {department_path: username}. A department whose people name nobody keeps no head from here.
    """
    by_dn = {normalise_dn(e.dn): e for e in entries}
    heads = {}
    if head_group:
        group = normalise_dn(head_group)
        for entry in sorted(entries, key=lambda e: e.username):
            if group in {normalise_dn(g) for g in entry.groups} and entry.department_path:
                heads.setdefault(entry.department_path, entry.username)
    votes = {}
    for entry in entries:
        manager = by_dn.get(normalise_dn(entry.manager_dn)) if entry.manager_dn else None
        if manager is None or manager.username == entry.username or not entry.department_path:
            continue
        votes.setdefault(entry.department_path, Counter())[manager.username] += 1
    for path, counter in votes.items():
        if path not in heads:
            # Most votes first, then the name, so the result never depends on the directory's order.
            heads[path] = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return heads


def ad_disabled(user_account_control):
    """Active Directory marks a disabled account with bit 2 of userAccountControl."""
    try:
        return bool(int(user_account_control) & 2)
    except (TypeError, ValueError):
        return False
