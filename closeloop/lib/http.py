"""The one outbound HTTP call: a JSON POST with timeouts that refuses addresses inside the network.

A URL whose host resolves to a private, loopback, link-local (or any other non-public) address is
refused unless the host is allow-listed. The check runs when the connection is made, on the very
address connected to, so a DNS answer that changes after an administrator saved the URL cannot
point us inside the network. Redirects are not followed: a 3xx comes back as the answer.

Nothing here logs or repeats a URL: webhook URLs carry tokens in their query string or path.
"""

import email.utils
import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_TIMEOUT = 10
MAX_ANSWER_BYTES = 1 << 20


class UnsafeURL(ValueError):
    """The URL may not be called; retrying cannot help. `reason`: scheme, host, port, or the kind of
    address its host resolves to (loopback, private, link-local, not public), with that `ip`."""

    MESSAGES = {
        "scheme": "only http and https addresses can be called",
        "host": "the address has no host",
        "port": "the address has an invalid port",
    }

    def __init__(self, reason, ip=None):
        self.reason, self.ip = reason, ip
        text = self.MESSAGES.get(reason) or (
            f"the host resolves to a {reason} address ({ip}); an administrator can allow-list it")
        super().__init__(text)


class RequestFailed(Exception):
    """No answer: the connection failed, was cut or timed out; a retry may help."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes

    def json(self):
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def retry_after(self, now=None):
        """Seconds the receiver asked us to wait (Retry-After as seconds or an HTTP date), else None."""
        value = self.headers.get("retry-after", "").strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(moment.timestamp() - (now if now is not None else time.time()), 0.0)


@dataclass(frozen=True)
class Allowlist:
    """Hosts (names or addresses) and networks an administrator allowed despite being inside the network."""

    hosts: frozenset = frozenset()
    networks: tuple = ()

    @classmethod
    def parse(cls, entries):
        hosts, networks = set(), []
        for entry in entries or ():
            entry = str(entry).strip().lower().strip("[]")
            if not entry:
                continue
            if "/" in entry:
                try:
                    networks.append(ipaddress.ip_network(entry, strict=False))
                    continue
                except ValueError:
                    pass
            hosts.add(entry)
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host, ip=None):
        if host and host.lower().strip("[]") in self.hosts:
            return True
        if ip is not None:
            return str(ip) in self.hosts or any(ip in net for net in self.networks if ip.version == net.version)
        return False


def refusal(ip):
    """Why this address may not be called ('loopback', 'private', 'link-local', 'not public'), or None."""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if not ip.is_global or ip.is_multicast:
        return "not public"
    return None


def _split(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("scheme")
    if not parts.hostname:
        raise UnsafeURL("host")
    try:
        port = parts.port
    except ValueError:
        raise UnsafeURL("port") from None
    return parts, port or (443 if parts.scheme == "https" else 80)


def _resolve(host, port):
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RequestFailed(f"the host name could not be resolved ({exc.__class__.__name__})") from None
    return [(info[0], info[4]) for info in infos]


def _check_addresses(host, addresses, allowlist):
    for _family, sockaddr in addresses:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        reason = refusal(ip)
        if reason and not allowlist.allows(host, ip):
            raise UnsafeURL(reason, ip)


def check_url(url, allowlist=Allowlist()):
    """Raise UnsafeURL if `url` may not be called; RequestFailed if its host cannot be resolved now."""
    parts, port = _split(url)
    if allowlist.allows(parts.hostname):
        return
    _check_addresses(parts.hostname, _resolve(parts.hostname, port), allowlist)


def _guarded_connection(allowlist):
    """socket.create_connection that checks each resolved address and connects only to checked ones."""

    def create_connection(address, timeout=None, source_address=None, **_kwargs):
        host, port = address
        addresses = _resolve(host, port)
        if not allowlist.allows(host):
            _check_addresses(host, addresses, allowlist)
        error = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError("no address to connect to")

    return create_connection


def post_json(url, payload, *, headers=None, timeout=DEFAULT_TIMEOUT, allowlist=Allowlist()):
    """POST `payload` (a dict, or bytes already encoded) as JSON; return the Response whatever its status.

    Raises UnsafeURL (never retry) or RequestFailed (retry may help).
    """
    parts, port = _split(url)
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    conn._create_connection = _guarded_connection(allowlist)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent_headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Closeloop",
                    "Accept": "application/json", **(headers or {})}
    try:
        conn.request("POST", target, body=body, headers=sent_headers)
        answer = conn.getresponse()
        data = answer.read(MAX_ANSWER_BYTES)
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)
    except (OSError, http.client.HTTPException) as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else f"{exc.__class__.__name__}: {exc}"
        raise RequestFailed(f"no answer from the receiver ({reason})") from None
    finally:
        conn.close()
