"""The random numbers of a training run: every generator is seeded with
``(rng_seed, epoch, purpose, rank)`` alone, so a run stopped at any batch and resumed
draws what a run that never stopped draws."""

from __future__ import annotations

import numpy as np

# what each random generator is for: (rng_seed, epoch, PURPOSE, rank) never collide
ORDER, WINDOWS, TORCH, INIT = 1, 2, 3, 4


def generator(rng_seed: int, epoch: int, purpose: int, rank: int = 0) -> np.random.Generator:
    """numpy's generator for one purpose of one process in one epoch."""
    return np.random.default_rng([rng_seed, epoch, purpose, rank])


def torch_rng_seed(
    rng_seed: int, epoch: int, rank: int, batch: int = 0, purpose: int = TORCH
) -> int:
    """A number for ``torch.manual_seed`` (dropout, the initial weights) from the same parts."""
    parts = [rng_seed, epoch, purpose, rank, batch]
    state = np.random.SeedSequence(parts).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))
