"""The pull of the clip's pitch classes: its maths, and generation with it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.model.architecture import ModelConfig
from segue.model.generate import generate
from segue.model.lstm import SegueLSTM
from segue.model.pitch_classes import (
    SMOOTHING,
    biased_log_probs,
    class_probabilities,
    counts_before,
    counts_of,
    every_octave,
    log_shares,
    pitch_bias,
)
from segue.model.settings import GenerationParams
from segue.notes import Clip, Note

C_MAJOR_TRIAD = {0, 4, 7}


@pytest.fixture(scope="module")
def untrained() -> SegueLSTM:
    torch.manual_seed(5)
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()


def _with(model: SegueLSTM, **config: object) -> SegueLSTM:
    out = SegueLSTM(replace(model.config, **config)).eval()
    out.load_state_dict(model.state_dict())
    return out


def _triad_seed() -> Clip:
    pitches = [60, 64, 67, 72, 67, 64] * 4
    return Clip(tuple(Note(p, i * 0.5, 0.5, 90) for i, p in enumerate(pitches)))


def _triad_share(result) -> float:
    pitches = [n.pitch for v in result.variations for n in v.clip.notes]
    return float(np.mean([p % 12 in C_MAJOR_TRIAD for p in pitches]))


def test_shares_and_counts() -> None:
    counts = counts_of([60, 72, 64, 67, 61])
    assert counts.tolist() == [2, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]
    shares = np.exp(log_shares(counts))
    assert shares.sum() == pytest.approx(1.0)
    assert shares[0] == pytest.approx((2 + SMOOTHING) / (5 + 12 * SMOOTHING))
    assert np.exp(log_shares(np.zeros(12))) == pytest.approx(np.full(12, 1 / 12))  # no notes yet
    before = counts_before(np.array([60, 64, 72]))
    assert before.tolist()[0] == [0] * 12
    assert before[2, 0] == 1 and before[2, 4] == 1 and before.sum() == 3
    bias = pitch_bias(counts[None], 0.5)  # the log-shares less their per-row normaliser
    assert bias.shape == (1, 128) and bias.dtype == np.float32
    assert bias[0, 60] == bias[0, 0]
    pulled_probs = np.exp(bias[0] - bias[0].max()) / np.exp(bias[0] - bias[0].max()).sum()
    np.testing.assert_allclose(
        pulled_probs,
        shares[np.arange(128) % 12] ** 0.5 / (shares[np.arange(128) % 12] ** 0.5).sum(),
        rtol=1e-5,
    )
    probs = np.random.default_rng(0).dirichlet(np.ones(128), 3)
    classes = class_probabilities(probs)
    assert classes.sum(axis=1) == pytest.approx(np.ones(3))
    assert classes[1, 3] == pytest.approx(probs[1, 3::12].sum())


def test_biased_log_probs_equal_the_pulled_distribution_renormalised() -> None:
    rng = np.random.default_rng(1)
    n, weight = 50, 0.7
    logits = rng.normal(0, 2, (n, 128))
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    counts = rng.integers(0, 9, (n, 12)).astype(float)
    shares = log_shares(counts)
    target = rng.integers(0, 128, n)
    direct = log_p + weight * shares[:, np.arange(128) % 12]
    direct = direct - np.log(np.exp(direct).sum(axis=1, keepdims=True))
    got = biased_log_probs(
        log_p[np.arange(n), target],
        class_probabilities(np.exp(log_p)),
        shares,
        shares[np.arange(n), target % 12],
        weight,
    )
    np.testing.assert_allclose(got, direct[np.arange(n), target], atol=1e-10)
    assert np.array_equal(biased_log_probs(log_p[:, 0], None, None, None, 0.0), log_p[:, 0])


def test_generation_is_pulled_to_the_clips_pitch_classes_and_memory_0_lets_go(untrained) -> None:
    params = GenerationParams(notes=40, variations=4, rng_seed=3)
    alone = generate(untrained, _triad_seed(), params)
    pulled_model = _with(untrained, pitch_class_weight=1.5)
    pulled_result = generate(pulled_model, _triad_seed(), params)
    assert _triad_share(pulled_result) > _triad_share(alone) + 0.3
    off = generate(pulled_model, _triad_seed(), replace(params, memory=0.0))
    # as a model without the pull at memory 0 (which holds a legato part's notes too)
    alone_off = generate(untrained, _triad_seed(), replace(params, memory=0.0))
    assert [v.clip for v in off.variations] == [v.clip for v in alone_off.variations]
    # the pull yields to the key lock: it reweights the allowed pitches only
    locked = generate(pulled_model, _triad_seed(), replace(params, key="F major"))
    assert all(
        n.pitch % 12 in {5, 7, 9, 10, 0, 2, 4} for v in locked.variations for n in v.clip.notes
    )


def test_every_octave_is_each_pitch_s_class_up_to_g9() -> None:
    rng = np.random.default_rng(2)
    classes = rng.random((5, 12)) < 0.5
    assert np.array_equal(every_octave(classes), np.tile(classes, (1, 11))[:, :128])
    assert np.array_equal(every_octave(classes[0]), np.tile(classes[0], 11)[:128])
    assert every_octave([True] + [False] * 11).nonzero()[0].tolist() == list(range(0, 128, 12))
