"""The settings of a training run: stored and read back, and checked."""

from __future__ import annotations

import pytest

from segue.errors import SegueError
from segue.model.training.config import TrainConfig
from segue.model.vocab import Vocab


def test_settings_survive_their_dict_and_older_runs_train_the_lstm() -> None:
    config = TrainConfig(hidden=48, transpose=(-2, 3), velocity_shift=(-8, 8), rng_seed=5)
    stored = config.to_dict()
    assert stored["transpose"] == [-2, 3] and stored["architecture"] == "lstm"
    assert TrainConfig.from_dict({**stored, "no longer a setting": 1}) == config
    stored.pop("architecture")  # a run from before there was a choice
    assert TrainConfig.from_dict(stored).architecture == "lstm"
    stored["seed"] = stored.pop("rng_seed")  # a run from before the random seed was rng_seed
    assert TrainConfig.from_dict(stored).rng_seed == 5


def test_the_model_config_has_the_runs_architecture_and_sizes() -> None:
    vocab = Vocab(ticks_per_beat=24)
    model = TrainConfig(
        hidden=48, embed=12, layers=3, dropout=0.2, chained=False, bar_position=False
    ).model_config(vocab)
    assert (model.vocab, model.hidden, model.embed, model.layers, model.dropout) == (
        vocab,
        48,
        12,
        3,
        0.2,
    )
    assert (model.chained, model.bar_position, model.architecture) == (False, False, "lstm")


def test_a_macs_gpu_and_one_gpu_of_several_are_devices() -> None:
    assert TrainConfig(device="mps").device == "mps"
    assert TrainConfig(device="cuda:1").device == "cuda:1"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"architecture": "mamba"}, "unknown architecture 'mamba'; this segue knows lstm"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"velocity_shift": (10, -10)}, "velocity shift must be LOW HIGH"),
        ({"rng_seed": -1}, "rng seed must be a whole number"),
        ({"device": "metal"}, "device must be auto, cpu, cuda, cuda:N or mps, got 'metal'"),
    ],
)
def test_bad_settings_are_one_clear_line(settings: dict, message: str) -> None:
    with pytest.raises(SegueError, match=message):
        TrainConfig(**settings)
