"""The bridge's UDP sockets as every OS needs them set up.

- :func:`exclusive`: on Windows, another program may bind a port that is already bound
  (to the same or to a wider address) and take over its datagrams, unless the first
  socket asked for the port for itself (``SO_EXCLUSIVEADDRUSE``). Linux and macOS refuse
  such a bind by themselves.
- :func:`dual_stack`: a socket on an IPv6 address hears IPv4 clients too (as
  ``::ffff:192.168.1.20``). Linux and macOS do so by default; Windows does not
  (``IPV6_V6ONLY`` is on there), and TouchOSC and the Live device speak IPv4.
- :data:`PORT_TAKEN`: the error numbers that mean another program holds the port
  (:func:`port_taken` reads them).
"""

from __future__ import annotations

import contextlib
import socket

PORT_TAKEN = (98, 48, 10048, 10013)
"""Address in use on Linux, macOS and Windows; on Windows also "access denied", which is
what a bind gets when another program holds the port for itself (:func:`exclusive`)."""


def port_taken(exc: OSError) -> bool:
    """Whether a bind failed because another program holds the port. On Windows, Python
    maps WSAEACCES (10013) to errno 13, and says the Windows code only as ``winerror``: a
    bridge beside one on the same port was not told so there."""
    return exc.errno in PORT_TAKEN or getattr(exc, "winerror", None) in PORT_TAKEN


def exclusive(sock: socket.socket) -> None:
    """On Windows, no other program may bind ``sock``'s port while it is open (without
    SO_EXCLUSIVEADDRUSE another could take over its datagrams); elsewhere nothing to do."""
    option = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
    if option is not None:
        sock.setsockopt(socket.SOL_SOCKET, option, 1)


def dual_stack(sock: socket.socket) -> None:
    """Let an IPv6 ``sock`` hear IPv4 clients too, on every OS (before it is bound); an
    IPv4 socket, or a system without IPv4 beside IPv6, is left as it is."""
    if sock.family == socket.AF_INET6:
        with contextlib.suppress(OSError, AttributeError):
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
