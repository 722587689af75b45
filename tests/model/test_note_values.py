"""Bars longer than the model's, read in shorter note values: the same steps for a piece
in 3/1 as for the same music written in 3/2, for encoding, scoring windows and generating."""

from __future__ import annotations

import numpy as np

from segue.grid import to_ticks
from segue.model.loop_fit import windows_of
from segue.model.note_values import doubled, halved, halved_tick, halvings, shorter_metre
from segue.model.training.batches import encode_pieces
from segue.model.vocab import Vocab, steps_of
from segue.notes import TimeSignature

VOCAB = Vocab(ticks_per_beat=24, max_bar_ticks=192)


def bar(ts: TimeSignature) -> int:
    return to_ticks(ts.beats_per_bar)


def test_only_bars_past_the_table_are_halved_and_as_often_as_they_need() -> None:
    assert halvings(bar(TimeSignature(4, 4)), 192) == 0
    assert halvings(bar(TimeSignature(4, 2)), 192) == 0  # 8 beats: fits exactly
    assert halvings(bar(TimeSignature(9, 4)), 192) == 1  # 9 beats: 9/8
    assert halvings(bar(TimeSignature(3, 1)), 192) == 1  # 12 beats: 3/2
    assert halvings(bar(TimeSignature(12, 1)), 192) == 3  # 48 beats: 12/8
    assert halvings(bar(TimeSignature(65, 32)), 192) == 0  # 195 ticks: half is no metre
    assert shorter_metre(TimeSignature(3, 1), 2) == TimeSignature(3, 4)
    assert shorter_metre(TimeSignature(66, 32), 1) == TimeSignature(33, 32)


def test_halving_rounds_to_the_nearest_tick_and_keeps_a_duration() -> None:
    rows = np.array([[0, 60, 96, 90], [96, 62, 1, 80], [101, 64, 48, 70]])
    assert halved(rows, 1).tolist() == [[0, 60, 48, 90], [48, 62, 1, 80], [51, 64, 24, 70]]
    assert halved(rows, 0) is not None and halved(rows, 0).tolist() == rows.tolist()
    assert [halved_tick(t, 1) for t in (0, 96, 101)] == [0, 48, 51]  # as halved rounds a start
    even = rows[:2]
    assert doubled(halved(even, 2), 2).tolist() == [[0, 60, 96, 90], [96, 62, 4, 80]]


def whole_notes() -> np.ndarray:
    """Four bars of 3/1 in whole notes, with a half-note pair in each bar's last beat."""
    out = []
    for b in range(4):
        start = b * 288
        out += [[start, 60 + b, 96, 90], [start + 96, 64, 96, 90]]
        out += [[start + 192, 67, 48, 90], [start + 240, 65 + b % 2, 48, 90]]
    return np.array(out)


def test_a_piece_in_3_1_encodes_as_the_same_music_in_3_2() -> None:
    long_bars = whole_notes()
    halves = halved(long_bars, 1)
    expected = steps_of(halves, bar(TimeSignature(3, 2)), VOCAB)
    got = steps_of(long_bars, bar(TimeSignature(3, 1)), VOCAB)
    assert got.tolist() == expected.tolist()
    assert len(set(got[1:, 4].tolist())) == 4  # every position its own, none capped at 191
    both = encode_pieces([long_bars, halves], [288, 144], VOCAB)
    assert both.piece_steps(0).tolist() == both.piece_steps(1).tolist() == expected.tolist()


def test_windows_of_a_long_bar_come_in_its_shorter_metre() -> None:
    windows = windows_of(
        np.concatenate([whole_notes(), whole_notes() + [4 * 288, 0, 0, 0]]), TimeSignature(3, 1)
    )
    assert windows and all(w.time_signature == TimeSignature(3, 2) for w in windows)
    assert all(w.bar_ticks == 144 for w in windows)
    clip = windows[0].rows[: windows[0].seed_notes]
    assert clip.tolist() == halved(whole_notes(), 1).tolist()
