"""Which hosts inside the network robots and webhooks may reach: the WEBHOOK_ALLOWLIST setting plus the
administrators' list (AllowedWebhookHost); and the check of a URL when it is saved."""

import ipaddress

from django.conf import settings
from django.utils.translation import gettext as _

from closeloop.lib.http import Allowlist, RequestFailed, UnsafeURL, check_url


def allowlist_for(organisation):
    from closeloop.notify.models import AllowedWebhookHost

    entries = list(getattr(settings, "WEBHOOK_ALLOWLIST", []) or [])
    if organisation is not None:
        entries += list(AllowedWebhookHost.objects.filter(organisation=organisation).values_list("host", flat=True))
    return Allowlist.parse(entries)


def unsafe_message(exc):
    """A translated sentence for an UnsafeURL."""
    fixed = {
        "scheme": _("Only http:// and https:// addresses can be used."),
        "host": _("The address has no host."),
        "port": _("The address has an invalid port."),
    }
    if exc.reason in fixed:
        return fixed[exc.reason]
    kinds = {"loopback": _("a loopback address"), "private": _("a private address"),
             "link-local": _("a link-local address")}
    return _("Its host resolves to %(kind)s (%(ip)s), inside the network; an administrator must allow-list "
             "the host first.") % {"kind": kinds.get(exc.reason, _("an address that is not public")), "ip": exc.ip}


def url_problem(url, organisation):
    """Why this webhook URL cannot be saved (a translated message), or None when it is acceptable."""
    try:
        check_url(url, allowlist_for(organisation))
    except UnsafeURL as exc:
        return unsafe_message(exc)
    except RequestFailed:
        return _("The host of this address cannot be resolved.")
    return None


def host_problem(host):
    """Why an allow-list entry is not a host name, an IP address or a network, or None."""
    host = (host or "").strip().strip("[]")
    if not host:
        return _("Enter a host name, an IP address or a network.")
    if "/" in host:
        try:
            ipaddress.ip_network(host, strict=False)
            return None
        except ValueError:
            return _("This is not a valid network, such as 10.1.0.0/16.")
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if all(label and len(label) <= 63 and label.replace("-", "").isalnum() for label in labels):
        return None
    return _("This is not a valid host name.")
