"""The n-gram baseline: Witten-Bell smoothing by hand, distributions that sum to one, the
order chosen on validation pieces, and continuations that stay in time."""

from __future__ import annotations

import math

import numpy as np
import pytest
from phrases import phrase

from segue.model.baselines.ngram import FieldNGram, NGramModel
from segue.model.training.batches import encode_pieces
from segue.model.vocab import Vocab

FIELD_COLUMNS = {"offset": 0, "pitch": 1, "duration": 2, "velocity": 3}


def test_witten_bell_by_hand() -> None:
    # values 0, 1, 0, 1 after a BOS (index 3) among 3 classes, order 2
    model = FieldNGram.fit([np.array([3, 0, 1, 0, 1])], size=3, order=2)
    unigram = model.distributions(np.array([[2]]), every_order=True)[0][0]
    # c(0) = c(1) = 2, N = 4, T = 2 distinct: (c + T / 3) / (N + T)
    np.testing.assert_allclose(unigram, [(2 + 2 / 3) / 6, (2 + 2 / 3) / 6, (2 / 3) / 6])
    after_zero = model.distributions(np.array([[0]]))[0]
    # 0 was followed by 1 twice: (2 + 1 * P(1)) / (2 + 1)
    assert after_zero[1] == pytest.approx((2 + unigram[1]) / 3)
    # a context never seen falls back to the unigram
    np.testing.assert_allclose(model.distributions(np.array([[2]]))[0], unigram)


def test_ngram_probabilities_sum_to_one() -> None:
    rng = np.random.default_rng(0)
    vocab = Vocab()
    pieces = [phrase(list(rng.integers(55, 80, 60)), step=int(s)) for s in (6, 12, 24, 8)]
    data = encode_pieces(pieces, [96] * len(pieces), vocab)
    model = NGramModel.fit(data, vocab, order=4)
    for name, field in model.fields.items():
        histories = rng.integers(0, field.size + 1, (200, field.order - 1))
        histories[:50] = data.piece_steps(0)[:50, FIELD_COLUMNS[name] : FIELD_COLUMNS[name] + 1]
        for probs in field.distributions(histories, every_order=True):
            np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)
            assert (probs > 0).all()
    nll = model.nll(data)
    assert 0 < nll["pitch"] < math.log(128)  # learned something, and never infinite
    assert nll["notes"] == data.notes


def test_ngram_order_is_chosen_and_continuations_stay_in_time() -> None:
    vocab = Vocab()
    tune = phrase([60, 62, 64, 65, 67, 65, 64, 62] * 8)
    data = encode_pieces([tune, tune], [96, 96], vocab)
    model = NGramModel.fit(data, vocab, None, valid=data)
    assert all(1 <= o <= 6 for o in model.orders.values())
    out = model.continuations(tune[:16], 192, 96, 192, 1.0, 0.95, samples=3, rng_seed=1)
    assert len(out) == 3
    for rows in out:
        assert len(rows) and rows[:, 0].min() >= 0 and (rows[:, 0] + rows[:, 2]).max() <= 192
    # greedy continues the only thing it has seen
    greedy = model.continuations(tune[:16], 192, 96, 192, 0.0, 0.95, samples=1, rng_seed=1)[0]
    np.testing.assert_array_equal(greedy[:, 1], tune[16:32, 1])


def test_a_long_bar_is_continued_as_its_halved_values_would_be() -> None:
    """A 3/1 seed (288-tick bars) is continued in halved values and doubled back, as segue's
    generation does: exactly the 3/2 seed's continuation at twice the length."""
    vocab = Vocab()
    tune = phrase([60, 62, 64, 65, 67, 65, 64, 62] * 8, step=24)
    data = encode_pieces([tune, tune], [144, 144], vocab)
    model = NGramModel.fit(data, vocab, order=3)
    slow = tune.copy()
    slow[:, [0, 2]] *= 2
    halves = model.continuations(tune[:16], 384, 144, 288, 1.0, 0.95, samples=2, rng_seed=3)
    whole = model.continuations(slow[:16], 768, 288, 576, 1.0, 0.95, samples=2, rng_seed=3)
    for fast, long in zip(halves, whole, strict=True):
        assert len(fast)
        expected = fast.copy()
        expected[:, [0, 2]] *= 2
        np.testing.assert_array_equal(long, expected)
