"""The states a clip's takes reached, kept: the same bits as the network's own steps, never
another clip's, another number of takes' or other weights', within their room."""

from __future__ import annotations

import numpy as np
import torch
from network_steps import random_steps

from segue.model.architecture import ModelConfig
from segue.model.known_steps import LOST, KnownStepper, KnownSteps, known_stepper
from segue.model.lstm import SegueLSTM
from segue.model.lstm_fused import FusedStep, LayerStates, _fbgemm_available

CONFIG = ModelConfig(hidden=48, embed=16, layers=2)
HALF = _fbgemm_available()  # the kernels generation runs where this machine has them


def _model() -> SegueLSTM:
    torch.manual_seed(3)
    model = SegueLSTM(CONFIG).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)
            p.copy_(p.half().float())  # as bundled models store their weights
    return model


def _notes(rng: np.random.Generator, steps: int) -> np.ndarray:
    """One take's notes: (steps, 5) fields, as the network reads them."""
    return random_steps(CONFIG.vocab, steps, rng)


def _takes(loop: np.ndarray, turns: list[int], rng: np.random.Generator) -> np.ndarray:
    """(steps, takes, 5): each take the ``loop``'s notes until its turn (a step), then its own."""
    takes = np.repeat(loop[:, None], len(turns), axis=1)
    for take, turn in enumerate(turns):
        takes[turn:, take] = _notes(rng, len(loop) - turn)
    return takes


def _stepped(net: FusedStep | KnownStepper, seed: np.ndarray, takes: np.ndarray) -> list:
    """Every step's output and state, as tensors of their own."""
    with torch.inference_mode():
        h, state = net.start(seed, takes.shape[1])
        out = []
        for fields in takes:
            h, state = net.step(fields, state)
            out.append((h.clone(), [(a.clone(), b.clone()) for a, b in state]))
    return out


def _same_bits(got: list, want: list) -> None:
    assert len(got) == len(want)
    for (h, state), (h_ref, state_ref) in zip(got, want, strict=True):
        torch.testing.assert_close(h, h_ref, atol=0, rtol=0)
        for (a, b), (a_ref, b_ref) in zip(state, state_ref, strict=True):
            torch.testing.assert_close(a, a_ref, atol=0, rtol=0)
            torch.testing.assert_close(b, b_ref, atol=0, rtol=0)


class _Counted(FusedStep):
    """The fused step, counting the steps it computes."""

    computed = 0

    def step(self, fields: np.ndarray, state: LayerStates) -> tuple[torch.Tensor, LayerStates]:
        self.computed += 1
        return super().step(fields, state)


def test_takes_asked_again_take_known_states_with_the_network_s_own_bits() -> None:
    model, rng = _model(), np.random.default_rng(0)
    seed, loop = _notes(rng, 9), np.tile(_notes(rng, 3), (8, 1))  # a gate: one chord again
    net = _Counted(model, half=HALF)
    computed = []
    for turns in ([20, 22, 24, 24], [24, 18, 21, 24], [16, 24, 24, 24]):
        takes = _takes(loop, turns, rng)
        before = net.computed
        got = _stepped(known_stepper(model, net, seed, 4), seed, takes)
        _same_bits(got, _stepped(FusedStep(model, half=HALF), seed, takes))
        computed.append(net.computed - before)
    # asked first, nothing kept; asked again, the states the takes reached together (18
    # steps, and the three on the loop a 19th); the last request: every take repeats the
    # loop for 16 steps, which it finds
    assert computed == [24, 24, 24 - 16]


def test_fp32_steps_take_known_states_with_the_network_s_own_bits_too() -> None:
    # generation keeps states only on the fp16 kernels (known_stepper), which CI checks bit
    # for bit; this says whether this machine's fp32 product is row by row too (an Apple
    # silicon Mac's, where no fp16 kernel is: run it there before turning the tree on)
    model, rng = _model(), np.random.default_rng(3)
    seed, loop = _notes(rng, 9), np.tile(_notes(rng, 3), (8, 1))
    known, net = KnownSteps(CONFIG.layers, CONFIG.hidden), FusedStep(model, half=False)
    for turns in ([20, 22, 24, 24], [24, 18, 21, 24], [16, 24, 24, 24]):
        takes = _takes(loop, turns, rng)
        got = _stepped(KnownStepper(net, known), seed, takes)
        _same_bits(got, _stepped(FusedStep(model, half=False), seed, takes))
    assert len(known) > 0


def test_another_clip_or_number_of_takes_or_weights_finds_no_state_of_this_clip() -> None:
    model, rng = _model(), np.random.default_rng(1)
    seeds, loop = [_notes(rng, 9), _notes(rng, 9)], _notes(rng, 12)
    takes = _takes(loop, [12, 12, 12], rng)
    for seed in seeds:  # the same notes after another seed: that seed's states
        for _ in range(3):
            got = _stepped(known_stepper(model, FusedStep(model, half=HALF), seed, 3), seed, takes)
            _same_bits(got, _stepped(FusedStep(model, half=HALF), seed, takes))
    net = _Counted(model, half=HALF)
    for _ in range(2):  # two takes of the clip: states of their own, kept when asked again
        _stepped(known_stepper(model, net, seeds[0], 2), seeds[0], takes[:, :2])
    assert net.computed == 2 * 12
    with torch.no_grad():  # a tuning's step: its states afresh
        model.pitch_head[-1].bias[60] += 5.0
    net = _Counted(model, half=HALF)
    for _ in range(2):
        _stepped(known_stepper(model, net, seeds[0], 3), seeds[0], takes)
    assert net.computed == 2 * 12


def test_a_full_tree_keeps_no_more_and_its_takes_step_on_as_the_network_does() -> None:
    model, rng = _model(), np.random.default_rng(2)
    seed, loop = _notes(rng, 5), _notes(rng, 10)
    net = FusedStep(model, half=HALF)
    known = KnownSteps(CONFIG.layers, CONFIG.hidden, size=3)
    for turns in ([4, 10, 10], [10, 4, 10], [2, 10, 10], [10, 10, 10]):
        takes = _takes(loop, turns, rng)
        stepper = KnownStepper(net, known)
        got = _stepped(stepper, seed, takes)
        _same_bits(got, _stepped(FusedStep(model, half=HALF), seed, takes))
        assert len(known) == 3
    assert stepper._at == [LOST] * 3  # past the room: nothing after it is known


def test_no_state_is_kept_off_the_fp16_kernels_nor_for_a_clip_asked_once() -> None:
    model, rng = _model(), np.random.default_rng(4)
    seed = _notes(rng, 9)
    fp32 = FusedStep(model, half=False)
    assert [known_stepper(model, fp32, seed, 4) for _ in range(2)] == [fp32, fp32]
    if HALF:
        fp16 = FusedStep(model, half=True)
        first, again = (known_stepper(model, fp16, seed, 4) for _ in range(2))
        assert first is fp16 and isinstance(again, KnownStepper)
