"""URL helpers shared by the blueprints: where a `next=` may send the browser, ids in URLs, and the
public address that tablets and certificates use."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from werkzeug.routing import IntegerConverter

#: PostgreSQL's integer (and so every id column): a larger id in a URL cannot name a row.
MAX_DATABASE_ID = 2**31 - 1


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, as the browser will read it; `default` otherwise.

    Browsers drop TAB, CR and LF anywhere in a URL and read a backslash as a slash, so
    `/\\evil.example` or `/%09/evil.example` decoded would leave the site: any control character
    or backslash refuses the target (and a CR or LF would not fit in a Location header anyway).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def database_id(raw: str | None) -> int | None:
    """`raw` as an id a database row can have (ASCII digits, 1 to MAX_DATABASE_ID), else None.

    str.isdigit() is no guard: it accepts "²", which int() refuses.
    """
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_DATABASE_ID else None


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: digits up to MAX_DATABASE_ID, so a larger number is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(map, *args, **kwargs)


# ------------------------------------------------------------------ the public address

#: The port run.py serves on by default; the address outside a request (`flask certificates`) uses it.
DEFAULT_PORT = 5000


def lan_addresses() -> list[str]:
    """This computer's addresses that other devices on its networks can reach, IPv4 first.

    Loopback (only this computer) and link-local addresses (169.254.x.x, fe80::, which
    tablets cannot type usefully) are left out. The address of the default route (the Wi-Fi
    or hotspot the laptop is on) comes first, before a virtual machine's or container's bridge.
    """
    import psutil

    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    for addresses in psutil.net_if_addrs().values():
        for entry in addresses:
            if entry.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            try:
                ip = ipaddress.ip_address(entry.address.split("%", 1)[0])
            except ValueError:
                continue
            if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
                continue
            if ip not in found:
                found.append(ip)
    routed = _default_route_address()
    found.sort(key=lambda ip: (ip != routed, ip.version, ip))
    return [str(ip) for ip in found]


def _default_route_address() -> ipaddress.IPv4Address | None:
    """The address this computer would send from to the outside (a UDP "connect" sends nothing)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never a real host
            return ipaddress.IPv4Address(probe.getsockname()[0])
    except (OSError, ValueError):
        return None


def url_for_address(address: str, port: int, scheme: str = "http") -> str:
    """http://192.168.1.5:5000/ or, for IPv6, http://[fd00::5]:5000/."""
    host = f"[{address}]" if ":" in address else address
    return f"{scheme}://{host}:{port}/"


def is_loopback_host(hostname: str) -> bool:
    """True for a host name only this computer can open: localhost, 127.x.x.x, ::1 (and 0.0.0.0)."""
    name = hostname.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


@dataclass(frozen=True)
class PublicBase:
    """Where tablets and a certificate's QR code reach the app, ending in "/"."""

    #: http://192.168.43.10:5000/ (or PUBLIC_BASE_URL).
    url: str
    #: False when only this computer can open `url` (loopback: the laptop is on no network).
    reachable: bool
    #: The port the address uses (for the educator's instructions).
    port: int

    def join(self, path: str) -> str:
        """The full address of `path` (a URL path starting with "/")."""
        return self.url.rstrip("/") + path


def public_base() -> PublicBase:
    """The one public address of the app: PUBLIC_BASE_URL when set, else one tablets can reach.

    The address in the educator's browser is used unless it is loopback (127.0.0.1, localhost,
    ::1: on a tablet that is the tablet itself); then this computer's LAN address with the same
    port, IPv6 in brackets. Outside a request (`flask certificates`) the LAN address on port
    5000. When the computer has no LAN address the loopback address is returned with
    `reachable=False`, so the page can say so.
    """
    configured = (current_app.config.get("PUBLIC_BASE_URL") or "").strip()
    if configured:
        parts = urlsplit(configured)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return PublicBase(configured.rstrip("/") + "/", True, port)
    scheme, port = "http", DEFAULT_PORT
    if has_request_context():
        scheme = request.scheme
        host = urlsplit(request.host_url)
        port = host.port or (443 if scheme == "https" else 80)
        if not is_loopback_host(host.hostname or ""):
            return PublicBase(request.host_url, True, port)
    lan = lan_addresses()
    if lan:
        return PublicBase(url_for_address(lan[0], port, scheme), True, port)
    here = request.host_url if has_request_context() else url_for_address("127.0.0.1", port, scheme)
    return PublicBase(here, False, port)


def public_url(path: str) -> str:
    """The full public address of `path` (the join link, a certificate's verification page)."""
    return public_base().join(path)
