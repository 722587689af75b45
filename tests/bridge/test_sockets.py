"""The bridge's sockets: a port of its own on Windows, IPv4 clients heard on IPv6."""

from __future__ import annotations

import socket

import pytest

from segue.bridge.sockets import PORT_TAKEN, dual_stack, exclusive


def test_the_bridge_takes_its_port_for_itself_where_the_system_can(monkeypatch) -> None:
    """Issue 19, row 14: SO_EXCLUSIVEADDRUSE on Windows, where the constant exists (the
    option itself is Windows' own: a stand-in socket records the call)."""
    set_options: list[tuple[int, int, int]] = []

    class Recording:
        def setsockopt(self, level: int, option: int, value: int) -> None:
            set_options.append((level, option, value))

    monkeypatch.delattr(socket, "SO_EXCLUSIVEADDRUSE", raising=False)
    exclusive(Recording())  # type: ignore[arg-type]
    assert set_options == []
    monkeypatch.setattr(socket, "SO_EXCLUSIVEADDRUSE", -5, raising=False)
    exclusive(Recording())  # type: ignore[arg-type]
    assert set_options == [(socket.SOL_SOCKET, -5, 1)]


def _ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6(), reason="no IPv6 here")
def test_an_ipv6_socket_hears_ipv4_clients_even_where_ipv6_only_is_the_default() -> None:
    """Windows turns IPV6_V6ONLY on by default: set here as Windows would, and undone."""
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        dual_stack(sock)
        assert sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 0
        sock.bind(("::", 0))
        sock.settimeout(5)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.sendto(b"/segue/ping\0", ("127.0.0.1", sock.getsockname()[1]))
            data, sender = sock.recvfrom(64)
        assert data == b"/segue/ping\0" and sender[0] == "::ffff:127.0.0.1"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ipv4:
        dual_stack(ipv4)  # nothing to do


def test_a_port_held_by_another_program_is_told_apart() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as first:
        first.bind(("127.0.0.1", 0))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as second:
            exclusive(second)
            with pytest.raises(OSError) as taken:
                second.bind(first.getsockname())
    assert taken.value.errno in PORT_TAKEN
    assert {98, 48, 10048, 10013} <= set(PORT_TAKEN)  # Linux, macOS, Windows (both ways)


def test_a_port_held_on_windows_is_told_as_taken_from_its_windows_code() -> None:
    """Python on Windows maps WSAEACCES (10013) to errno 13 and keeps 10013 in winerror:
    the hint "is another bridge running?" never came (helper-43)."""
    from segue.bridge.sockets import port_taken

    class WindowsError_(OSError):  # noqa: N801 (what Windows' OSError carries)
        winerror = 10013

    assert port_taken(WindowsError_(13, "An attempt was made to access a socket ..."))
    assert not port_taken(OSError(13, "Permission denied"))  # Linux: a port below 1024
    assert port_taken(OSError(98, "Address already in use"))
