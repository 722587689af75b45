"""A run's random numbers depend on (seed, epoch, purpose, rank) and nothing else."""

from __future__ import annotations

from segue.model.training.rng import INIT, ORDER, TORCH, WINDOWS, generator, torch_rng_seed


def test_each_purpose_epoch_and_rank_draws_its_own_numbers_again_and_again() -> None:
    def draw(*parts: int) -> list[float]:
        return generator(*parts).random(4).tolist()

    assert draw(7, 0, ORDER) == draw(7, 0, ORDER)
    others = [draw(7, 0, WINDOWS), draw(7, 1, ORDER), draw(8, 0, ORDER), draw(7, 0, ORDER, 1)]
    assert all(o != draw(7, 0, ORDER) for o in others)
    assert len({ORDER, WINDOWS, TORCH, INIT}) == 4


def test_torch_seeds_are_what_torch_takes() -> None:
    seeds = {
        torch_rng_seed(7, epoch, rank, batch)
        for epoch in range(3)
        for rank in range(2)
        for batch in range(3)
    }
    assert len(seeds) == 18 and all(0 <= s < 2**63 for s in seeds)
    assert (
        torch_rng_seed(7, 0, 0)
        == torch_rng_seed(7, 0, 0, purpose=TORCH)
        != torch_rng_seed(7, 0, 0, purpose=INIT)
    )
