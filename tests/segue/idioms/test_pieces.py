"""Generated parts: each role where producers put it, looping, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from segue.grid import clip_rows
from segue.idioms.pieces import ROLES, piece


def median_pitch(role: str, rng_seed: int) -> float:
    return float(
        np.median([n.pitch for n in piece(np.random.default_rng(rng_seed), role, 8).notes])
    )


@pytest.mark.parametrize("rng_seed", range(5))
def test_each_role_sits_in_its_register(rng_seed: int) -> None:
    assert median_pitch("bass", rng_seed) < 52
    assert median_pitch("lead", rng_seed) >= 55
    chords = piece(np.random.default_rng(rng_seed), "chords", 8)
    onsets = [n.start for n in chords.notes]
    assert max(onsets.count(t) for t in set(onsets)) >= 3  # chords: three voices or more


def test_the_same_rng_seed_writes_the_same_piece_and_another_does_not() -> None:
    for role in ROLES:
        a = piece(np.random.default_rng(7), role, 8)
        assert a == piece(np.random.default_rng(7), role, 8)
        assert a.notes != piece(np.random.default_rng(8), role, 8).notes


def test_pieces_loop_bar_after_bar() -> None:
    """Most of a piece's notes repeat what it played some bars earlier (1, 2, 4 or 8)."""
    shares = []
    for rng_seed in range(20):
        clip = piece(np.random.default_rng(rng_seed), "bass", 16)
        rows = clip_rows(clip)
        keys = {(int(s), int(p)) for s, p, _, _ in rows}
        bar = 96
        later = rows[rows[:, 0] >= 8 * bar]
        shares.append(
            np.mean(
                [
                    any((int(s) - k * bar, int(p)) in keys for k in (1, 2, 4, 8))
                    for s, p, _, _ in later
                ]
            )
        )
    assert np.mean(shares) > 0.8
