"""segue's LSTM: its state carries across calls, its heads, and its stepper."""

from __future__ import annotations

import pytest
import torch

from segue.model.architecture import ModelConfig
from segue.model.lstm import SegueLSTM
from segue.model.lstm_fused import FusedStep, fused


@pytest.fixture(scope="module")
def model() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=64, embed=16, layers=2)).eval()


def test_encoding_note_by_note_carries_the_state_as_encoding_the_whole(model) -> None:
    steps = torch.randint(0, 30, (3, 4, 5))
    state = (torch.randn(2, 3, 64), torch.randn(2, 3, 64))
    with torch.inference_mode():
        h_seq, (h1, c1) = model.encode(steps, state)
        carried = state
        for t in range(steps.shape[1]):
            h, carried = model.encode(steps[:, t : t + 1], carried)
            assert torch.allclose(h_seq[:, t], h[:, 0], atol=1e-6)
    h2, c2 = carried
    assert torch.allclose(c1, c2, atol=1e-6) and torch.allclose(h1, h2, atol=1e-6)


@pytest.mark.parametrize("ablation", [{}, {"chained": False}, {"bar_position": False}])
def test_forward_gives_logits_for_every_field_of_the_next_note(ablation) -> None:
    config = ModelConfig(hidden=32, embed=8, layers=1, **ablation)
    net = SegueLSTM(config)
    v = config.vocab
    steps = torch.randint(0, 30, (2, 6, 5))
    logits = net(steps, steps)
    assert {k: tuple(t.shape) for k, t in logits.items()} == {
        "offset": (2, 6, v.n_offset),
        "pitch": (2, 6, v.n_pitch),
        "duration": (2, 6, v.n_duration),
        "velocity": (2, 6, v.n_velocity),
    }
    told = [net.given_offset, net.given_position, net.given_pitch, net.given_loudness]
    if ablation.get("chained") is False:
        assert told == [None] * 4  # the predecessor projects' independent heads
    assert (net.in_position is None) == (ablation.get("bar_position") is False)


def test_the_stepper_is_the_fused_step_built_once(model) -> None:
    stepper = model.stepper()
    assert isinstance(stepper, FusedStep)
    assert model.stepper() is stepper is fused(model)
