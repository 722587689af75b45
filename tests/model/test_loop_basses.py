"""The basses a loop's takes keep: a chord's, a left hand's broken chords' and the places that
strike them alone, and the bass its notes after them stay over (segue.model.loop_basses)."""

from __future__ import annotations

import numpy as np
from loop_reads import ALBERTI, PAD, history_of
from loop_turns import BAR

from segue.model.loop_basses import LoopBasses
from segue.model.loop_reading import read_loop


def test_a_left_hand_s_basses_are_kept_and_its_notes_after_them_stay_over_them() -> None:
    left = read_loop(history_of(ALBERTI, 2))
    basses = LoopBasses.of(left, moved=0, pulse=BAR // 4)
    assert basses.basses[0] == 36 and basses.basses[BAR] == 31
    assert {0, BAR} <= basses.lone  # each bar's downbeat, struck alone
    assert basses.floor[12] == 36 and basses.floor[BAR + 12] == 31
    at = left.clip_end + np.array([0, 12, BAR])
    assert basses.lone_bass(at).tolist() == [36, -1, 31]
    # a chord loop strikes no bass alone
    assert LoopBasses.of(read_loop(history_of(PAD, 2)), 0, BAR // 4).lone == set()
