"""The classes a varied note of a loop keeps to, read of each bar: the run of bars' key where
the loop changes key, else the whole loop's, and of a line the notes out of its scale at the
places it plays them (segue.model.bar_classes)."""

from __future__ import annotations

import numpy as np
from loop_reads import history_of
from loop_turns import BAR

from segue.model.bar_classes import loop_classes
from segue.model.loop_reading import read_loop


def _classes(row: np.ndarray) -> set[int]:
    return set(np.flatnonzero(row).tolist())


def test_a_chord_loop_that_changes_key_keeps_each_bar_to_its_run_of_bars() -> None:
    """C G/B Am F, then D A/C# Bm G, two chords a bar: the first two bars C major's classes,
    the last two D major's; the same chords in one key are the whole loop's classes."""
    chords = ((48, 52, 55), (47, 50, 55), (45, 48, 52), (45, 48, 53))
    changing = chords + ((50, 54, 57), (49, 52, 57), (47, 50, 54), (47, 50, 55))
    notes = [(p, 2.0 * i, 2.0) for i, chord in enumerate(changing) for p in chord]
    classes = loop_classes(read_loop(history_of(notes, 4)))
    c_major, d_major = {0, 2, 4, 5, 7, 9, 11}, {1, 2, 4, 6, 7, 9, 11}
    assert [_classes(bar) for bar in classes.bar_classes] == [c_major] * 2 + [d_major] * 2
    assert classes.passing == {}  # a chord loop's: no passing notes
    one_key = [(p, 2.0 * i, 2.0) for i, chord in enumerate(chords * 2) for p in chord]
    kept = loop_classes(read_loop(history_of(one_key, 4)))
    assert kept.classes is not None
    assert all(_classes(bar) == _classes(kept.classes) for bar in kept.bar_classes)


def test_a_line_s_passing_notes_are_its_own_only_where_it_plays_them() -> None:
    """A funk bass in E (E E E' E G G# A B, twice): its G# is out of its key's scale, a
    passing note at the places it plays it, and nowhere else."""
    funk = [(p, 0.5 * i, 0.5) for i, p in enumerate([40, 40, 52, 40, 43, 44, 45, 47] * 2)]
    read = read_loop(history_of(funk, 2))
    classes = loop_classes(read)
    assert read.intervals is None and len(classes.bar_classes) == 2
    assert not classes.bar_classes[:, 8].any()  # G# is no scale note
    assert {k: _classes(v) for k, v in classes.passing.items()} == {60: {8}, BAR + 60: {8}}


def test_a_loop_without_classes_has_no_bars_of_them() -> None:
    empty = read_loop(history_of([(36, 0.0, 0.5)], 1))
    empty.classes = None  # as a loop whose key no one could read
    classes = loop_classes(empty)
    assert classes.classes is None and classes.bar_classes.shape == (0, 12)
