"""Random notes as a network reads them, which the steppers' tests share
(``test_architecture``, ``test_known_steps``)."""

from __future__ import annotations

import numpy as np

from segue.model.vocab import Vocab


def random_steps(vocab: Vocab, rows: int, rng: np.random.Generator) -> np.ndarray:
    """(rows, 5) steps of random classes: offset, pitch, duration, velocity and bar position."""
    return np.stack(
        [
            rng.integers(0, vocab.n_offset, rows),
            rng.integers(0, 128, rows),
            rng.integers(0, vocab.n_duration, rows),
            rng.integers(0, 32, rows),
            rng.integers(0, vocab.n_position, rows),
        ],
        axis=1,
    )
