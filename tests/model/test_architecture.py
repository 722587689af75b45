"""The seam for networks: a second architecture, registered from outside segue's code,
trains, saves, scores and generates through segue's own functions; and the generic
stepper agrees with the LSTM's fused one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from network_steps import random_steps
from tiny_training import TINY, evaluate, quiet
from torch import Tensor, nn

from segue.model.architecture import (
    ModelConfig,
    ModuleStepper,
    Network,
    per_weights,
    weights_version,
)
from segue.model.architectures import ARCHITECTURES
from segue.model.bundle import model_card
from segue.model.checkpoint import load_checkpoint
from segue.model.generate import generate
from segue.model.keys import Key
from segue.model.likelihood import memory_losses, note_log_probs
from segue.model.lstm import SegueLSTM
from segue.model.lstm_fused import FusedStep
from segue.model.memory import ORDERS
from segue.model.settings import GenerationParams
from segue.model.training.batches import make_batch, plan_epoch
from segue.model.training.loop import train
from segue.model.training.run_folder import BEST
from segue.notes import Clip, Note


class TinyGRU(Network):
    """A network as a contributor would add one: a GRU, its heads told the chosen fields."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__(config)
        v, e, h = config.vocab, config.embed, config.hidden
        self.inputs = nn.ModuleList(
            [nn.Embedding(n + 1, e) for n in (v.n_offset, v.n_pitch, v.n_duration, v.n_velocity)]
        )
        self.position = nn.Embedding(v.n_position, e)
        self.gru = nn.GRU(5 * e, h, config.layers, batch_first=True)
        self.offset = nn.Linear(h, v.n_offset)
        self.told_offset = nn.Embedding(v.n_offset, h)
        self.told_position = nn.Embedding(v.n_position, h)
        self.pitch = nn.Linear(h, v.n_pitch)
        self.told_pitch = nn.Embedding(v.n_pitch, h)
        self.told_loudness = nn.Embedding(v.n_velocity + 1, h)
        self.duration = nn.Linear(h, v.n_duration)
        self.velocity = nn.Linear(h, v.n_velocity)

    def encode(self, steps: Tensor, state: Any = None) -> tuple[Tensor, Any]:
        parts = [embed(steps[..., i]) for i, embed in enumerate(self.inputs)]
        return self.gru(torch.cat([*parts, self.position(steps[..., 4])], dim=-1), state)

    def offset_logits(self, h: Tensor) -> Tensor:
        return self.offset(h)

    def after_offset(self, h: Tensor, offset: Tensor, position: Tensor) -> Tensor:
        return h + self.told_offset(offset) + self.told_position(position)

    def pitch_logits(self, ctx: Tensor) -> Tensor:
        return self.pitch(ctx)

    def duration_velocity_logits(
        self, ctx: Tensor, pitch: Tensor, previous_velocity: Tensor
    ) -> tuple[Tensor, Tensor]:
        ctx = ctx + self.told_pitch(pitch) + self.told_loudness(previous_velocity)
        return self.duration(ctx), self.velocity(ctx)


@pytest.fixture
def gru_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """TinyGRU as the registry's "gru", for this test only: the one line a new network adds."""
    monkeypatch.setitem(ARCHITECTURES, "gru", TinyGRU)


def scale_seed() -> Clip:
    return Clip(tuple(Note(p, i * 0.5, 0.5, 90) for i, p in enumerate([60, 62, 64, 65, 67] * 3)))


def test_a_second_architecture_trains_saves_scores_and_generates(
    gru_registered, dataset_path: Path, encoded, tmp_path: Path
) -> None:
    train_data, valid = encoded
    config = replace(TINY, architecture="gru", epochs=1, steps_per_epoch=3)
    result = train(dataset_path, tmp_path / "gru", config, progress=False, log=quiet)
    assert type(result.model) is TinyGRU and result.status == "completed"
    assert result.history[0]["valid"]["total"] > 0
    # the checkpoint builds the same network with the same weights
    loaded = load_checkpoint(result.run_dir / BEST)
    assert type(loaded.model) is TinyGRU and loaded.config.architecture == "gru"
    assert "GRU 1 x 32, embeddings 8" in model_card("gru", "a test", loaded.info, 1000)
    batch = make_batch(train_data, plan_epoch(train_data, 32, 4, rng_seed=0, epoch=0)[0], 32)
    inputs, targets, _ = batch.tensors()
    with torch.no_grad():
        a, b = result.model(inputs, targets), loaded.model(inputs, targets)
    assert all(torch.equal(a[name], b[name]) for name in a)
    # likelihood: training fitted its clip memory, and note by note agrees with the loss
    assert len(loaded.config.memory) == len(ORDERS)
    per_note = memory_losses(note_log_probs(loaded.model, valid, batch_notes=500), [], ())
    whole = evaluate(loaded.model, valid, window=int(valid.lengths.max()))
    assert whole is not None
    for name, value in whole.items():
        assert per_note[name] == pytest.approx(value, rel=1e-4, abs=1e-6)
    # generation, through the generic stepper, with the memory and the key lock
    params = GenerationParams(notes=16, variations=3, key="C major", rng_seed=4)
    first = generate(loaded.model, scale_seed(), params)
    again = generate(loaded.model, scale_seed(), params)
    assert [v.clip for v in first.variations] == [v.clip for v in again.variations]
    allowed = Key(0, "major").pitch_classes()
    for variation in first.variations:
        assert len(variation.clip.notes) == 16
        assert all(n.pitch % 12 in allowed for n in variation.clip.notes)


def test_the_generic_stepper_agrees_with_the_lstms_fused_step() -> None:
    torch.manual_seed(3)
    config = ModelConfig(hidden=48, embed=16, layers=2)
    model = SegueLSTM(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)  # untrained given_* tables are tiny: liven them
    fast, generic = FusedStep(model, half=False), ModuleStepper(model)
    rng = np.random.default_rng(0)

    def fields(rows: int) -> np.ndarray:
        return random_steps(config.vocab, rows, rng)

    seed = fields(9)
    with torch.inference_mode():
        h_fast, s_fast = fast.start(seed, 3)
        h_generic, s_generic = generic.start(seed, 3)
        for _ in range(4):
            torch.testing.assert_close(h_fast, h_generic, atol=1e-5, rtol=0)
            chosen = fields(3)
            pre_fast, pre_generic = fast.begin(h_fast), generic.begin(h_generic)
            np.testing.assert_allclose(
                fast.offset_logits(pre_fast), generic.offset_logits(pre_generic), atol=1e-5, rtol=0
            )
            ctx_fast = fast.after_offset(pre_fast, chosen[:, 0], chosen[:, 4])
            ctx_generic = generic.after_offset(pre_generic, chosen[:, 0], chosen[:, 4])
            np.testing.assert_allclose(
                fast.pitch_logits(ctx_fast), generic.pitch_logits(ctx_generic), atol=1e-5, rtol=0
            )
            for a, b in zip(
                fast.duration_velocity_logits(ctx_fast, chosen[:, 1], chosen[:, 3]),
                generic.duration_velocity_logits(ctx_generic, chosen[:, 1], chosen[:, 3]),
                strict=True,
            ):
                np.testing.assert_allclose(a, b, atol=1e-5, rtol=0)
            for stepper, ctx in ((fast, ctx_fast), (generic, ctx_generic)):  # duration alone
                np.testing.assert_array_equal(
                    stepper.duration_logits(ctx, chosen[:, 1], chosen[:, 3]),
                    stepper.duration_velocity_logits(ctx, chosen[:, 1], chosen[:, 3])[0],
                )
            h_fast, s_fast = fast.step(chosen, s_fast)
            h_generic, s_generic = generic.step(chosen, s_generic)


def test_model_config_keeps_its_architecture_and_defaults_to_the_lstm() -> None:
    config = ModelConfig(hidden=16, architecture="gru", memory=(0.5,) * len(ORDERS))
    assert ModelConfig.from_dict(config.to_dict()) == config
    old = {k: v for k, v in ModelConfig().to_dict().items() if k != "architecture"}
    assert ModelConfig.from_dict(old).architecture == "lstm"


def test_readings_are_kept_for_the_latest_clips_and_a_copy_reads_afresh() -> None:
    import copy

    from segue.model.architecture import Readings
    from segue.model.array_keys import array_key

    readings, read = Readings(size=2), []
    clips = [np.array([[0, 60]]), np.array([[0, 62]]), np.array([[0, 64]])]
    for clip in [clips[0], clips[1], clips[0], clips[2], clips[1], clips[0]]:
        key = array_key(clip)
        assert readings(key, lambda c=clip: read.append(c) or int(c[0, 1])) == clip[0, 1]
    # 60, 62 read; 60 kept; 64 read (62 let go); 62 read again (60 let go); 60 read again
    assert [int(c[0, 1]) for c in read] == [60, 62, 64, 62, 60]
    assert array_key(clips[0]) != array_key(clips[0].astype(np.int32))  # its dtype counts
    assert len(readings) == 2 and len(copy.deepcopy(readings)) == 0


def test_weights_version_reads_every_parameter_as_parameters_reads_them(monkeypatch) -> None:
    # each parameter's identity and version, in parameters()' order, read without it (a
    # third of the time); a parameter shared by two modules counts twice
    for model in (
        SegueLSTM(ModelConfig(hidden=16, embed=8, layers=2)),
        TinyGRU(ModelConfig(hidden=16, embed=8, layers=2)),
    ):
        read = tuple((id(p), p._version) for p in model.parameters())
        monkeypatch.setattr(model, "parameters", lambda *a, **k: pytest.fail("parameters()"))
        assert weights_version(model) == read
    shared = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))
    shared[1].weight = shared[0].weight
    assert list(dict.fromkeys(weights_version(shared))) == [
        (id(p), p._version) for p in shared.parameters()
    ]


def test_per_weights_builds_again_after_every_way_weights_change() -> None:
    import copy

    torch.manual_seed(0)
    model = SegueLSTM(ModelConfig(hidden=16, embed=8, layers=1)).eval()
    built: list[int] = []

    def kept(model: nn.Module) -> int:
        return per_weights(model, "_test_slot", lambda: built.append(1) or len(built))

    assert kept(model) == kept(model) == 1  # built once while the weights stay

    def optimiser_step(m: SegueLSTM) -> None:
        m.duration_head[-1].bias.grad = torch.ones_like(m.duration_head[-1].bias)
        torch.optim.SGD([m.duration_head[-1].bias], lr=0.1).step()

    def replaced_parameter(m: SegueLSTM) -> None:
        m.velocity_head[-1].weight = nn.Parameter(m.velocity_head[-1].weight.detach().clone())

    def replaced_module(m: SegueLSTM) -> None:
        m.pitch_head = copy.deepcopy(m.pitch_head)

    def loaded(m: SegueLSTM) -> None:
        m.load_state_dict(copy.deepcopy(m.state_dict()))  # copied in place, the same values

    def in_lstm(m: SegueLSTM) -> None:
        with torch.no_grad():
            m.lstm.weight_hh_l0[0, 0] += 1.0

    for change in (optimiser_step, replaced_parameter, replaced_module, loaded, in_lstm):
        before = len(built)
        change(model)
        assert kept(model) == before + 1 == kept(model), change.__name__
    twin = copy.deepcopy(model)  # a tuning's copy carries the cache, not the weights
    assert kept(twin) == len(built) and kept(model) == len(built) - 1
