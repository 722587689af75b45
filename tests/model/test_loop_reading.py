"""What a clip's last loop is, read once for its takes' turns: its notes, register, key and
chords (segue.model.loop_reading); and each request's copy of the turns, built of the parts
read of it, answering as turns made afresh with its rng."""

from __future__ import annotations

import numpy as np
from loop_reads import ALBERTI, PAD, SPARSE, STABS, history_of
from loop_turns import BAR

from segue.model.loop_reading import read_loop
from segue.model.takes import Turns


def test_a_chord_loop_is_read_as_its_chords_and_a_line_as_its_key() -> None:
    pad = read_loop(history_of(PAD, 2))
    assert pad.intervals is not None and sorted(pad.chords) == [0, BAR]
    assert pad.chords[BAR].tolist() == [53, 57, 60]
    assert pad.classes is not None and sorted(np.flatnonzero(pad.classes)) == [0, 4, 5, 9]
    assert pad.span == (53, 64) and pad.middle == 58.5
    line = read_loop(history_of(ALBERTI, 2))
    assert line.intervals is None and not line.chords
    assert line.classes is not None and line.key is not None
    assert line.classes.sum() == 7 and line.classes[[0, 2, 4, 7, 11]].all()  # a scale of its notes
    assert line.onsets.tolist() == [12 * i for i in range(16)]  # ticks from the loop's start


def test_each_copy_of_the_turns_answers_as_turns_made_afresh_with_its_rng() -> None:
    """A request's copy (``Turns.drawing_with``) draws its own takes' turns, after another
    copy drew its own: what it tells of them (where the turns lie, how many takes share a
    place, answer late, the basses, classes and span at each place) is what turns made
    afresh with its rng tell. A part of the copies that kept per-take state shared would
    answer with the other copy's draws."""
    for notes, bars in ((PAD, 2), (STABS, 2), (ALBERTI, 2), (SPARSE, 2)):
        history = history_of(notes, bars)
        kept = Turns(history, 4, np.random.default_rng(0))
        end = kept.clip_end
        onsets = end + np.array([3 * BAR, 3 * BAR + 48, 7 * BAR + 24, 15 * BAR + 12])
        pitches = np.full(4, int(history.pitches[0]))
        for seed in (1, 2, 3):
            other = kept.drawing_with(np.random.default_rng(seed + 10))
            mine = kept.drawing_with(np.random.default_rng(seed))
            other.sharing(onsets, pitches), other.answering_late(onsets)  # draws first
            fresh = Turns(history, 4, np.random.default_rng(seed))
            for phrase in range(4):
                assert mine.starts(phrase).tolist() == fresh.starts(phrase).tolist()
            assert mine.sharing(onsets, pitches).tolist() == fresh.sharing(onsets, pitches).tolist()
            assert mine.answering_late(onsets).tolist() == fresh.answering_late(onsets).tolist()
            assert mine.lone_bass(onsets).tolist() == fresh.lone_bass(onsets).tolist()
            span, again = mine.span_at(onsets), fresh.span_at(onsets)
            assert (span is None) == (again is None)
            assert span is None or again is None or span.tolist() == again.tolist()
            classes, afresh = mine.classes_at(onsets), fresh.classes_at(onsets)
            assert classes is None or afresh is None or (classes == afresh).all()
