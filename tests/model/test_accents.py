"""A clip's accents by place in the bar, and which models have no dynamics of their own."""

from __future__ import annotations

import numpy as np

from segue.model.accents import Accents, weight_of


def test_metrical_weights_of_a_4_4_bar_and_a_played_note_a_tick_off() -> None:
    bar, beat = 96, 24  # 24 ticks a beat
    weights = weight_of(np.array([0, 24, 48, 12, 36, 6, 18, 8, 16]), bar, beat)
    assert weights.tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert weight_of(np.array([95, 25, 13, 7, 96 + 24]), bar, beat).tolist() == [0, 1, 2, 3, 1]


def test_a_place_the_clip_plays_keeps_its_level_and_others_take_their_weight_s() -> None:
    """A 16th-note lead accented 110 on the beat, 90 on the off-beat 8th, 70 between."""
    levels = {0: 110, 6: 70, 12: 90, 18: 70}
    rows = np.array([[t, 60, 6, levels[t % 24]] for t in range(0, 192, 6)])
    rows[rows[:, 0] == 96, 3] = 120  # bar 2's downbeat louder: a place takes its median
    accents = Accents.of(rows, 96, 24)
    assert accents is not None
    assert accents.at(np.array([192, 216, 204, 198, 210])).tolist() == [115, 110, 90, 70, 70]
    played = accents.at(np.array([193, 217, 205, 199, 194]))  # a tick late; a triplet 8th,
    assert played.tolist() == [115, 110, 90, 70, 80]  # a weight the clip has not: its median
    assert Accents.of(np.zeros((0, 4), dtype=np.int64), 96, 24) is None
