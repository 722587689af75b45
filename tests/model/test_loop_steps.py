"""The loop's choices at each step (``segue.model.loop_steps``), without a model."""

from __future__ import annotations

import numpy as np

from segue.model.keys import Key, pitch_mask
from segue.model.loop_steps import FIRST_LOUDNESS, fold_into, from_nothing, in_the_part
from segue.model.voicings import BEYOND


def test_a_loop_note_folds_by_octave_out_of_range_by_a_step_out_of_key_else_is_left_out() -> None:
    c_major, anywhere = pitch_mask(Key(0, "major")), pitch_mask(None)
    allowed = np.tile(pitch_mask(Key(0, "major"), 0, 70), (4, 1))  # C major, up to 70
    rows = np.ones(4, dtype=bool)
    wanted = np.array([66, 72, 64, 61])  # F#; C; E (still sounding); C#
    allowed[2, 64] = False  # E still sounds
    left = fold_into(allowed, rows, wanted, c_major, pitch_mask(None, 0, 70))
    assert np.flatnonzero(allowed[0]).tolist() == [65]  # F#: F, the lower as near, every
    # time (the network chose F or G, and one take played a loop's note both ways: helper-51)
    assert np.flatnonzero(allowed[1]).tolist() == [60]  # C5 over the range: C4
    assert np.flatnonzero(allowed[2]).tolist() == [64]  # struck again, as the clip does
    assert np.flatnonzero(allowed[3]).tolist() == [60]
    assert not left.any()
    narrow = np.tile(pitch_mask(None, 60, 66), (1, 1))
    assert fold_into(narrow, np.ones(1, dtype=bool), np.array([57]), anywhere, narrow[0]).all()
    # a pad's A4, with its A3 folded up to A4 under --low at the same onset already: left
    # out, not written twice at once (two note-ons of 69 on one tick, helper-47)
    same = np.tile(pitch_mask(None, 60, 76), (1, 1))
    same[0, 69] = False  # A4 sounds: the folded A3 took it at this onset
    struck = np.zeros((1, 128), dtype=bool)
    struck[0, 69] = True
    assert fold_into(same, np.ones(1, dtype=bool), np.array([69]), anywhere, same[0], struck).all()
    pads = np.tile(anywhere, (2, 1))
    assert fold_into(pads, np.ones(2, dtype=bool), np.array([42, 46]), None, anywhere).all()


def test_a_take_from_nothing_begins_at_the_loudness_of_a_drawn_note() -> None:
    """A take generated from nothing began at any velocity the network liked: a producer
    take's median velocity was under 20 in 5 of 20 rng seeds. Its first note is now kept
    to :data:`FIRST_LOUDNESS`, about the 100 Live gives a note you draw."""
    values = np.arange(1, 128, 8)
    kept = from_nothing(np.zeros((2, len(values))), values)
    low, high = FIRST_LOUDNESS
    inside = (values >= low) & (values <= high)
    assert inside.any() and np.isfinite(kept[:, inside]).all()
    assert np.isneginf(kept[:, ~inside]).all()


def test_the_network_s_own_note_keeps_the_part_s_register_where_that_leaves_a_pitch() -> None:
    """The rows given (a take's own notes) keep to the loop's span and :data:`BEYOND` past
    it where that leaves an allowed pitch; other rows, and a row whose allowed pitches all
    lie outside, are left as they were."""
    allowed = np.tile(pitch_mask(Key(0, "major"), 24, 96), (4, 1))
    allowed[2] = False
    allowed[2, [30, 90]] = True  # only F#1 and F#6: nothing in the part
    before = allowed.copy()
    rows = np.array([True, False, True, True])
    span = np.array([[43, 64], [43, 64], [55, 67]])  # G2-E4 (rows 0 and 2), G3-G4 (row 3)
    in_the_part(allowed, rows, span)
    assert np.flatnonzero(allowed[0]).tolist() == [
        p for p in range(43 - BEYOND, 64 + BEYOND + 1) if before[0, p]
    ]
    assert (allowed[1] == before[1]).all() and (allowed[2] == before[2]).all()
    assert np.flatnonzero(allowed[3]).min() == 53 and np.flatnonzero(allowed[3]).max() == 69
    narrowed = allowed.copy()
    in_the_part(allowed, rows, None)  # a loop without a span (no notes): nothing narrowed
    assert (allowed == narrowed).all()
