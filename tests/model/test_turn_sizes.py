"""How much each take turns at a temperature: how long, how many voices, how far, how firmly."""

from __future__ import annotations

import numpy as np

from segue.model.architecture import ModelConfig
from segue.model.turn_pitches import turn_pitches
from segue.model.turn_sizes import (
    AROUND,
    STEP,
    TURN,
    firmness_for,
    reach_for,
    turn_for,
    turn_of,
    varies_by_takes,
    voices_for,
)
from segue.model.voicings import REACH

BAR = 96


def test_melodic_models_vary_by_takes_and_drum_models_by_fills() -> None:
    assert varies_by_takes(ModelConfig())
    assert not varies_by_takes(ModelConfig(drums=True))


def test_a_turn_is_as_long_as_the_temperature_asks_an_eighth_at_1() -> None:
    """The dial: an eighth at 1 (the takes as they were), a sixteenth at 0.8 and below, a
    quarter at 1.3, half a bar at 1.6, the whole bar at 2 and past it; a section's turn
    (half a bar at bar 8, the bar at 16 at an eighth's) scales with it, within the bar."""
    lengths = [turn_for(t, BAR) for t in (0.1, 0.5, 0.8, 0.9, 1.0, 1.1, 1.3, 1.6, 2.0, 5.0)]
    assert lengths == [TURN // 2] * 3 + [TURN] * 3 + [2 * TURN, BAR // 2, BAR, BAR]
    assert turn_for(2.0, 72) == 72  # a bar of 3/4 at most
    assert [turn_of(p, BAR) for p in range(4)] == [TURN, BAR // 2, TURN, BAR]
    assert [turn_of(p, BAR, TURN // 2) for p in range(4)] == [
        TURN // 2,
        BAR // 4,
        TURN // 2,
        BAR // 2,
    ]
    assert [turn_of(p, BAR, 2 * TURN) for p in range(4)] == [2 * TURN, BAR, 2 * TURN, BAR]
    assert [voices_for(turn_for(t, BAR)) for t in (0.5, 1.0, 1.3, 2.0)] == [1, 2, 3, 3]


def test_below_0_8_the_loop_is_firmer_around_each_turn_and_the_turn_nearer() -> None:
    """-t 0.5 and 0.3 played as -t 0.8 (a 16th's turn, one voice): now the loop is kept
    firmer around the turn (x2 at 0.6, x4 at 0.5, x16 at 0.3, as --memory does) and the
    turned note moves a fourth at most from 0.46 to 0.72, a step below; a fifth from 0.72
    to 1.1 (AROUND), an octave hotter."""
    temps = (0.3, 0.4, 0.5, 0.6, 0.72, 0.8, 1.0, 1.3, 2.0)
    assert [firmness_for(t) for t in temps] == [16, 8, 4, 2, 1, 1, 1, 1, 1]
    assert [reach_for(t) for t in temps] == [2, 2, 5, 5, AROUND, AROUND, AROUND, REACH, REACH]
    assert firmness_for(0.0) == 1 and reach_for(0.0) == REACH  # greedy: no takes' turns
    # a turned E3 (52) in C major: within a step first, else an octave as before
    allowed = np.zeros((2, 128), dtype=bool)
    allowed[:, 40:65] = True
    classes = np.zeros(12, dtype=bool)
    classes[[0, 2, 4, 5, 7, 9, 11]] = True
    near = turn_pitches(allowed, np.array([52, 52]), 52.0, classes, reach=STEP)
    assert set(np.flatnonzero(near[0])) == {50, 52, 53}
    wide = turn_pitches(allowed, np.array([52, 52]), 52.0, classes, takes=4, reach=STEP)
    assert len(np.flatnonzero(wide[0])) > 4  # four takes on it: each a pitch of its own
