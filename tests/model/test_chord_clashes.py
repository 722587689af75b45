"""Whether a take's turned or answering note clashes (``segue.model.chord_clashes``): each
answer worked out once is kept by what it reads, and no more of them than it keeps."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

GATE = Clip(
    tuple(
        Note(p, i / 4, 0.2, 75 + 25 * (i % 4 == 0))
        for i in range(64)
        for p in ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))[i // 16]
    ),
    16.0,
)
"""A trance gate: a triad on every 16th, Am F C G (bench_requests' dense chord request)."""


def test_a_chord_loop_s_clashes_are_kept_by_what_they_read_and_no_more_of_them() -> None:
    """``ChordClashes.chord_clashing`` keeps each row's answer by the notes sounding, the place in
    the loop and the loop's pitch (a gate's takes asked about 150 distinct ones, again and
    again): asked again, or for those rows among others, it answers as worked out afresh,
    and it keeps at most ``CLASHES_KEPT`` of them."""
    rows = clip_rows(GATE)
    steps = steps_of(rows, 96, Vocab())[1:]
    made = LoopHistory.of_seed(rows, steps, 96, to_ticks(GATE.length), chords=True)
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    end = to_ticks(GATE.length)
    rng = np.random.default_rng(5)
    asked = []
    for _ in range(40):
        onsets = end + rng.integers(0, 4 * 96, 4) // 24 * 24
        sounding = np.zeros((4, 128), dtype=bool)
        for r in range(4):
            sounding[r, rng.choice([45, 48, 52, 53, 55, 57, 60, 64, 67], 2)] = True
        loop_pitches = rng.choice([48, 52, 55, 57, 60, 64], 4)
        asked.append((onsets, loop_pitches, sounding))
    for onsets, loop_pitches, sounding in asked + asked[::-1]:
        for which in (np.arange(4), np.array([2]), np.array([3, 0])):
            kept = turns._clash.chord_clashing(which, onsets, loop_pitches, sounding)
            afresh = turns._clash._chord_clashes(which, onsets, loop_pitches, sounding)
            assert kept.dtype == afresh.dtype and np.array_equal(kept, afresh)
    assert 0 < len(turns._clash._clashes) <= 160
    capped = Turns(made, 4, np.random.default_rng(0))
    capped._clash.CLASHES_KEPT = 3
    for onsets, loop_pitches, sounding in asked:
        kept = capped._clash.chord_clashing(np.arange(4), onsets, loop_pitches, sounding)
        assert np.array_equal(
            kept, turns._clash._chord_clashes(np.arange(4), onsets, loop_pitches, sounding)
        )
    assert len(capped._clash._clashes) == 3


def test_every_request_s_copy_of_a_clip_s_turns_shares_its_clashes() -> None:
    """A clip's turns kept for its requests (``Turns.drawing_with``) share its clashes, worked
    out of the loop alone: a copy finds the answers another request worked out."""
    rows = clip_rows(GATE)
    steps = steps_of(rows, 96, Vocab())[1:]
    made = LoopHistory.of_seed(rows, steps, 96, to_ticks(GATE.length), chords=True)
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    copy = turns.drawing_with(np.random.default_rng(1))
    assert copy._clash is turns._clash
    sounding = np.zeros((1, 128), dtype=bool)
    copy.chord_clashing(np.arange(1), np.full(1, turns.clip_end), np.full(1, 57), sounding)
    assert len(turns._clash._clashes) == 1
