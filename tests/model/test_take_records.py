"""The records ``takes.Turns`` hands its parts (``model/take_records.py``): the parts unpack
them by position, once, so a field moved in a record would hand a part another value under
the same name; each part must read the values the turns were built with."""

from __future__ import annotations

import numpy as np

from segue.grid import TICKS_PER_BEAT, clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.take_records import LoopTimes, TakeDraws, TurnLengths
from segue.model.takes import Turns
from segue.model.turn_kinds import turn_reach
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature

BAR = 4 * TICKS_PER_BEAT  # a 4/4 bar, ticks
LINES = ((45, 45, 48, 48, 52, 52, 55, 57), (41, 41, 45, 45, 48, 48, 52, 53))
"""A bassline of 8ths: A C E G in one bar, F A C E in the next (a two-bar loop)."""


def _turns(bars: int) -> Turns:
    """Four takes' turns on :data:`LINES` played over ``bars`` bars."""
    notes = [
        Note(p, bar * 4.0 + k * 0.5, 0.4, 100 - 20 * (k % 2))
        for bar in range(bars)
        for k, p in enumerate(LINES[bar % 2])
    ]
    clip = Clip(tuple(notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(3))


def test_the_records_hold_their_values_in_the_order_the_parts_unpack_them() -> None:
    assert TakeDraws._fields == ("rows", "rng")
    assert LoopTimes._fields == ("bar", "shift", "clip_end", "onsets")
    assert TurnLengths._fields == ("turn", "phrase_turn", "reach")


def test_each_part_reads_the_loop_s_times_and_the_turn_s_lengths_it_was_built_with() -> None:
    """A two-bar loop played over four and eight bars: every part reads the turns' own
    rows, rng, bar, shift and clip end, and the places read the temperature's turn and the
    reach ``turn_kinds.turn_reach`` gives it."""
    for bars in (4, 8):
        turns = _turns(bars)
        assert turns.bar < turns.clip_end
        for part in (turns._turn_places, turns._turned_voicings, turns._drawn):
            assert part.rows == turns.rows == 4 and part._rng is turns._rng
            assert (part.bar, part.shift, part.clip_end) == (
                turns.bar,
                turns.shift,
                turns.clip_end,
            )
        places = turns._turn_places
        assert places.turn == turns._turned_voicings.turn
        assert places.reach == turn_reach(places.turn, turns.bar)
        assert places.phrase_turn >= places.turn > 0
