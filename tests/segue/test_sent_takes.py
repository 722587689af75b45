"""segue.sent_takes: the takes a bridge sent back, as `segue send` writes them and what it
says of them, on the example reel's notes (a real MIDI file)."""

from __future__ import annotations

from pathlib import Path

from segue.bridge.client import BridgeResult, BridgeVariation
from segue.midi_io import read_part
from segue.notes import Clip
from segue.sent_takes import sent_clips, sent_lines, sent_take_notices
from segue.take_notices import cut_notice

REEL = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "reel.mid"
UNSENT = {"bars": None, "beats": None, "notes": None, "temperature": None, "key": None}


def sent(*takes: Clip, model: str = "melody") -> BridgeResult:
    seed, _ = read_part(REEL)
    variations = tuple(BridgeVariation(t, seed.length) for t in takes)
    return BridgeResult(1, variations, 3.0, 7, 5.0, model)


def test_takes_are_written_alone_or_after_the_seed() -> None:
    seed, _ = read_part(REEL)
    take = Clip(seed.notes[:8])
    result = sent(take)
    assert sent_clips(result, seed, UNSENT, False, include_seed=False) == [take]
    (both,) = sent_clips(result, seed, UNSENT, False, include_seed=True)
    assert len(both) == len(seed) + len(take)
    assert both.notes[: len(seed)] == seed.notes


def test_takes_shorter_than_the_length_asked_are_said_cut() -> None:
    seed, _ = read_part(REEL)
    short = Clip(seed.notes[:4])  # one bar of the 8 asked
    lines = sent_take_notices(sent(short), seed, {**UNSENT, "bars": 8}, False, None, False)
    assert lines == [cut_notice(1, 1)]
    by_notes = {**UNSENT, "notes": 4}  # a length in notes: no cut said
    assert sent_take_notices(sent(short), seed, by_notes, False, None, False) == []


def test_takes_alike_are_said_unless_temperature_0_said_so() -> None:
    seed, _ = read_part(REEL)
    result = sent(seed, seed)  # whole takes of the default 4 bars, the same notes
    lines = sent_take_notices(result, seed, UNSENT, False, None, said_same=False)
    assert len(lines) == 1 and "same" in lines[0]
    assert sent_take_notices(result, seed, UNSENT, False, None, said_same=True) == []


def test_the_bridge_and_each_file_are_printed() -> None:
    seed, _ = read_part(REEL)
    result = BridgeResult(9, (BridgeVariation(seed, 0.0),), 3.4, 7, 5.6, "melody", "D major")
    lines = sent_lines("127.0.0.1", 9123, result, [seed], [Path("next.mid")])
    assert lines == [
        "bridge 127.0.0.1:9123, model melody: 1 variation, 3 ms in the bridge, 6 ms round "
        "trip (rng seed 7, key D major)",
        f"  next.mid: {len(seed)} notes, 4 bars",
    ]
    older = BridgeResult(9, (), 3.4, 7, 5.6, "")  # an older bridge says no model
    assert sent_lines("h", 1, older, [], [])[0].startswith("bridge h:1: 0 variations, 3 ms")
