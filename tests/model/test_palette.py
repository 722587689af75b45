"""The clip's palette: its shares, the weights a seed fits, the mixture in generation and in
the likelihood."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from segue.grid import clip_rows
from segue.model.architecture import ModelConfig
from segue.model.generate import generate
from segue.model.loop_fit import continuation_losses, windows_of
from segue.model.lstm import SegueLSTM
from segue.model.palette import (
    LARGEST,
    SMOOTHING,
    PaletteRows,
    fit_weights,
    mix,
    seed_weights,
    shares_before,
    shares_of,
)
from segue.model.settings import GenerationParams
from segue.model.vocab import Vocab
from segue.notes import Clip, Note, TimeSignature

CHORDS = [(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)]


def arpeggio(bars: int = 8) -> Clip:
    """8th notes up three-note chords, a chord a bar, a 4-bar loop (notes a tiny untrained
    network knows nothing of)."""
    notes = [
        Note(chord[i % 3], bar * 4.0 + i * 0.5, 0.25, 90)
        for bar in range(bars)
        for chord in [CHORDS[bar % len(CHORDS)]]
        for i in range(8)
    ]
    return Clip(tuple(notes), bars * 4.0, TimeSignature())


@pytest.fixture(scope="module")
def network() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=16, embed=8, layers=1)).eval()


def test_a_share_counts_only_the_notes_before() -> None:
    values = np.array([3, 3, 5, 3])
    size = 8
    expected = [
        (0 + SMOOTHING / size) / SMOOTHING,
        (1 + SMOOTHING / size) / (1 + SMOOTHING),
        (0 + SMOOTHING / size) / (2 + SMOOTHING),
        (2 + SMOOTHING / size) / (3 + SMOOTHING),
    ]
    np.testing.assert_allclose(shares_before(values, size), expected)
    notes = values[:, None]  # the share of another class: 3 after [3, 3, 5] twice
    assert shares_of(notes, np.array([5, 5, 3, 5]), 0, size)[3] == pytest.approx(
        (1 + SMOOTHING / size) / (3 + SMOOTHING)
    )


def test_weights_follow_which_explains_the_notes_better() -> None:
    rng = np.random.default_rng(0)
    good, bad = rng.uniform(0.5, 0.9, (200, 3)), rng.uniform(0.001, 0.01, (200, 3))
    assert (fit_weights(bad, good) > 0.9).all()  # the network misses, the palette knows
    assert (fit_weights(good, bad) < 0.05).all()  # the clip is like the model's music
    assert (fit_weights(bad, good) <= LARGEST).all()
    assert (fit_weights(np.zeros((0, 3)), np.zeros((0, 3))) == 0).all()


def test_a_seed_alone_fits_its_weights() -> None:
    vocab = Vocab()
    notes = np.array([[0, 60, 10], [24, 62, 10], [24, 60, 10], [24, 62, 10]] * 4)
    unlikely = np.full((len(notes), 3), 1e-4)
    assert (seed_weights(notes, unlikely, vocab) > 0.5).all()
    assert (seed_weights(notes[:1], unlikely[:1], vocab) == 0).all()  # one note says nothing


def test_the_mixture_is_a_distribution_and_weight_zero_leaves_the_network() -> None:
    logits = np.random.default_rng(1).normal(size=(4, 12))
    counts = np.zeros((4, 12))
    counts[:, 3] = 5
    mixed = mix(logits, counts, 0.4)
    np.testing.assert_allclose(np.exp(mixed).sum(axis=1), 1.0)
    assert (mixed[:, 3] > np.log(0.4 * 5 / (5 + SMOOTHING))).all()
    assert mix(logits, counts, 0.0) is logits


def test_rows_count_their_own_notes() -> None:
    vocab = Vocab()
    rows = PaletteRows.of_seed(np.array([[0, 60, 10], [24, 64, 10]]), np.ones(3) * 0.5, vocab, 2)
    rows.push(np.array([[24, 67, 12], [24, 40, 12]]), np.array([True, False]))
    assert rows.counts[1][0, 67] == 1 and rows.counts[1][1, 40] == 0
    assert rows.counts[1][1, 60] == 1 and rows.counts[2][0, 12] == 1


def test_a_foreign_clip_continues_in_its_own_palette(network) -> None:
    seed = arpeggio(4)
    pitches = {n.pitch for n in seed.notes}
    params = GenerationParams(bars=4, variations=4, rng_seed=3, memory=0.5)
    shares = {}
    for palette in (False, True):
        model = with_palette(network, palette)
        notes = [n for v in generate(model, seed, params).variations for n in v.clip.notes]
        shares[palette] = np.mean([n.pitch in pitches for n in notes])
    assert shares[False] < 0.2 < 0.6 < shares[True]  # an untrained network: all over
    # memory 0 leaves the clip out: the palette too, as the likelihood at strength 0 does
    off = replace(params, memory=0.0)
    plain = generate(with_palette(network, False), seed, off).variations
    assert [v.clip for v in generate(with_palette(network, True), seed, off).variations] == [
        v.clip for v in plain
    ]


def test_a_clip_asked_again_keeps_its_weights_until_the_network_changes(
    network, monkeypatch
) -> None:
    # the next takes of a clip: its palette weights are fitted once per set of weights (other
    # clips asked between), and play what fitting them afresh plays; new weights (a tuning)
    # fit them again, as a model that never read the clip does
    import segue.model.generate as generation

    fits: list[int] = []
    fit = generation.seed_weights
    monkeypatch.setattr(generation, "seed_weights", lambda *a: fits.append(1) or fit(*a))
    model = with_palette(network, True)
    params = GenerationParams(bars=2, variations=2, rng_seed=3, memory=0.5)
    seeds = [arpeggio(4), arpeggio(2), arpeggio(4)]

    def takes(model: SegueLSTM, seed: Clip) -> list[Clip]:
        return [v.clip for v in generate(model, seed, params).variations]

    asked = [takes(model, seed) for seed in seeds]
    assert len(fits) == 2 and asked[0] == asked[2]
    assert asked[0] == takes(with_palette(network, True), seeds[0])  # fitted afresh: 3
    with torch.no_grad():
        next(model.parameters()).add_(0.5)
    tuned = takes(model, seeds[0])
    assert len(fits) == 4 and tuned == takes(with_palette(model, True), seeds[0])
    assert tuned != asked[0]


def test_the_palettes_pass_over_a_new_clip_runs_no_velocity_head(network) -> None:
    # the palette's weights read the offset, pitch and duration the network gave the seed's
    # own notes; the velocity head, run over all of them, was thrown away (about 1 ms a clip)
    from segue.model.lstm_fused import _Head, fused

    model = with_palette(network, True)
    params = GenerationParams(bars=2, variations=2, rng_seed=3, memory=0.5)
    seed = arpeggio(4)  # 32 notes
    expected = [v.clip for v in generate(model, seed, params).variations]
    heads = fused(model).heads
    rows: list[int] = []
    velocity = heads[3]
    heads[3] = _Head(lambda pre: rows.append(len(pre)) or velocity(pre))
    seed = replace(seed, notes=tuple(replace(n, velocity=70) for n in seed.notes))
    asked = generate(model, seed, params)  # a new clip: its palette fitted afresh
    assert rows and max(rows) <= params.variations  # the steps' rows alone
    assert asked.variations and len(rows) < 2 * sum(len(v.clip) for v in asked.variations)
    heads[3] = velocity
    assert [v.clip for v in generate(model, arpeggio(4), params).variations] == expected


def test_the_likelihood_of_a_foreign_loop_falls_with_its_palette(network) -> None:
    windows = windows_of(clip_rows(arpeggio(8)), TimeSignature())
    plain = continuation_losses(with_palette(network, False), windows)
    mixed = continuation_losses(with_palette(network, True), windows)
    assert np.concatenate(mixed)[:, :3].sum() < 0.5 * np.concatenate(plain)[:, :3].sum()
    assert all(len(a) == len(b) for a, b in zip(plain, mixed, strict=True))


def with_palette(network: SegueLSTM, palette: bool) -> SegueLSTM:
    """A copy of ``network`` with or without a palette."""
    clone = SegueLSTM(network.config)
    clone.load_state_dict(network.state_dict())
    clone.config = replace(network.config, palette=palette)
    return clone.eval()
