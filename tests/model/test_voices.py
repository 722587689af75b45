"""The voice tracker that generation and the baselines share."""

from __future__ import annotations

import numpy as np
import pytest

from segue.model.voices import HARD_POLYPHONY, Voices, stolen


def test_polyphony_limit_masks_onsets_while_notes_still_sound() -> None:
    seed = np.array([[0, 60, 48, 90], [0, 64, 48, 90], [0, 67, 24, 90]])  # a chord
    voices = Voices(2, seed)
    last = np.zeros(2, dtype=np.int64)
    onsets = last[:, None] + np.array([0, 12, 24, 36, 48])[None]
    assert voices.offset_mask(last, onsets, HARD_POLYPHONY) is None  # room for more
    mask = voices.offset_mask(last, onsets, 3)
    assert mask is not None
    assert mask.tolist() == [[False, False, True, True, True]] * 2  # 3 sound until tick 24
    assert voices.offset_mask(last, onsets, 2).tolist() == [[False, False, False, False, True]] * 2


def test_a_sounding_pitch_is_not_struck_again_unless_nothing_else_is_allowed() -> None:
    voices = Voices(1, np.array([[0, 60, 24, 90]]))
    every = np.ones(128, dtype=bool)
    assert not voices.pitch_mask(np.array([12]), every)[0, 60]
    assert voices.pitch_mask(np.array([24]), every)[0, 60]
    only_c = np.zeros(128, dtype=bool)
    only_c[60] = True
    assert voices.pitch_mask(np.array([12]), only_c)[0, 60]  # stuck: fall back to the key


def test_added_notes_count_only_where_the_variation_still_runs() -> None:
    voices = Voices(2, np.zeros((0, 4), dtype=np.int64))
    voices.add(np.array([48, 48]), np.array([62, 62]), np.array([True, False]))
    mask = voices.pitch_mask(np.array([24, 24]), np.ones(128, dtype=bool))
    assert not mask[0, 62] and mask[1, 62]


def test_a_limit_that_steals_holds_only_notes_struck_together() -> None:
    seed = np.array([[0, 60, 48, 90], [0, 64, 48, 90], [0, 67, 24, 90]])  # a chord
    voices = Voices(2, seed)
    last = np.zeros(2, dtype=np.int64)
    onsets = last[:, None] + np.array([0, 12, 24, 36, 48])[None]
    mask = voices.offset_mask(last, onsets, 2, steal=True)  # the chord is cut where one begins
    assert mask is not None and mask.tolist() == [[False, True, True, True, True]] * 2
    assert voices.offset_mask(last, onsets, 4, steal=True) is None


def test_a_note_cuts_the_oldest_that_sounds_over_the_limit() -> None:
    legato = stolen(np.array([0.0, 1.0, 2.0]), np.array([1.2, 1.2, 1.2]), 1)
    assert legato.tolist() == pytest.approx([1.0, 1.0, 1.2])  # a mono synth's legato
    chord_then_note = stolen(np.array([0.0, 0.0, 1.0]), np.array([2.0, 2.0, 1.0]), 2)
    assert chord_then_note.tolist() == pytest.approx([1.0, 2.0, 1.0])
    apart = stolen(np.array([0.0, 1.0]), np.array([1.0, 1.0]), 1)
    assert apart.tolist() == [1.0, 1.0]  # nothing over the limit: as they were
