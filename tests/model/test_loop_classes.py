"""The pitch classes a varied note of a loop keeps to at each place
(``segue.model.loop_classes``): its bar's, and of a line the notes out of its key only at the
places where the loop plays them, read of a real loop's turns."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.loop_classes import LoopClasses
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note

C_MAJOR = [0, 2, 4, 5, 7, 9, 11]


def _classes(*classes: int) -> np.ndarray:
    out = np.zeros(12, dtype=bool)
    out[list(classes)] = True
    return out


def test_a_place_keeps_its_bar_s_classes_and_a_passing_note_only_where_it_is_played() -> None:
    """A two-bar loop (bars of 96 ticks) whose bars lie in C major and in D major, with a
    passing G# at the second beat of the first bar: each place keeps its bar's classes, and
    the G# only at its own place, in every repeat of the loop after the clip's end; the
    record's own bar classes stay as they were."""
    bars = np.array([_classes(*C_MAJOR), _classes(2, 4, 6, 7, 9, 11, 1)])
    classes = LoopClasses(_classes(*C_MAJOR), bars.copy(), {24: _classes(8)}, 96, 192, 384)
    onsets = 384 + np.array([0, 24, 48, 96, 120, 192 + 24, 192 + 96])
    out = classes.at(onsets)
    assert out is not None
    expected = [bars[0] | _classes(8), bars[0], bars[1], bars[1], bars[0] | _classes(8)]
    for row, want in zip([1, 2, 3, 4, 5], expected, strict=True):
        assert out[row].tolist() == want.tolist(), row
    assert out[0].tolist() == bars[0].tolist() and out[6].tolist() == bars[1].tolist()
    assert np.array_equal(classes.bar_classes, bars)  # asked, not changed


def test_a_loop_with_no_classes_keeps_to_none() -> None:
    """A loop with no classes (none read) keeps a varied note to none: None."""
    none = LoopClasses(None, np.zeros((0, 12), dtype=bool), {}, 96, 384, 384)
    assert none.at(np.array([384, 400])) is None


def test_a_line_s_turns_ask_their_classes_of_the_loop_s_record() -> None:
    """A C major line's turns (``takes.Turns.classes_at``) answer what the loop's record
    answers, its scale at every place of the loop."""
    notes = tuple(
        Note(p, 0.5 * i, 0.45, 96) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72] * 4)
    )
    clip = Clip(notes, 16.0)
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, 96, Vocab())[1:], 96, to_ticks(clip.length))
    assert made is not None
    turns = Turns(made, 4, np.random.default_rng(0))
    onsets = turns.clip_end + np.arange(0, 4 * turns.bar, 12)
    out = turns.classes_at(onsets)
    assert out is not None and np.array_equal(out, turns._classes.at(onsets))
    assert {tuple(np.flatnonzero(row).tolist()) for row in out} == {tuple(C_MAJOR)}
