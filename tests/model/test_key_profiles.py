"""The key profiles: the major or minor key whose profile best matches a clip's notes."""

from __future__ import annotations

import numpy as np
import pytest

from segue.model.key_profiles import (
    _MAJOR_PROFILE,
    _MINOR_PROFILE,
    detect_key,
    pitch_class_histogram,
    profile_matches,
)
from segue.model.keys import Key
from segue.notes import Note


def test_detect_key_on_scales() -> None:
    a_minor = [57, 59, 60, 62, 64, 65, 67, 69, 64, 60, 57]
    assert detect_key([Note(p, i, 1) for i, p in enumerate(a_minor)]) == Key(9, "minor")
    assert detect_key([]) is None


def test_profile_matches_are_detect_keys_measure_on_every_tonic() -> None:
    """The profiles rolled once (not for each clip) are the major, then the minor profile on
    tonics 0-11: each match is np.corrcoef's of the clip with that profile, as detect_key
    measures it, and a flat histogram matches none (nan)."""
    hist = pitch_class_histogram(
        [Note(p, i, 1 + i % 3) for i, p in enumerate([57, 60, 64, 65, 62])]
    )
    match = profile_matches(hist)
    for row, profile in enumerate((_MAJOR_PROFILE, _MINOR_PROFILE)):
        for tonic in range(12):
            expected = np.corrcoef(hist, np.roll(profile, tonic))[0, 1]
            assert match[row, tonic] == pytest.approx(expected, abs=1e-12)
    assert np.isnan(profile_matches(np.ones(12))).all()
