"""The LSTM's fused generation step does the network's own maths, for every model shape."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from segue.model.architecture import ModelConfig
from segue.model.lstm import SegueLSTM
from segue.model.lstm_fused import FusedStep, _fbgemm_available, fused

SHAPES = {
    "chained": ModelConfig(hidden=48, embed=16, layers=2),
    "independent heads": ModelConfig(hidden=48, embed=16, layers=2, chained=False),
    "no bar position": ModelConfig(hidden=48, embed=16, layers=1, bar_position=False),
    "three layers": ModelConfig(hidden=32, embed=8, layers=3),
}
HALF = [False] + ([True] if _fbgemm_available() else [])


def _model(config: ModelConfig, half_weights: bool) -> SegueLSTM:
    torch.manual_seed(3)
    model = SegueLSTM(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)  # untrained given_* tables are tiny: liven them
            if half_weights:
                p.copy_(p.half().float())  # what the fp16 kernels read, as bundled models store
    return model


def _random_fields(config: ModelConfig, batch: int, rng: np.random.Generator) -> np.ndarray:
    v = config.vocab
    return np.stack(
        [
            rng.integers(0, v.n_offset + 1, batch),
            rng.integers(0, 129, batch),
            rng.integers(0, v.n_duration + 1, batch),
            rng.integers(0, 33, batch),
            rng.integers(0, v.n_position, batch),
        ],
        axis=1,
    )


@pytest.mark.parametrize("half", HALF, ids=lambda h: "fp16 kernels" if h else "fp32")
@pytest.mark.parametrize("shape", list(SHAPES))
def test_fused_step_and_heads_match_the_network(shape: str, half: bool) -> None:
    config = SHAPES[shape]
    model = _model(config, half_weights=half)
    net = FusedStep(model, half=half)
    rng = np.random.default_rng(0)
    batch, tol = 5, 2e-4 if half else 1e-5
    fields = _random_fields(config, batch, rng)
    steps = torch.from_numpy(fields)
    state = (
        torch.randn(config.layers, batch, config.hidden) * 0.5,
        torch.randn(config.layers, batch, config.hidden),
    )
    with torch.inference_mode():
        h_seq, (hs_ref, cs_ref) = model.encode(steps[:, None], state)
        h_ref = h_seq[:, 0]
        h, carried = net.step(fields, net.state(state))
        torch.testing.assert_close(h, h_ref, atol=tol, rtol=0)
        for layer, (h_l, c_l) in enumerate(carried):
            torch.testing.assert_close(h_l, hs_ref[layer], atol=tol, rtol=0)
            torch.testing.assert_close(c_l, cs_ref[layer], atol=tol, rtol=0)
        # the heads, chained on chosen fields (not those fed in)
        offset = rng.integers(0, config.vocab.n_offset, batch)
        position = rng.integers(0, config.vocab.n_position, batch)
        pitch = rng.integers(0, 128, batch)
        loudness = rng.integers(0, 33, batch)  # 32 = the start-of-piece class
        pre = net.begin(h_ref)
        np.testing.assert_allclose(
            net.offset_logits(pre), model.offset_logits(h_ref).numpy(), atol=tol, rtol=0
        )
        ctx = model.after_offset(h_ref, torch.from_numpy(offset), torch.from_numpy(position))
        later = net.after_offset(pre, offset, position)
        np.testing.assert_allclose(
            net.pitch_logits(later), model.pitch_logits(ctx).numpy(), atol=tol, rtol=0
        )
        dur_ref, vel_ref = model.duration_velocity_logits(
            ctx, torch.from_numpy(pitch), torch.from_numpy(loudness)
        )
        dur, vel = net.duration_velocity_logits(later, pitch, loudness)
        np.testing.assert_allclose(dur, dur_ref.numpy(), atol=tol, rtol=0)
        np.testing.assert_allclose(vel, vel_ref.numpy(), atol=tol, rtol=0)
        # the duration alone (the palette's pass over a seed): the same bits, no velocity head
        np.testing.assert_array_equal(net.duration_logits(later, pitch, loudness), dur)


def test_fused_is_cached_until_the_weights_change() -> None:
    model = _model(SHAPES["chained"], half_weights=True)
    first = fused(model)
    assert fused(model) is first
    with torch.no_grad():
        model.pitch_head[-1].bias[60] += 5.0  # an optimiser step changes weights in place
    rebuilt = fused(model)
    assert rebuilt is not first
    h = torch.randn(2, 48)
    with torch.inference_mode():
        later = rebuilt.after_offset(rebuilt.begin(h), np.array([3, 4]), np.array([0, 6]))
        ctx = model.after_offset(h, torch.tensor([3, 4]), torch.tensor([0, 6]))
        np.testing.assert_allclose(
            rebuilt.pitch_logits(later), model.pitch_logits(ctx).numpy(), atol=2e-4, rtol=0
        )


@pytest.mark.parametrize("shape", list(SHAPES))
def test_start_reads_the_seed_as_the_network_does_for_every_variation(shape: str) -> None:
    config = SHAPES[shape]
    model = _model(config, half_weights=False)
    seed = _random_fields(config, 7, np.random.default_rng(1))
    with torch.inference_mode():
        h_seq, (hs_ref, cs_ref) = model.encode(torch.from_numpy(seed)[None])
        h, carried = FusedStep(model, half=False).start(seed, 3)
    assert h.shape == (3, config.hidden)
    for row in range(3):
        torch.testing.assert_close(h[row], h_seq[0, -1], atol=0, rtol=0)
        for layer, (h_l, c_l) in enumerate(carried):
            torch.testing.assert_close(h_l[row], hs_ref[layer, 0], atol=0, rtol=0)
            torch.testing.assert_close(c_l[row], cs_ref[layer, 0], atol=0, rtol=0)


def test_a_seed_read_again_gives_what_reading_it_afresh_gives() -> None:
    # the next takes of a clip: start reads the seed once, and a seed read before gives, bit
    # for bit, what a stepper that never read it gives (other seeds read between)
    config = SHAPES["chained"]
    model = _model(config, half_weights=False)
    rng = np.random.default_rng(5)
    seeds = [_random_fields(config, n, rng) for n in (7, 7, 12)]
    step = FusedStep(model, half=False)
    reads = []
    encode = step.encode
    step.encode = lambda *a: reads.append(1) or encode(*a)  # type: ignore[method-assign]
    with torch.inference_mode():
        for seed in [*seeds, seeds[0], seeds[2], seeds[0]]:
            outputs: list[torch.Tensor] = []
            h, carried = step.start(seed, 3, outputs)
            fresh: list[torch.Tensor] = []
            h_ref, carried_ref = FusedStep(model, half=False).start(seed, 3, fresh)
            torch.testing.assert_close(h, h_ref, atol=0, rtol=0)
            torch.testing.assert_close(outputs[0], fresh[0], atol=0, rtol=0)
            for (h_l, c_l), (h_r, c_r) in zip(carried, carried_ref, strict=True):
                torch.testing.assert_close(h_l, h_r, atol=0, rtol=0)
                torch.testing.assert_close(c_l, c_r, atol=0, rtol=0)
    assert len(reads) == 3  # each seed once
    with torch.inference_mode():
        before = fused(model)
        before.start(seeds[0], 1)
        with torch.no_grad():  # new weights (a tuning): a new stepper, which reads afresh
            next(model.parameters()).add_(0.1)
        assert fused(model) is not before and len(fused(model).seeds) == 0
