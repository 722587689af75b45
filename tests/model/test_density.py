"""A part's density: no busier, in a bar, two or four, than its clip (a strike a bar
spare), when --memory frees the clip's notes."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows
from segue.model.density import SPARE, Density, busiest
from segue.notes import Clip, Note

CHORDS = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))


def stabs() -> Clip:
    """A 3-note stab every 2 beats, 0.25 long, for 4 bars."""
    notes = [Note(p + 12, k * 2.0, 0.25, 100) for k in range(8) for p in CHORDS[k // 2]]
    return Clip(tuple(notes), 16.0)


def test_the_busiest_span_counts_strikes_round_the_loop() -> None:
    strikes = np.array([0, 12, 24, 36, 192, 204])  # a bar's 4 8ths, 2 in the third bar
    assert busiest(strikes, 96, 384) == 4
    assert busiest(strikes, 192, 384) == 4  # (0, 192], (12, 204]: 4 each
    assert busiest(strikes, 384, 384) == 6
    assert busiest(np.array([372]), 96, 384) == 1
    assert busiest(np.array([0, 372]), 24, 384) == 2  # the last 16th and the loop's first


def test_a_take_strikes_no_more_often_than_its_clip_in_a_bar_and_a_spare() -> None:
    density = Density.of(clip_rows(stabs()), 384, 96, takes=2)
    assert density is not None
    assert density.spans.tolist() == [96, 192, 384]
    assert density.most.tolist() == [2 + SPARE, 4 + 2 * SPARE, 8 + 4 * SPARE]
    onsets = np.array([[384, 384 + 24, 384 + 48], [384, 384 + 24, 384 + 48]])
    assert density.allowed(onsets).all()  # a bar of 2 stabs (the clip's last at 336, 360)
    density.push(np.array([384, 384]), np.array([True, True]))
    density.push(np.array([384, 400]), np.array([True, False]))  # a voice; one not heard
    density.push(np.array([408, 408]), np.array([True, True]))
    allowed = density.allowed(np.array([[408, 420, 432], [408, 420, 432]]))
    # at 420 the bar (324, 420] would hold 336, 384, 408 and it: 4; at 432 the 336 has left
    assert allowed.tolist() == [[True, False, True], [True, False, True]]
    assert density.allowed(np.array([[480, 481], [480, 481]])).all()


def test_at_memory_0_a_stab_every_2_beats_is_not_played_twice_as_often() -> None:
    """With the clip memory off, a stab every 2 beats came back with 4.2 strikes a bar and
    held 0.46 beats (4 takes x 6 seeds). Less memory is other notes, not another part:
    at most 2 strikes a bar and a spare, in every bar of every take."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    per_bar = []
    for rng_seed in range(3):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, stabs(), params).variations:
            starts = np.array(sorted({n.start for n in take.clip.notes}))
            for bar in range(4):
                in_bar = ((starts >= bar * 4) & (starts < bar * 4 + 4)).sum()
                assert in_bar <= 2 + SPARE, (rng_seed, starts.tolist())
                per_bar.append(in_bar)
            assert max(n.duration for n in take.clip.notes) <= 0.5 + 1e-6
    assert np.mean(per_bar) <= 2.5
