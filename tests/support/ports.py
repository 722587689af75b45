"""Ports for tests that cannot lose a race to another socket.

A port found free by binding port 0, reading the number and closing the socket can be handed
to any other socket before the peer the test meant it for binds it: the system gave a test's
reply port to the AbletonOSC stand-in once in CI (ab36ec4), and another socket took a device's
reply port (d0c4ffc). So, in order of preference:

* the peer binds port 0 itself and the test reads back which port it got (a server's
  ``address``, a subprocess that prints its port);
* else the test holds the port with a bound socket (:class:`HeldPorts`) until the moment the
  peer binds it (:func:`release_before`, or :meth:`HeldPorts.release` just before);
* else, for a program that is given a port number and binds it later by itself, the start is
  tried again on a fresh port when another socket took it (:func:`retry_taken`);
* a port where nothing may answer (a silent Live, a bridge that is down) is held bound and
  silent for the whole test (:func:`silent_port`), never trusted to stay free.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

HOST = "127.0.0.1"

R = TypeVar("R")


def bound_udp(port: int = 0, host: str = HOST, kind: int = socket.SOCK_DGRAM) -> socket.socket:
    """A UDP socket (or of ``kind``) bound to ``host``:``port`` (0: a port the system picks)."""
    sock = socket.socket(socket.AF_INET, kind)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


@contextmanager
def silent_port() -> Iterator[int]:
    """A loopback UDP port that is bound and reads nothing while the block runs: what a
    silent Live or a stopped bridge looks like, and no other socket can be handed it."""
    with bound_udp() as sock:
        yield sock.getsockname()[1]


class HeldPorts:
    """Loopback UDP ports (or TCP ones: ``kind``) that this test holds, a bound socket each,
    until the code under test is about to bind them."""

    def __init__(self, kind: int = socket.SOCK_DGRAM) -> None:
        self.kind = kind
        self._held: dict[int, socket.socket] = {}

    def take(self) -> int:
        """A port the system picked, held from now on."""
        sock = bound_udp(kind=self.kind)
        port: int = sock.getsockname()[1]
        self._held[port] = sock
        return port

    def hold(self, port: int) -> None:
        """Hold ``port`` from now on (one the test's own peer just let go)."""
        self._held[port] = bound_udp(port, kind=self.kind)

    def adopt(self, sock: socket.socket) -> int:
        """Hold the port of ``sock``, a socket the test bound itself; returns the port."""
        port: int = sock.getsockname()[1]
        self._held[port] = sock
        return port

    def release(self, port: int) -> None:
        """Let ``port`` go (just before its peer binds it); nothing if it is not held."""
        sock = self._held.pop(port, None)
        if sock is not None:
            sock.close()

    def close(self) -> None:
        for port in list(self._held):
            self.release(port)


def release_before(
    monkeypatch: pytest.MonkeyPatch,
    owner: type,
    method: str,
    held: HeldPorts,
    port_of: Callable[[Any], int],
) -> None:
    """Make ``owner.method`` (the one that binds) let the held port ``port_of(self)`` go
    first: the port is free only from the moment the code under test binds it."""
    original = getattr(owner, method)

    def releasing(self: Any, *args: Any, **kwargs: Any) -> Any:
        held.release(port_of(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, releasing)


def retry_taken(
    held: HeldPorts,
    port: int,
    start: Callable[[int], R],
    taken: Callable[[R, int], bool],
    tries: int = 3,
) -> tuple[R, int]:
    """``start(port)`` for a program that is given a port number and binds it itself, later
    (a subprocess): the held ``port`` is let go just before, and another socket may take it
    meanwhile. When ``taken(result, port)`` says it did, the start is tried again on a fresh
    port (up to ``tries`` starts in all). Returns the last result and its port."""
    for attempt in range(tries):
        held.release(port)
        result = start(port)
        if attempt == tries - 1 or not taken(result, port):
            break
        port = held.take()
    return result, port
