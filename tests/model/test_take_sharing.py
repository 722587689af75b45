"""How many takes turn or answer at one place (segue.model.take_sharing): those whose turns
lie at the same place of a bar with fewer places than takes, at most SHARED_BAR over a
section's end's turn of many notes, and all of them where a line's takes answer late; each
request's copy of the turns asking its own takes' places."""

from __future__ import annotations

import numpy as np
from loop_turns import BAR, takes

from segue.model.take_sharing import SHARED_BAR

PAD = [(48, 0.0), (55, 0.0), (64, 0.0)]
"""C3 G3 E4 struck once a bar: two places (the last bar and the one before) for four takes."""
RUN = [(60, 0.0), (62, 0.5), (64, 1.0), (65, 1.5), (67, 2.0), (65, 2.5), (64, 3.0), (62, 3.5)]
"""A bar of eighths up and down: a place of its own for each take at a phrase's end."""


def test_takes_turning_at_one_place_count_each_other() -> None:
    turns = takes(PAD, seed=0)
    end = turns.clip_end
    starts = turns.starts(0)
    assert len(set(starts.tolist())) < 4  # fewer places than takes
    counted = turns._sharing.sharing(end + starts)
    assert counted.tolist() == [(starts == s).sum() for s in starts]
    assert (counted == turns.sharing(end + starts)).all()  # asked of the turns alike
    line = takes(RUN, seed=0)
    assert line._sharing.sharing(line.clip_end + line.starts(0)).tolist() == [1] * 4


def test_a_section_end_s_turn_of_many_notes_is_shared_by_at_most_shared_bar() -> None:
    """At a 16-bar mark every take turns the whole last bar: one place for all four, but eight
    notes to differ over; counted as SHARED_BAR takes, not four."""
    line = takes(RUN, seed=0)
    phrase = 3  # bars 13-16
    starts = line.starts(phrase)
    assert line.length(phrase) == BAR and (starts == starts[0]).all()
    assert line._sharing.sharing(line.clip_end + starts).tolist() == [SHARED_BAR] * 4


def test_a_sub_bass_s_takes_all_answer_where_they_answer_late() -> None:
    """A whole-note sub bass keeps its notes and answers in its bar's second half: where a
    take's answer begins, all four takes are counted (each a pitch of its own), elsewhere none."""
    bass = takes([(33, 0.0)], seed=0, step=4.0)
    end = bass.clip_end
    late = bass._sharing.answering_late(end + np.full(4, 3 * BAR + 48))
    assert set(late.tolist()) <= {0, 4} and (late == 4).any()
    assert bass._sharing.answering_late(end + np.full(4, 3 * BAR)).tolist() == [0] * 4
    assert bass._sharing.answering_late(np.full(4, end - BAR)).tolist() == [0] * 4  # the clip


def test_each_copy_s_sharing_asks_its_own_takes_places() -> None:
    """A request's copy (``Turns.drawing_with``) counts the takes at its own takes' places,
    drawn with its rng, never the kept turns' or another copy's."""
    kept = takes(PAD, seed=0)
    end = kept.clip_end
    for seed in range(1, 9):
        copy = kept.drawing_with(np.random.default_rng(seed))
        other = kept.drawing_with(np.random.default_rng(seed + 100))
        other.sharing(end + other.starts(0))
        assert copy._sharing._places is copy._turn_places
        starts = copy.starts(0)
        assert copy.sharing(end + starts).tolist() == [(starts == s).sum() for s in starts]
        fresh = takes(PAD, seed=seed)
        assert fresh.sharing(end + starts).tolist() == copy.sharing(end + starts).tolist()
