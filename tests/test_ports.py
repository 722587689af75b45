"""The test harness's ports (tests/support/ports.py): another socket never gets a port a
test holds, and a subprocess that lost its port to one is started again on a fresh port."""

from __future__ import annotations

import socket

import pytest
from ports import HeldPorts, bound_udp, release_before, retry_taken, silent_port


def taken_by_another(port: int, kind: int = socket.SOCK_DGRAM) -> bool:
    """Whether another socket can no longer bind ``port`` on loopback."""
    try:
        bound_udp(port, kind=kind).close()
    except OSError:
        return True
    return False


def test_a_held_port_is_nobody_else_s_until_it_is_let_go() -> None:
    held = HeldPorts()
    port = held.take()
    assert taken_by_another(port)
    held.release(port)
    assert not taken_by_another(port)
    held.release(port)  # twice: nothing


def test_held_tcp_ports_and_adopted_sockets_are_held_too() -> None:
    tcp = HeldPorts(socket.SOCK_STREAM)
    port = tcp.take()
    udp = HeldPorts()
    mine = udp.adopt(bound_udp())
    assert taken_by_another(port, socket.SOCK_STREAM) and taken_by_another(mine)
    tcp.close()
    udp.close()
    assert not taken_by_another(port, socket.SOCK_STREAM) and not taken_by_another(mine)


def test_the_peer_binds_the_port_the_moment_it_is_let_go(monkeypatch) -> None:
    class Peer:
        def __init__(self, port: int) -> None:
            self.port = port
            self.sock: socket.socket | None = None

        def open(self) -> None:
            self.sock = bound_udp(self.port)  # refused while the test still held it

    held = HeldPorts()
    release_before(monkeypatch, Peer, "open", held, lambda peer: peer.port)
    peer = Peer(held.take())
    assert taken_by_another(peer.port)
    peer.open()
    assert peer.sock is not None and peer.sock.getsockname()[1] == peer.port
    peer.sock.close()


def test_a_start_that_lost_its_port_is_tried_again_on_a_fresh_one() -> None:
    held = HeldPorts()
    first = held.take()
    thief: list[socket.socket] = []
    started: list[int] = []

    def start(port: int) -> str:
        started.append(port)
        if not thief:  # another socket takes the port before the program binds it
            thief.append(bound_udp(port))
        try:
            bound_udp(port).close()
        except OSError:
            return "taken"
        return "ran"

    result, port = retry_taken(held, first, start, lambda r, p: r == "taken")
    assert (result, started, port) == ("ran", [first, port], port) and port != first
    thief[0].close()


def test_three_starts_at_most() -> None:
    held = HeldPorts()
    calls: list[int] = []

    def start(port: int) -> str:
        calls.append(port)
        return "taken"

    result, port = retry_taken(held, held.take(), start, lambda r, p: True)
    assert result == "taken" and len(calls) == 3 and port == calls[-1]
    assert not taken_by_another(port)  # every port let go


def test_a_silent_port_is_bound_and_nobody_else_s() -> None:
    with silent_port() as port:
        assert taken_by_another(port)
    with pytest.raises(OSError):  # pytest.raises: bound_udp's socket is closed on failure
        with silent_port() as port, bound_udp(port):
            pass
