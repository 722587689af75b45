"""segue.take_notices: the takes cut at their share of notes, and the lines said after the
takes, on the example reel's notes (a real MIDI file)."""

from __future__ import annotations

from pathlib import Path

from segue.midi_io import read_part
from segue.model.generate import GenerationResult, Variation
from segue.model.settings import GenerationParams, notes_per_variation
from segue.notes import Clip, Note
from segue.take_notices import capped_takes, cut_notice, take_notices

REEL = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "reel.mid"


def result_of(*clips: Clip) -> GenerationResult:
    seed, _ = read_part(REEL)
    return GenerationResult(tuple(Variation(c, seed.length) for c in clips), seed, None, 1)


def long_clip(count: int) -> Clip:
    return Clip(tuple(Note(60 + i % 12, i * 0.25, 0.25) for i in range(count)))


def test_takes_past_their_share_are_cut_and_counted() -> None:
    most = notes_per_variation(2)
    short, long = long_clip(8), long_clip(most + 5)
    result, cut = capped_takes(result_of(short, long))
    assert cut == 1
    assert result.variations[0].clip is short
    assert len(result.variations[1].clip) <= most
    assert capped_takes(result_of(short, short))[1] == 0


def test_the_cut_is_said_before_takes_alike() -> None:
    seed, _ = read_part(REEL)
    takes = result_of(seed, seed)
    lines = take_notices(takes, 2, GenerationParams(), 4.0, kit=False, said_same=False)
    assert lines[0] == cut_notice(2, 2)
    assert len(lines) == 2 and "same" in lines[1]


def test_takes_alike_are_not_said_again_after_temperature_0_said_so() -> None:
    seed, _ = read_part(REEL)
    takes = result_of(seed, seed)
    assert take_notices(takes, 0, GenerationParams(), 4.0, kit=False, said_same=True) == []


def test_takes_that_differ_and_were_not_cut_say_nothing() -> None:
    seed, _ = read_part(REEL)
    takes = result_of(seed, long_clip(16))
    assert take_notices(takes, 0, GenerationParams(), 4.0, kit=False, said_same=False) == []


def test_a_single_take_cut_is_told_to_ask_for_less() -> None:
    assert cut_notice(0, 1) is None
    said = cut_notice(1, 1)
    assert said is not None and said.endswith("ask for a shorter length")
    assert cut_notice(1, 3) is not None and "1 of 3 variations were" in str(cut_notice(1, 3))
