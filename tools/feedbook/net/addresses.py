"""Which addresses a fetch may connect to: the public internet, and the hosts the user named.

A feed is untrusted, and so is every URL in it. An image URL such as
``http://127.0.0.1:6379/`` or ``http://169.254.169.254/latest/meta-data/`` would
otherwise make feedbook fetch from this machine or its private network and embed
the answer in a book that is then published. So a connection goes only to a
globally routable address, checked on the address actually connected to (after
name resolution, in every spelling: ``2130706433``, ``0x7f.1``, ``127.1``,
``[::ffff:127.0.0.1]``, a name that resolves to one of these).

The exceptions are hosts the user named: the feed URL given on the command line
(a blog served from this machine or an intranet), and the hosts listed in
``FEEDBOOK_ALLOW_HOSTS`` (``host:port`` entries, comma-separated: the opt-in of
tests and mirrors). A trusted host is trusted with its port only.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from dataclasses import dataclass

ALLOW_HOSTS_VARIABLE = "FEEDBOOK_ALLOW_HOSTS"
DEFAULT_PORTS = {"http": 80, "https": 443}
# IPv6 ranges that carry an IPv4 address inside (NAT64): judged by that address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

HostPort = tuple[str, int]


def why_not_public(address: str) -> str:
    """ "" for a globally routable unicast address; otherwise what it is ("a loopback address")."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") says nothing
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return why_not_public(str(embedded))
    for kind, test in (
        ("an unspecified", ip.is_unspecified),
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("a private", ip.is_private),
        ("a reserved", ip.is_reserved or not ip.is_global),
    ):
        if test:
            return f"{kind} address"
    return ""


def host_port(url: str) -> HostPort | None:
    """(host, port) of an http(s) URL, the host in lower case and IDNA form, as connections name it."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return _normal_host(parts.hostname), port


def _normal_host(host: str) -> str:
    host = host.strip("[]").rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@dataclass(frozen=True)
class AddressPolicy:
    """The hosts (with their ports) that may be on this machine or a private network."""

    trusted: frozenset[HostPort] = frozenset()

    @classmethod
    def from_environment(cls, *named_urls: str) -> AddressPolicy:
        """Trust the URLs the user named, and the ``host:port`` entries of FEEDBOOK_ALLOW_HOSTS."""
        trusted = {pair for url in named_urls if (pair := host_port(url))}
        for entry in os.environ.get(ALLOW_HOSTS_VARIABLE, "").split(","):
            if entry.strip() and (pair := host_port("http://" + entry.strip())):
                trusted.add(pair)
        return cls(frozenset(trusted))

    def trusting(self, url: str) -> AddressPolicy:
        pair = host_port(url)
        return AddressPolicy(self.trusted | {pair}) if pair else self

    def refusal(self, host: str, port: int, address: str) -> str:
        """Why a connection to ``address`` (resolved from ``host``) is refused; "" when it may go."""
        if (_normal_host(host), port) in self.trusted:
            return ""
        why = why_not_public(address)
        return f"{address} is {why}" if why else ""
