"""--allow: clients outside the list are refused without an answer."""

from __future__ import annotations

import pytest

from segue.bridge import protocol as P
from segue.bridge.testing import RawClient, running_server, this_computers_address


def test_allow_list_refuses_other_clients(models_dir) -> None:
    from segue.bridge.allow import is_allowed, parse_allow
    from segue.errors import SegueError

    address = this_computers_address()  # a client from the network, not loopback
    if address is not None:
        with (
            running_server(models_dir, host="0.0.0.0", allow=("10.0.0.0/8",)) as srv,
            RawClient((address, srv.address[1]), host=address) as raw,
        ):
            raw.send(P.PING, 1)
            raw.send_bytes(b"garbage!")
            assert raw.next(0.5) is None
        with (
            running_server(models_dir, host="0.0.0.0", allow=(f"10.0.0.0/8,{address}",)) as srv,
            RawClient((address, srv.address[1]), host=address) as raw,
        ):
            raw.send(P.PING, 1)
            assert raw.until(P.PONG)[-1].args[0] == 1

    networks = parse_allow(["192.168.1.0/24", "10.1.2.3"])
    assert is_allowed("192.168.1.200", networks) and is_allowed("::ffff:192.168.1.3", networks)
    assert not is_allowed("192.168.2.1", networks) and not is_allowed("10.1.2.4", networks)
    assert not is_allowed("fe80::1", networks) and not is_allowed("my-laptop", networks)
    with pytest.raises(SegueError, match="not an IP address"):
        parse_allow(["my-laptop"])


def test_this_computers_own_clients_are_answered_whatever_allow_names(models_dir) -> None:
    """Served for a phone with --allow 192.168.1.23, the bridge refused the Live device on
    the same computer (127.0.0.1), and `segue ping` said no bridge was running."""
    from segue.bridge.allow import is_allowed, parse_allow

    with (
        running_server(models_dir, allow=("10.0.0.0/8", "192.168.1.7")) as srv,
        RawClient(srv.address) as raw,
    ):
        raw.send(P.PING, 1)
        assert raw.until(P.PONG)[-1].args[0] == 1
    networks = parse_allow(["192.168.1.23"])
    assert all(
        is_allowed(h, networks) for h in ("127.0.0.1", "127.0.1.1", "::1", "::ffff:127.0.0.1")
    )


def test_an_allow_that_names_no_address_is_refused() -> None:
    """Issue 15, row 10: `--allow ""` and `--allow " , "` silently allowed everyone."""
    from segue.bridge.allow import parse_allow
    from segue.errors import SegueError

    for empty in ("", " , ", ","):
        with pytest.raises(SegueError, match="names no address.*leave --allow out"):
            parse_allow([empty])
    with pytest.raises(SegueError, match="names no address"):
        parse_allow(["192.168.1.7", ""])
    assert [str(n) for n in parse_allow(["192.168.1.7, ,10.0.0.0/8,"])] == [
        "192.168.1.7/32",
        "10.0.0.0/8",
    ]
