"""Checkpoints: what they keep, what older ones lacked, and damaged files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from segue.model.architecture import ModelConfig
from segue.model.checkpoint import (
    CheckpointError,
    load_checkpoint,
    rewrite_checkpoint,
    save_checkpoint,
)
from segue.model.lstm import SegueLSTM
from segue.model.memory import ORDERS

STRONG = (0.99,) * len(ORDERS)


@pytest.fixture(scope="module")
def untrained() -> SegueLSTM:
    torch.manual_seed(0)
    return SegueLSTM(ModelConfig(hidden=32, embed=8, layers=1)).eval()


@pytest.fixture
def saved(untrained: SegueLSTM, tmp_path: Path) -> Path:
    return save_checkpoint(tmp_path / "good.pt", untrained, {"summary": "test"})


def test_memory_survives_a_checkpoint_and_old_checkpoints_have_none(
    untrained, tmp_path: Path, written_before
) -> None:
    path = save_checkpoint(tmp_path / "plain.pt", untrained)
    assert load_checkpoint(written_before(path, "memory")).config.memory == ()
    out = rewrite_checkpoint(
        path, tmp_path / "with.pt", config={"memory": list(STRONG)}, info={"memory": {"notes": 3}}
    )
    loaded = load_checkpoint(out)
    assert loaded.config.memory == STRONG and loaded.info["memory"] == {"notes": 3}
    assert torch.equal(loaded.model.lstm.weight_hh_l0, untrained.lstm.weight_hh_l0)
    rewrite_checkpoint(out, tmp_path / "bad.pt", config={"memory": [0.5, 2.0]})
    with pytest.raises(CheckpointError, match="memory needs"):
        load_checkpoint(tmp_path / "bad.pt")


def test_the_weight_survives_a_checkpoint_and_old_checkpoints_have_none(
    untrained, tmp_path: Path, written_before
) -> None:
    path = save_checkpoint(tmp_path / "plain.pt", untrained)
    assert (
        load_checkpoint(written_before(path, "pitch_class_weight")).config.pitch_class_weight == 0.0
    )
    out = rewrite_checkpoint(path, tmp_path / "with.pt", config={"pitch_class_weight": 0.25})
    assert load_checkpoint(out).config.pitch_class_weight == 0.25
    rewrite_checkpoint(path, tmp_path / "bad.pt", config={"pitch_class_weight": -1})
    with pytest.raises(CheckpointError, match="pitch_class_weight must be from 0"):
        load_checkpoint(tmp_path / "bad.pt")


def test_checkpoints_from_before_the_choice_of_architecture_load_as_the_lstm(
    untrained, saved: Path, written_before
) -> None:
    assert read_config(saved)["architecture"] == "lstm"
    loaded = load_checkpoint(written_before(saved, "architecture"))
    assert type(loaded.model) is SegueLSTM and loaded.config.architecture == "lstm"
    assert torch.equal(loaded.model.lstm.weight_hh_l0, untrained.lstm.weight_hh_l0)


def test_an_unknown_architecture_is_a_one_line_error(saved: Path, tmp_path: Path) -> None:
    bad = rewrite_checkpoint(saved, tmp_path / "bad.pt", config={"architecture": "mamba"})
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(bad)
    assert str(caught.value) == f"{bad}: unknown architecture 'mamba'; this segue knows lstm"


def read_config(path: Path) -> dict:
    return torch.load(path, weights_only=True)["config"]


def damage(kind: str, good: Path, bad: Path) -> None:
    if kind == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "random bytes":
        bad.write_bytes(np.random.default_rng(0).bytes(4096))
    elif kind == "text":
        bad.write_text("hello, I am not a checkpoint\n", encoding="utf-8")
    elif kind == "other torch file":
        torch.save({"weights": torch.zeros(3)}, bad)
    elif kind == "a tensor":
        torch.save(torch.zeros(3), bad)
    elif kind == "python objects":
        import collections

        torch.save({"x": collections.deque([1])}, bad)
    else:
        payload = torch.load(good, weights_only=True)
        if kind == "wrong version":
            payload["version"] = 99
        elif kind == "missing weights":
            del payload["state_dict"][next(iter(payload["state_dict"]))]
        elif kind == "info not a table":
            payload["info"] = ["a", "b"]
        elif kind == "nan weights":  # a diverged training: an IndexError in generation once
            weights = payload["state_dict"]
            name = next(k for k, v in weights.items() if v.is_floating_point())
            weights[name] = torch.full_like(weights[name], float("nan"))
        torch.save(payload, bad)


DAMAGE = {
    "truncated": "truncated",
    "empty": "truncated",
    "random bytes": "another kind of file)",  # and no words of torch's after it
    "text": "another kind of file)",
    "other torch file": "not a segue checkpoint",
    "a tensor": "not a segue checkpoint",
    "python objects": "Python objects",
    "wrong version": "version 99",
    "missing weights": "do not match",
    "info not a table": "information is damaged",
    "nan weights": "not numbers (nan or inf)",
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_checkpoints_give_a_one_line_error(saved, tmp_path, kind: str) -> None:
    bad = tmp_path / "bad.pt"
    damage(kind, saved, bad)
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(bad)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(bad))
    assert DAMAGE[kind] in message
    assert len(message) < 300


def test_a_checkpoint_that_cannot_be_written_is_an_os_error_naming_it(
    tmp_path, monkeypatch
) -> None:
    """PyTorch's writer raises RuntimeError on a full disk or a folder without permission:
    a traceback after a whole tuning (helper-50). It is said as the OSError it is."""
    import errno

    from segue.model import checkpoint

    said = {"text": "[enforce fail at inline_container.cc:672] . unexpected pos 66 vs 60"}

    def failing(payload, tmp) -> None:
        raise RuntimeError(said["text"])

    monkeypatch.setattr(checkpoint.torch, "save", failing)
    network = SegueLSTM(ModelConfig(hidden=8, embed=4, layers=1))
    out = tmp_path / "mine.pt"
    with pytest.raises(OSError) as info:
        checkpoint.save_checkpoint(out, network)
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(out)
    assert not list(tmp_path.iterdir())  # no temporary file left
    said["text"] = "[enforce fail] . open file failed with strerror: Permission denied"
    with pytest.raises(PermissionError):
        checkpoint.save_checkpoint(out, network)


def test_weights_that_do_not_fit_their_settings_name_the_model_and_the_way_out(
    saved, tmp_path, monkeypatch
) -> None:
    """A model file edited or damaged so that its weights do not fit its settings gave
    PyTorch's account ("Error(s) in loading state_dict ... size mismatch ... copying a param
    with shape ..."), with no word of which model or what to do."""
    from segue.home import user_models_dir
    from segue.model.checkpoint import fitting_weights, read_checkpoint

    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "home"))
    payload = torch.load(saved, weights_only=True)
    payload["config"]["hidden"] //= 2  # the settings edited, the weights as they were
    bad = user_models_dir() / "bass.pt"
    bad.parent.mkdir(parents=True)
    torch.save(payload, bad)
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(bad)
    said = str(caught.value)
    assert "\n" not in said and len(said) < 300, said
    assert "the weights of model 'bass' do not match its settings" in said
    assert "a damaged or edited file; remove it (`segue models remove bass`)" in said
    assert "size mismatch" not in said and "copying a param" not in said
    assert str(fitting_weights(read_checkpoint(bad), bad)) == said  # as a listing says it
    assert fitting_weights(read_checkpoint(saved), saved) is None


def test_transpositions_survive_a_checkpoint_and_old_checkpoints_have_none(
    untrained, tmp_path: Path, written_before
) -> None:
    """A tuned model that hears the song's key keeps its moves (``segue.model.transpositions``);
    a checkpoint written before them loads as the network alone; moves without 0 are refused."""
    path = save_checkpoint(tmp_path / "plain.pt", untrained)
    assert load_checkpoint(written_before(path, "transpositions")).config.transpositions == ()
    out = rewrite_checkpoint(path, tmp_path / "with.pt", config={"transpositions": [-1, 0, 1]})
    assert load_checkpoint(out).config.transpositions == (-1, 0, 1)
    rewrite_checkpoint(path, tmp_path / "bad.pt", config={"transpositions": [1, 2]})
    with pytest.raises(CheckpointError, match="transpositions"):
        load_checkpoint(tmp_path / "bad.pt")
