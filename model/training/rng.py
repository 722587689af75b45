"""The random numbers of a training run: every generator is seeded with
``(seed, epoch, purpose, rank)`` alone, so a run stopped at any batch and resumed
draws what a run that never stopped draws."""

from __future__ import annotations

import numpy as np

# what each random generator is for: (seed, epoch, PURPOSE, rank) never collide
ORDER, WINDOWS, TORCH, INIT = 1, 2, 3, 4


def generator(seed: int, epoch: int, purpose: int, rank: int = 0) -> np.random.Generator:
    """numpy's generator for one purpose of one process in one epoch."""
    return np.random.default_rng([seed, epoch, purpose, rank])


def torch_seed(seed: int, epoch: int, rank: int, batch: int = 0, purpose: int = TORCH) -> int:
    """A seed for ``torch.manual_seed`` (dropout, the initial weights) from the same parts."""
    state = np.random.SeedSequence([seed, epoch, purpose, rank, batch]).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))
