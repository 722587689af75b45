"""--allow: clients outside the list are refused without an answer."""

from __future__ import annotations

import pytest

from segue.bridge import protocol as P
from segue.bridge.testing import RawClient, running_server


def test_allow_list_refuses_other_clients(models_dir) -> None:
    from segue.bridge.allow import is_allowed, parse_allow
    from segue.errors import SegueError

    with (
        running_server(models_dir, allow=("10.0.0.0/8", "192.168.1.7")) as srv,
        RawClient(srv.address) as raw,
    ):
        raw.send(P.PING, 1)
        raw.send_bytes(b"garbage!")
        assert raw.next(0.5) is None
    with (
        running_server(models_dir, allow=("10.0.0.0/8,127.0.0.1",)) as srv,
        RawClient(srv.address) as raw,
    ):
        raw.send(P.PING, 1)
        assert raw.until(P.PONG)[-1].args[0] == 1
    networks = parse_allow(["192.168.1.0/24", "::1"])
    assert is_allowed("192.168.1.200", networks) and is_allowed("::ffff:192.168.1.3", networks)
    assert not is_allowed("192.168.2.1", networks) and is_allowed("::1", networks)
    with pytest.raises(SegueError, match="not an IP address"):
        parse_allow(["my-laptop"])


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
