"""A keys part's two hands: which clips have them, and what a take keeps of them."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows
from segue.model.accents import Accents
from segue.model.hands import Hands, hands_of
from segue.notes import Clip, Note

PROGRESSION = (
    ((36, 43), (64, 67, 72)),
    ((33, 40), (64, 69, 72)),
    ((29, 36), (65, 69, 72)),
    ((31, 38), (62, 67, 71)),
)
"""C Am F G: the left hand's root and fifth held through the bar, the right hand's triads."""
RIGHT_HAND = ((0.0, 100), (1.5, 72), (2.0, 88), (3.5, 64))  # beat, velocity


def keys(rests: bool = False) -> Clip:
    """A two-handed keys part (the left hand at 70; ``rests``: held for half the bar only)."""
    notes = []
    for bar, (left, right) in enumerate(PROGRESSION):
        notes += [Note(p, bar * 4.0, 1.9 if rests else 3.9, 70) for p in left]
        notes += [Note(p, bar * 4.0 + at, 0.45, vel) for at, vel in RIGHT_HAND for p in right]
    return Clip(tuple(notes), 16.0)


def test_a_left_hand_held_under_every_chord_makes_two_hands() -> None:
    assert hands_of(clip_rows(keys())) == Hands(29, 43, 62)
    assert hands_of(clip_rows(keys(rests=True))) is None  # a low part that rests
    open_pad = Clip(tuple(Note(p, 0.0, 4.0, 90) for p in (48, 55, 64, 67)), 4.0)  # 9 apart
    assert hands_of(clip_rows(open_pad)) is None
    octaves = Clip(tuple(Note(p, 0.0, 4.0, 90) for p in (36, 48, 60, 64, 67)), 4.0)
    assert hands_of(clip_rows(octaves)) is None  # an octave apart: one voicing
    close = Clip(tuple(Note(p, 0.0, 4.0, 90) for p in (60, 64, 67)), 4.0)
    assert hands_of(clip_rows(close)) is None
    bass_under = Clip(tuple(Note(p, 0.0, 4.0, 90) for p in (36, 60, 64, 67)), 4.0)
    assert hands_of(clip_rows(bass_under)) == Hands(36, 36, 60)


def test_each_hand_has_its_own_accents() -> None:
    rows = clip_rows(keys())
    both = Accents.of(rows, 96, 24)
    hands = Accents.of(rows, 96, 24, split=62)
    assert both is not None and hands is not None
    downbeat = np.array([384, 384])
    assert both.at(downbeat, np.array([36, 64])).tolist() == [100, 100]  # the place's median
    assert hands.at(downbeat, np.array([36, 64])).tolist() == [70, 100]
    assert hands.at(np.array([384 + 36]), np.array([64])).tolist() == [72]


def test_at_memory_0_a_keys_part_keeps_its_left_hand_and_its_levels() -> None:
    """With the clip memory off, the network voiced a two-handed part in one register: 14
    of 32 takes without a note in the left hand's, and 22 of 32 at one velocity, the
    downbeat's (helper-87). Less memory is other notes, not another instrument: every take
    keeps a left hand under its chords, at the left hand's level."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    producer = load_checkpoint(find_model("producer")).model
    for rng_seed in range(4):
        params = GenerationParams(variations=4, bars=4, rng_seed=rng_seed, memory=0.0)
        for take in generate(producer, keys(), params).variations:
            notes = take.clip.notes
            for at in sorted({n.start for n in notes}):
                heard = [n for n in notes if n.start <= at < n.end]
                assert min(n.pitch for n in heard) < 62, (rng_seed, at)  # a left hand under
            left = {n.velocity for n in notes if n.pitch < 62}
            right = {n.velocity for n in notes if n.pitch >= 62}
            assert left == {70} and 100 in right, (rng_seed, left, right)  # 70 under 100
