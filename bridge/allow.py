"""Which client addresses may use the bridge (``segue serve --allow``), and which never get
an answer whoever they are.

:func:`unanswerable` follows what the BSD inetd does for its UDP services (echo,
chargen, daytime): a datagram from a port below 1024 may come from another
service (echo, DNS, NTP) that would answer the answer, so it is never answered;
neither is one from a broadcast, multicast or unspecified address, nor, as inetd's
loop check does for its own services, one from the bridge's own port: that is the
bridge itself (a reply that came back) or another bridge, and answering would
start a loop that never ends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from segue.errors import SegueError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
BROADCAST = ipaddress.IPv4Address("255.255.255.255")


def listen_host(host: str) -> str:
    """The address meant by ``host``: ``localhost`` is 127.0.0.1 (IPv4, what the Live device
    uses), whatever the system would list first."""
    return "127.0.0.1" if host.strip().lower() == "localhost" else host


def parse_allow(items: Iterable[str]) -> tuple[Network, ...]:
    """Networks from addresses or CIDR networks; items may also be comma-separated lists."""
    networks: list[Network] = []
    for item in items:
        parts = [p.strip() for p in item.split(",")]
        if not any(parts):
            raise SegueError(
                f"--allow {item!r} names no address: give addresses or networks such as "
                "192.168.1.20 or 192.168.1.0/24 (leave --allow out to answer anyone)"
            )
        for part in parts:
            if not part:
                continue
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise SegueError(
                    f"--allow: {part!r} is not an IP address or network such "
                    "as 192.168.1.20 or 192.168.1.0/24"
                ) from None
    return tuple(networks)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=4096)
def is_allowed(host: str, networks: tuple[Network, ...]) -> bool:
    """True when no networks are given, the host lies in one of them, or it is this
    computer's loopback (a datagram this computer sent to its network address comes from
    that address, which ``--allow`` must name): ``--allow`` names who else may. A musician
    who served a phone with ``--allow 192.168.1.23`` found the Live device beside the
    bridge refused, and ``segue ping`` said no bridge was running."""
    if not networks:
        return True
    address = _address(host)
    return address is not None and (
        address.is_loopback or any(address in n for n in networks if n.version == address.version)
    )


@lru_cache(maxsize=4096)
def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address of this computer's loopback (127.0.0.0/8, ::1)."""
    address = _address(host)
    return address is not None and address.is_loopback


def exposes_network(host: str) -> bool:
    """Whether listening on ``host`` lets other machines reach the bridge."""
    if host in ("", "localhost"):
        return host == ""
    return not is_loopback(host)


def unanswerable(client: tuple[str, int], own_port: int) -> str | None:
    """Why a datagram from ``client`` must never be answered, or None when it may be."""
    host, port = client
    if port == own_port:
        return "sent from the bridge's own port (a reply that came back, or another bridge)"
    if port < 1024:
        return "sent from a port below 1024 (a service such as echo, DNS or NTP would answer)"
    if not _one_host(host):
        return "sent from a broadcast, multicast or unspecified address"
    return None


@lru_cache(maxsize=4096)
def _one_host(host: str) -> bool:
    """Whether ``host`` is the address of one host (not many, not none)."""
    address = _address(host)
    return not (
        address is None or address.is_multicast or address.is_unspecified or address == BROADCAST
    )
