"""Arguments cast by the table: float32 beat times snap to the grid; counts and pairs."""

from __future__ import annotations

import struct

import pytest

from segue.bridge import protocol as P
from segue.bridge.arguments import parse
from segue.bridge.errors import ProtocolError


def test_beat_times_arriving_as_float32_snap_to_the_grid() -> None:
    note = P.inbound_paths()[P.SEED_NOTE]
    third = struct.unpack(">f", struct.pack(">f", 1 / 3))[0]
    assert third != 1 / 3
    rid, pitch, start, duration, velocity = parse(
        note, P.SEED_NOTE, (1.0, 60.0, third * 4, third, 90.0)
    )
    assert (rid, pitch, start, duration, velocity) == (1, 60, 4 / 3, 1 / 3, 90)
    with pytest.raises(ProtocolError, match="greater than 0"):
        parse(note, P.SEED_NOTE, (1, 60, 0.0, 0.0, 90))
    with pytest.raises(ProtocolError, match="duration must be greater than 0 beats, got -4"):
        parse(note, P.SEED_NOTE, (1, 60, 0.0, -4.0, 90))  # not "at least 0": 0 is refused too


def test_argument_counts_and_pairs() -> None:
    generate = P.inbound_paths()[P.GENERATE]
    assert parse(generate, P.GENERATE, (3, "bars", 8)) == [3, "bars", 8]
    for bad in ((), (3, "bars"), (3, "bars", b"blob")):
        with pytest.raises(ProtocolError) as info:
            parse(generate, P.GENERATE, bad)
        assert info.value.code == "bad_arguments"


def test_an_osc_array_is_named_as_such() -> None:
    """`/segue/ping ,[i] 5` was answered "takes [token] [reply_port]; got 3 arguments"."""
    from segue.bridge.codec import decode

    (message,) = decode(b"/segue/ping\x00,[i]\x00\x00\x00\x00" + struct.pack(">i", 5))
    ping = P.inbound_paths()[P.PING]
    with pytest.raises(ProtocolError, match=r"OSC arrays \(\[\.\.\.\]\) are not accepted"):
        parse(ping, P.PING, message.args)
