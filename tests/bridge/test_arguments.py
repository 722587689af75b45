"""Arguments cast by the table: float32 beat times snap to the grid; counts and pairs."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from segue.bridge import protocol as P
from segue.bridge.arguments import parse
from segue.bridge.errors import ProtocolError
from segue.grid import grid_rows


def test_beat_times_arriving_as_float32_snap_to_the_grid() -> None:
    clip = P.inbound_paths()[P.LEARN_CLIP]
    third = struct.unpack(">f", struct.pack(">f", 1 / 3))[0]
    assert third != 1 / 3
    parsed = parse(clip, P.LEARN_CLIP, (1.0, 60.0, third * 4, 4.0, 4.0, 0.0))
    assert parsed == [1, 60, 4 / 3, 4, 4, 0]
    for path in (P.SEED_NOTE, P.LEARN_NOTE):
        note = P.inbound_paths()[path]
        with pytest.raises(ProtocolError, match="greater than 0"):
            parse(note, path, (1, 60, 0.0, 0.0, 90))
        with pytest.raises(ProtocolError, match="duration must be greater than 0 beats, got -4"):
            parse(note, path, (1, 60, 0.0, -4.0, 90))  # not "at least 0": 0 is refused too


def _float32(value: float) -> float:
    return struct.unpack(">f", struct.pack(">f", value))[0]


@pytest.mark.parametrize("path", [P.SEED_NOTE, P.LEARN_NOTE])
def test_a_notes_end_snaps_to_the_grid_as_generate_puts_it_not_its_duration(path) -> None:
    """A played take's note (times a few ms off the grid, sent raw as float32) lands where
    `segue generate` (grid_rows) puts it: its start and END snap, and the duration is what
    lies between, at least one tick. Rounding the duration by itself put 7 of 32 notes of a
    take a tick off, so `segue send` and any raw OSC client got other notes than generate.
    A seed's note keeps its times as played (generation snaps them so, and a repeat keeps
    its feel: ``segue.model.feel``), and a learn's too (the clip is learnt as generation
    reads a seed: snapped here, a played 8th's release was learnt as 10-11 ticks, where
    generation reads 12)."""
    note = P.inbound_paths()[path]
    rid, pitch, start, duration, velocity = parse(note, path, (1, 60, 0.015, 0.2625, 90))
    assert (start, duration) == (0.015, 0.2625)  # as played
    assert grid_rows([60], [start], [duration], [90])[0, :3].tolist() == [0, 60, 7]  # not
    # 0 + round(6.3): ticks 0.36 to 6.66
    tiny = parse(note, path, (1, 60, 1.0, 0.01, 90))[2:4]
    assert tiny == [1.0, 0.01]  # never nothing on the grid:
    assert grid_rows([60], [tiny[0]], [tiny[1]], [90])[0, 2] == 1

    generator = np.random.default_rng(5)
    starts = [_float32(abs(x)) for x in np.arange(64) / 2 + generator.uniform(-0.06, 0.06, 64)]
    lengths = [_float32(x) for x in generator.uniform(0.005, 1.0, 64)]
    rows = grid_rows([60] * 64, starts, lengths, [90] * 64)
    parsed = [parse(note, path, (1, 60, s, d, 90)) for s, d in zip(starts, lengths, strict=True)]
    got = grid_rows([60] * 64, [a[2] for a in parsed], [a[3] for a in parsed], [90] * 64)
    assert got.tolist() == rows.tolist()


def test_argument_counts_and_pairs() -> None:
    generate = P.inbound_paths()[P.GENERATE]
    assert parse(generate, P.GENERATE, (3, "bars", 8)) == [3, "bars", 8]
    for bad in ((), (3, "bars"), (3, "bars", b"blob")):
        with pytest.raises(ProtocolError) as info:
            parse(generate, P.GENERATE, bad)
        assert info.value.code == "bad_arguments"


def test_a_key_of_two_words_is_told_to_be_one() -> None:
    """Pd sends `set key A minor` as three words: "one value is missing" (there was one too
    many) and "takes name value" said nothing of how to write a key (helper-49)."""
    generate = P.inbound_paths()[P.GENERATE]
    with pytest.raises(ProtocolError, match="3 words after the id are an odd number; a key is"):
        parse(generate, P.GENERATE, (1, "key", "A", "minor"))
    with pytest.raises(ProtocolError, match="got 3 arguments; a key is one word .Am, A-minor"):
        parse(P.inbound_paths()[P.SET], P.SET, ("key", "A", "minor"))
    with pytest.raises(ProtocolError, match="pairs, and 1 word after the id is an odd number"):
        parse(generate, P.GENERATE, (1, "bars"))  # "1 words ... are" (helper-174)
    with pytest.raises(ProtocolError) as info:
        parse(generate, P.GENERATE, (1, "bars"))
    assert "a key" not in info.value.message


def test_an_osc_array_is_named_as_such() -> None:
    """`/segue/ping ,[i] 5` was answered "takes [token] [reply_port]; got 3 arguments"."""
    from segue.bridge.codec import decode

    (message,) = decode(b"/segue/ping\x00,[i]\x00\x00\x00\x00" + struct.pack(">i", 5))
    ping = P.inbound_paths()[P.PING]
    with pytest.raises(ProtocolError, match=r"OSC arrays \(\[\.\.\.\]\) are not accepted"):
        parse(ping, P.PING, message.args)
