"""Keeping robot secrets out of sight: webhook URLs carry tokens in the query or the path, signs are secrets.

Pure functions, used wherever a URL or an error could be shown, logged or stored.
"""

from urllib.parse import parse_qsl, urlsplit

MASK = "***"


def redact_url(url):
    """scheme://host/***abcd: where the robot posts and the URL's last 4 characters (enough to tell two robots
    apart), never its path or query, which may carry the token (Feishu's hook, DingTalk's access_token)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return MASK
    if not parts.scheme or not host:
        return MASK
    if port:
        host = f"{host}:{port}"
    rest = url.split(host, 1)[-1].lstrip("/")
    return f"{parts.scheme}://{host}/{MASK}{rest[-4:] if len(rest) > 4 else ''}"


def secrets_of(url, secret=""):
    """The strings that must never be repeated: the secret, the URL, each query value, long path segments."""
    found = {secret, url}
    try:
        parts = urlsplit(url or "")
        found.update(value for _name, value in parse_qsl(parts.query))
        found.update(seg for seg in parts.path.split("/") if len(seg) >= 16)
    except ValueError:
        pass
    return sorted((s for s in found if s and len(s) >= 4), key=len, reverse=True)


def scrub(text, secrets):
    """`text` with every secret string replaced by the mask (longest first, so a URL goes before its token)."""
    text = str(text)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text
