"""The Krumhansl-Kessler key profiles: how long a clip sounds each pitch class
(:func:`pitch_class_histogram`), how well that matches the major and the minor profile on
each tonic (:func:`profile_matches`), and the major or minor key it matches best
(:func:`detect_key`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from segue.model.keys import Key
from segue.notes import Note

# Krumhansl-Kessler key profiles
_MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
_ROLLED = np.stack(
    [np.roll(profile, tonic) for profile in (_MAJOR_PROFILE, _MINOR_PROFILE) for tonic in range(12)]
)
"""(24, 12): the major, then the minor profile on each tonic, which :func:`profile_matches`
matches every clip against: rolled once, not for each clip (about a fifth of a key lock's time)."""
_ROLLED.setflags(write=False)


def pitch_class_histogram(
    notes: list[Note] | tuple[Note, ...], weights: Sequence[float] | None = None
) -> np.ndarray:
    """Total duration (beats) per pitch class, each note's times its ``weights`` if given."""
    hist = np.zeros(12)
    for i, n in enumerate(notes):
        hist[n.pitch % 12] += n.duration * (1.0 if weights is None else weights[i])
    return hist


def detect_key(notes: list[Note] | tuple[Note, ...]) -> Key | None:
    """The major or minor key whose profile best matches the notes (None for no notes)."""
    hist = pitch_class_histogram(notes)
    if hist.sum() == 0:
        return None
    best: tuple[float, Key] | None = None
    for mode, profile in (("major", _MAJOR_PROFILE), ("minor", _MINOR_PROFILE)):
        for tonic in range(12):
            with np.errstate(divide="ignore", invalid="ignore"):  # a flat histogram: nan
                r = float(np.corrcoef(hist, np.roll(profile, tonic))[0, 1])
            if np.isnan(r):
                r = -1.0
            if best is None or r > best[0]:
                best = (r, Key(tonic, mode))
    return best[1] if best else None


def profile_matches(hist: np.ndarray) -> np.ndarray:
    """(2, 12) the correlation of ``hist`` with the major (row 0) and the minor (row 1) key
    profile on each tonic (nan for a flat histogram), in one pass: :func:`lock_key` asked
    np.corrcoef 96 times, 8 ms of a producer's request for the same 24 numbers."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a flat histogram: nan
        return np.corrcoef(hist[None], _ROLLED)[0, 1:].reshape(2, 12)
