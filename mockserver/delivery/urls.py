"""Where deliveries may go: the providers' public-HTTPS rule, for the providers' settings that
enforce it (by default the fake delivers anywhere, localhost included)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

BLOCKED_HOSTS = frozenset({"localhost", "metadata.google.internal"})


def public_https_problem(url: str) -> str | None:
    """Why `url` is not a public HTTPS URL (None when it is): plain HTTP, no host, localhost,
    or a loopback, private, link-local (cloud metadata) or reserved address."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a URL"
    if parts.scheme != "https":
        return "only HTTPS URLs are allowed"
    if not host:
        return "the URL has no host"
    if host.lower() in BLOCKED_HOSTS or host.lower().endswith(".localhost"):
        return f"{host} is not a public host"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: public as far as the fake can tell without resolving it
    if not address.is_global:
        return f"{host} is not a public address"
    return None
