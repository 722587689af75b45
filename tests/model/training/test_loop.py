"""The training loop on real MIDI: the loss falls, checkpoints, resuming, rng seeds, early
stopping, and the clip memory fitted at the end.

The data and the tiny run ``trained`` are fixtures in tests/conftest.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from tiny_training import PNG, TINY, evaluate, quiet, same_weights

from segue.model.checkpoint import load_checkpoint
from segue.model.likelihood import memory_losses, note_log_probs, recalls, views_of
from segue.model.memory import ORDERS
from segue.model.pitch_classes import GRID
from segue.model.training.batches import make_batch, plan_epoch
from segue.model.training.loop import train
from segue.model.training.losses import field_losses
from segue.model.training.run_folder import BEST, LAST


def test_training_lowers_the_loss(trained, encoded) -> None:
    _, valid = encoded
    untrained = load_checkpoint(trained.run_dir / BEST).model
    torch.manual_seed(0)
    fresh = type(untrained)(untrained.config)
    before = evaluate(fresh, valid, window=32)
    after = evaluate(trained.model, valid, window=32)
    assert after["total"] < before["total"] - 1.0
    history = trained.history
    assert [h["epoch"] for h in history] == [1, 2, 3]
    assert history[-1]["train"]["total"] < history[0]["train"]["total"]
    # the history's valid loss is what evaluate() gives for the saved model
    assert after["total"] == pytest.approx(history[-1]["valid"]["total"], rel=1e-5)
    assert trained.status == "completed" and trained.epochs == 3


def test_checkpoints_load_and_give_the_same_outputs(trained, encoded) -> None:
    train_data, _ = encoded
    loaded = load_checkpoint(trained.run_dir / LAST)
    batch = make_batch(train_data, plan_epoch(train_data, 32, 4, rng_seed=0, epoch=0)[0], 32)
    inputs, targets, mask = batch.tensors()
    with torch.no_grad():
        a, b = trained.model(inputs, targets), loaded.model(inputs, targets)
    for name in a:
        assert torch.equal(a[name], b[name])
    with torch.no_grad():
        losses = field_losses(b, targets, mask)
    assert all(torch.isfinite(v) for v in losses.values())
    for name in ("best.pt", "last.pt"):
        payload = torch.load(trained.run_dir / name, weights_only=True)
        info = payload["info"]
        assert info["dataset"]["path"] and "pieces" in info["dataset"]["summary"]
        assert info["parameters"] == sum(p.numel() for p in loaded.model.parameters())
        assert info["config"]["hidden"] == 32 and info["commands"] == [["test"]]
        assert len(info["history"]) == info["epoch"] and info["seconds"] > 0
    state = torch.load(trained.run_dir / LAST, weights_only=True)["training_state"]
    assert state["epoch"] == 3 and state["rng_seed"] == 7 and state["optimizer"]["state"]
    assert (trained.run_dir / "loss.png").read_bytes().startswith(PNG)


def test_resume_at_an_epoch_boundary_equals_an_uninterrupted_run(dataset_path, tmp_path) -> None:
    whole = train(dataset_path, tmp_path / "whole", TINY, progress=False, log=quiet)
    train(dataset_path, tmp_path / "parts", replace(TINY, epochs=1), progress=False, log=quiet)
    resumed = train(
        dataset_path,
        tmp_path / "parts",
        replace(TINY, epochs=2),
        resume=True,
        progress=False,
        log=quiet,
    )
    assert same_weights(tmp_path / "whole" / "last.pt", tmp_path / "parts" / "last.pt")
    assert resumed.history[-1]["valid"] == whole.history[-1]["valid"]
    assert resumed.history[-1]["train"] == whole.history[-1]["train"]
    # resuming a finished run changes nothing
    again = train(dataset_path, tmp_path / "parts", None, resume=True, progress=False, log=quiet)
    assert again.status == "finished" and again.epochs == 2


def test_an_rng_seed_repeats_a_run_exactly(dataset_path, tmp_path) -> None:
    one = replace(TINY, epochs=1)
    train(dataset_path, tmp_path / "a", one, progress=False, log=quiet)
    train(dataset_path, tmp_path / "b", one, progress=False, log=quiet)
    train(dataset_path, tmp_path / "c", replace(one, rng_seed=8), progress=False, log=quiet)
    assert same_weights(tmp_path / "a" / "last.pt", tmp_path / "b" / "last.pt")
    assert not same_weights(tmp_path / "a" / "last.pt", tmp_path / "c" / "last.pt")


def test_early_stopping_and_ablations(dataset_path, tmp_path) -> None:
    config = replace(
        TINY,
        epochs=30,
        patience=1,
        lr=1.0,
        chained=False,
        bar_position=False,
        steps_per_epoch=2,
        transpose=(0, 0),
    )
    result = train(dataset_path, tmp_path / "run", config, progress=False, log=quiet)
    assert result.status == "early-stopped" and result.epochs < 30
    loaded = load_checkpoint(result.run_dir / BEST)
    assert loaded.config.chained is False and loaded.config.bar_position is False
    assert loaded.info["epoch"] == result.best_epoch


def test_training_measures_how_much_its_own_clips_surprise_it(trained) -> None:
    """`auto` reads this to keep a model to music like its own; without it (only `segue
    memory` measured it) a model trained on chorales took producers' parts too."""
    from segue.model.choice import at_home

    best = load_checkpoint(trained.run_dir / BEST)
    home = best.info["surprise"]
    assert home["split"] == "valid" and home["clips"] > 0 and home["p50"] <= home["p95"]
    assert at_home(best, home["p95"]) and not at_home(best, home["p95"] + 0.01)


def test_training_fits_the_clip_memory_into_best(trained, encoded) -> None:
    best = load_checkpoint(trained.run_dir / BEST)
    assert len(best.config.memory) == len(ORDERS)
    assert all(0 <= w < 1 for w in best.config.memory)
    fit = best.info["memory"]
    assert fit["split"] == "valid" and fit["notes"] == encoded[1].notes
    assert fit["nats_after"] <= fit["nats_before"]  # EM never does worse than no memory
    assert load_checkpoint(trained.run_dir / LAST).config.memory == ()  # last.pt: to resume
    # the pitch-class pull was fitted with the weights, and their loss is the one reported
    pull = best.config.pitch_class_weight
    assert pull in GRID and fit["pitch_class_weight"] == pull
    _, valid = encoded
    log_probs = note_log_probs(best.model, valid)
    losses = memory_losses(log_probs, recalls(valid), best.config.memory, 1.0, pull)
    assert losses["total"] == pytest.approx(fit["nats_without_views"], abs=1e-4)
    # and the memory's views, fitted after it (the tiny model has no loop)
    assert fit["views"] == {k: list(v) for k, v in best.config.memory_views.items()}
    assert fit["views"] and fit["nats_after"] < fit["nats_without_views"]
    views = memory_losses(
        log_probs, recalls(valid), best.config.memory, 1.0, pull, views_of(valid), fit["views"]
    )
    assert views["offset"] + views["pitch"] + views["duration"] + views[
        "velocity"
    ] == pytest.approx(fit["nats_after"], abs=1e-4)


def test_a_busy_computer_trains_on_the_thread_that_takes_steps_fastest(
    dataset_path, tmp_path, monkeypatch
) -> None:
    """A training left to choose its threads took every step on all cores, and on a busy
    2-core computer two threads wait for each other at every step (the melody model: 1,425
    ms a step on two, 95 on one). Here two threads cost a step a tenth of a second more (the
    waiting, made certain): the run takes one slow step on them, then its steps on one."""
    from busy_cores import busy_two_cores

    from segue.model.training import loop

    threads = busy_two_cores(monkeypatch, loop, 0.1)
    said: list[str] = []
    config = replace(TINY, threads=None, epochs=2, steps_per_epoch=15)
    result = train(dataset_path, tmp_path / "run", config, progress=False, log=said.append)
    assert result.status == "completed"
    assert len(threads) == 30 and threads.count(1) >= 26, threads  # a trial or two on all cores
    assert "2 threads, or 1 while it is faster" in said[0], said[0]
