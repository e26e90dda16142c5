"""Where students join: this machine's addresses on the local network, and the QR code.

The join address must name the lecturer machine as students' phones reach it, which the
lecturer's browser (usually opened at 127.0.0.1) cannot say. The machine's own addresses are
read from its network interfaces, with no request to any host and no name look-up: the usual
trick (a socket "connected" to a public address) would count as an outside request in
tests/test_privacy.py, and a look-up of the machine's own name may ask a DNS server. On Linux
each interface is asked for its IPv4 address (SIOCGIFADDR); elsewhere a datagram socket is
pointed at a private address, which sends nothing but makes the system choose the interface
it would use.

The QR code is drawn here by `segno` (pure Python, no network service), as SVG.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
from urllib.parse import quote

from . import JOIN

HOST_ENV = "SUPPLY_CYCLE_HOST"
"""Set by `supply-cycle dashboard` to the address the server listens on, so the page can say
when students cannot reach it (127.0.0.1: this machine only)."""

_SIOCGIFADDR = 0x8915
_LESS_LIKELY = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg")
"""Interfaces that are rarely the room's network (containers, virtual machines, VPNs)."""


def addresses() -> list[str]:
    """This machine's IPv4 addresses that another device could reach, the likeliest first:
    private (10/8, 172.16/12, 192.168/16) on a physical interface, then the rest. Loopback and
    link-local (169.254/16) addresses are left out."""
    found = _by_interface() or _by_route()
    usable = []
    for name, text in found:
        address = ipaddress.ip_address(text)
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            continue
        usable.append((not address.is_private, name.startswith(_LESS_LIKELY), text))
    return list(dict.fromkeys(text for *_, text in sorted(usable)))


def _by_interface() -> list[tuple[str, str]]:
    try:
        import fcntl
    except ImportError:  # not Linux or another Unix
        return []
    found = []
    for _, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                packed = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR,
                                     struct.pack("256s", name[:15].encode()))
            except OSError:  # no IPv4 address on this interface
                continue
        found.append((name, socket.inet_ntoa(packed[20:24])))
    return found


def _by_route() -> list[tuple[str, str]]:  # pragma: no cover (Linux has SIOCGIFADDR)
    """The address the system would send from towards a private network: no packet leaves
    (a datagram socket's connect only chooses a route)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 9))
            return [("route", probe.getsockname()[0])]
    except OSError:
        return []


def listening_host() -> str | None:
    """The address the server listens on, when the launcher said (else None: unknown)."""
    return os.environ.get(HOST_ENV) or None


def loopback_only(host: str | None) -> bool:
    """Whether a server listening on `host` is out of students' reach."""
    if host is None:
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def join_address(page: dict | None, code: str | None = None) -> tuple[str, list[str]]:
    """The address students open (with the room code in it, for the QR code), and the other
    addresses of this machine. `page` is where the lecturer's browser found the server
    (protocol, hostname, port): a hostname other than this machine's own loopback is already
    reachable by others and is kept."""
    page = page or {}
    scheme = str(page.get("protocol") or "http:").rstrip(":")
    port = str(page.get("port") or "")
    hostname = str(page.get("hostname") or "")
    others = addresses()
    if hostname and not loopback_only(hostname) and hostname != "0.0.0.0":
        host = hostname
    else:
        host = others[0] if others else (hostname or "127.0.0.1")
    shown = f"[{host}]" if ":" in host else host
    tail = f":{port}" if port else ""
    query = f"={quote(code)}" if code else ""
    return f"{scheme}://{shown}{tail}/?{JOIN}{query}", [a for a in others if a != host]


def qr_svg(text: str, title: str) -> str:
    """A QR code of `text` as inline SVG (drawn here, offline), black on white, with a quiet
    zone, scalable (no fixed size), titled for screen readers."""
    import segno

    code = segno.make(text, error="m")
    return code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff",
                           title=title, svgclass="join-qr-code")
