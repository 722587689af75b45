"""Tuning a network within a time budget: the best held-out weights kept, a stop honoured."""

from __future__ import annotations

from dataclasses import replace

import torch
from tuning_material import QUICK, riff

from segue.model.checkpoint import load_checkpoint
from segue.model.training.signals import StopFlag
from segue.model.tuning.fit import Progress, held_out_loss, tune_network
from segue.model.tuning.material import clips_material
from segue.model.tuning.tune import encode


def _data(model, first, count):
    pieces = clips_material([(f"r{i}", riff(i), False) for i in range(first, first + count)], "x")
    return encode(pieces.pieces, model.config.vocab)


def test_tuning_lowers_the_held_out_loss_and_keeps_the_best(models_dir):
    model = load_checkpoint(models_dir / "tiny.pt").model
    train, held = _data(model, 0, 8), _data(model, 8, 2)
    heard: list[Progress] = []
    tuned = tune_network(model, train, held, QUICK, report=heard.append)
    assert tuned.status == "time" and tuned.steps > 0 and heard
    assert tuned.after < tuned.before - 0.5
    assert tuned.after == min(p.best for p in heard)
    assert abs(held_out_loss(tuned.model, held, 32, 8, torch.device("cpu")) - tuned.after) < 1e-4
    assert tuned.seconds < QUICK.seconds + 3
    assert not tuned.model.training
    dropouts = [m.p for m in tuned.model.modules() if isinstance(m, torch.nn.Dropout)]
    assert dropouts and set(dropouts) == {model.config.dropout}  # tuning's own is undone
    original = load_checkpoint(models_dir / "tiny.pt").model.state_dict()
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in original.items())  # a copy


def test_a_stop_keeps_the_weights_it_started_from(models_dir):
    model = load_checkpoint(models_dir / "tiny.pt").model
    stop = StopFlag()
    stop.request()
    tuned = tune_network(model, _data(model, 0, 8), _data(model, 8, 2), QUICK, stop)
    assert tuned.status == "stopped" and tuned.steps == 0 and tuned.after == tuned.before


def test_tuning_stops_early_when_the_held_out_loss_stops_improving(models_dir):
    model = load_checkpoint(models_dir / "tiny.pt").model
    settings = replace(QUICK, seconds=30, lr=0.0, patience=1)
    tuned = tune_network(model, _data(model, 0, 8), _data(model, 8, 2), settings)
    assert tuned.status == "early-stopped" and tuned.seconds < 30
