"""The one sampler: temperature, top-p and masks, for generation and the baselines."""

from __future__ import annotations

import numpy as np
import torch

from segue.model.sampling import Sampler


def _draws(logits: torch.Tensor, allowed, temperature: float, top_p: float, n: int = 4000):
    rng = np.random.default_rng(0)
    batch = logits.expand(n, -1).contiguous().numpy()
    mask = None if allowed is None else np.repeat(allowed[None], n, axis=0)
    return Sampler(temperature, top_p)(batch, mask, rng)


def test_sampling_follows_the_softmax() -> None:
    logits = torch.tensor([2.0, 1.0, 0.0, -1.0])
    counts = np.bincount(_draws(logits, None, 1.0, 1.0), minlength=4) / 4000
    assert np.allclose(counts, torch.softmax(logits, -1).numpy(), atol=0.03)
    hot = np.bincount(_draws(logits, None, 2.0, 1.0), minlength=4) / 4000
    assert np.allclose(hot, torch.softmax(logits / 2, -1).numpy(), atol=0.03)


def test_top_p_keeps_the_nucleus_only() -> None:
    probs = torch.tensor([0.5, 0.3, 0.15, 0.04, 0.01])
    drawn = set(_draws(probs.log(), None, 1.0, 0.9).tolist())
    assert drawn == {0, 1, 2}  # 0.5 + 0.3 < 0.9, so the third is needed; the tail never
    # 128 classes with distinct probabilities: exactly the likeliest ones that
    # reach half the mass are drawn, in proportion
    logits = torch.linspace(1.0, -1.0, 128)
    probs = torch.softmax(logits, -1).numpy()
    nucleus = int(np.searchsorted(np.cumsum(probs), 0.5)) + 1
    wide = _draws(logits, None, 1.0, 0.5, n=20000)
    assert set(wide.tolist()) == set(range(nucleus))
    expected = probs[:nucleus] / probs[:nucleus].sum()
    assert np.allclose(np.bincount(wide, minlength=nucleus) / 20000, expected, atol=0.01)
    # equal classes at the edge of the nucleus are all kept: no index is favoured
    assert len(set(_draws(torch.zeros(128), None, 1.0, 0.5).tolist())) == 128


def test_top_p_takes_the_likeliest_class_when_it_alone_is_enough() -> None:
    probs = torch.tensor([[0.97, 0.02, 0.01], [0.5, 0.3, 0.2]])
    rng = np.random.default_rng(0)
    sample = Sampler(1.0, 0.95)
    draws = np.stack([sample(probs.log().numpy(), None, rng) for _ in range(500)])
    assert set(draws[:, 0].tolist()) == {0}
    assert set(draws[:, 1].tolist()) == {0, 1, 2}


def test_masked_classes_are_never_drawn_and_greedy_takes_the_best_allowed() -> None:
    logits = torch.tensor([5.0, 4.0, 0.0, -2.0])
    allowed = np.array([False, True, False, True])
    assert set(_draws(logits, allowed, 1.0, 0.95).tolist()) <= {1, 3}
    assert set(_draws(logits, allowed, 0.0, 1.0).tolist()) == {1}


def test_sampling_follows_temperature_top_p_and_masks() -> None:
    rng = np.random.default_rng(0)
    logp = np.log(np.array([[0.1, 0.6, 0.3]] * 500))
    assert (Sampler(0.0, 1.0)(logp, None, rng) == 1).all()
    assert (Sampler(1.0, 0.5)(logp, None, rng) == 1).all()  # the nucleus holds one class
    allowed = np.array([True, False, True])
    picks = Sampler(1.0, 1.0)(logp, np.repeat(allowed[None], 500, axis=0), rng)
    assert set(picks) == {0, 2}
    assert abs((picks == 2).mean() - 0.75) < 0.08


def test_top_k_keeps_the_k_likeliest_classes_only() -> None:
    probs = np.array([[0.05, 0.5, 0.15, 0.3]] * 20000)
    rng = np.random.default_rng(0)
    two = Sampler(1.0, 1.0, top_k=2)(np.log(probs), None, rng)
    assert set(two.tolist()) == {1, 3}
    assert abs((two == 1).mean() - 0.5 / 0.8) < 0.02  # in proportion among the kept
    assert (Sampler(2.0, 1.0, top_k=1)(np.log(probs), None, rng) == 1).all()  # greedy
    # with top-p, the nucleus is taken of the k kept: 0.5 / 0.95 < 0.6 needs the second
    both = Sampler(1.0, 0.6, top_k=3)(np.log(probs), None, rng)
    assert set(both.tolist()) == {1, 3}
    # masked classes do not count among the k: the two likeliest allowed ones are drawn
    allowed = np.repeat(np.array([[True, False, True, True]]), len(probs), axis=0)
    masked = Sampler(1.0, 1.0, top_k=2)(np.log(probs), allowed, rng)
    assert set(masked.tolist()) == {2, 3}
    # equal classes at the edge are all kept
    assert len(set(Sampler(1.0, 1.0, top_k=3)(np.zeros((2000, 8)), None, rng).tolist())) == 8


def test_top_k_off_or_wider_than_the_classes_draws_exactly_as_without_it() -> None:
    logits = np.random.default_rng(1).normal(size=(64, 40))
    plain = Sampler(1.1, 0.9)(logits, None, np.random.default_rng(5))
    for k in (0, 40, 128):
        same = Sampler(1.1, 0.9, top_k=k)(logits, None, np.random.default_rng(5))
        assert (same == plain).all(), k


def test_the_sampler_reads_its_controls_from_the_generation_settings() -> None:
    from segue.model.settings import SETTINGS_BY_NAME, GenerationParams

    sampler = Sampler.of(GenerationParams(temperature=0.7, top_p=0.8, top_k=12))
    assert sampler == Sampler(0.7, 0.8, top_k=12)
    assert Sampler.of(GenerationParams()).top_k == 0 == SETTINGS_BY_NAME["top_k"].off
