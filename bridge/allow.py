"""Which client addresses may use the bridge (``segue serve --allow``)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from segue.errors import SegueError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_allow(items: Iterable[str]) -> tuple[Network, ...]:
    """Networks from addresses or CIDR networks; items may also be comma-separated lists."""
    networks: list[Network] = []
    for item in items:
        for part in (p.strip() for p in item.split(",")):
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


def is_allowed(host: str, networks: tuple[Network, ...]) -> bool:
    """True when no networks are given, or the host lies in one of them."""
    if not networks:
        return True
    address = _address(host)
    return address is not None and any(
        address in n for n in networks if n.version == address.version
    )


def exposes_network(host: str) -> bool:
    """Whether listening on ``host`` lets other machines reach the bridge."""
    if host in ("", "localhost"):
        return host == ""
    address = _address(host)
    return address is None or not address.is_loopback
