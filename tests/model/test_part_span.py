"""The part's range at each place of a loop (segue.model.part_span): the loop's, or over a
seventh chord over its seventh, up to its root on top."""

from __future__ import annotations

import numpy as np
from loop_reads import PAD, history_of
from loop_turns import BAR

from segue.model.part_span import span_at
from segue.model.takes import Turns


def test_a_seventh_over_its_seventh_reaches_up_to_its_root_on_top() -> None:
    """A close Cmaj7/B (B3 C4 E4 G4): the loop's span is B3-G4, and over the chord the part's
    span reaches Bb4, its root on top (C5) with ``voicings.BEYOND`` past it: a Cmaj7/B's
    turned G4 went to B4, a major seventh over its C4, where C5 was clear."""
    maj7 = [(p, 4.0 * bar, 4.0) for bar in range(2) for p in (59, 60, 64, 67)]
    turns = Turns(history_of(maj7, 2), 4, np.random.default_rng(0))
    assert turns.span == (59, 67)
    at = span_at(turns.span, turns._voicings, turns.clip_end + np.array([0, BAR]))
    assert at is not None and at.tolist() == [[59, 70], [59, 70]]
    assert (turns.span_at(turns.clip_end + np.array([0, BAR])) == at).all()  # asked alike


def test_a_plain_chord_keeps_the_loop_s_span_and_no_span_is_none() -> None:
    turns = Turns(history_of(PAD, 2), 4, np.random.default_rng(0))
    at = span_at(turns.span, turns._voicings, turns.clip_end + np.array([0, BAR, 12]))
    assert at is not None and at.tolist() == [[53, 64]] * 3
    assert span_at(None, turns._voicings, np.array([0])) is None
