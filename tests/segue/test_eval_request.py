"""segue.eval_request: the settings and the models `segue eval` asks for, read from its
options and checked in one line before a run, on real checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from segue.errors import SegueError
from segue.eval_request import eval_settings, evaluated_models, named_checkpoint, report_label

OPTIONS: dict[str, Any] = dict(
    temperatures="1.2,0",
    recommended_temperature=0.9,
    samples=2,
    seed_bars=2.0,
    max_pieces=None,
    tolerance=0.1,
    spread=1.0,
    ngram_order=None,
    no_ngram=True,
    pitch_only=None,
    pitch_only_minutes=2.0,
    pitch_only_epochs=30,
    device="cpu",
    examples=0,
    no_memory_ablation=True,
    no_repeat=False,
    threads=1,
    top_p=0.9,
    bars=2.0,
    rng_seed=5,
    memory=0.5,
)


def test_the_options_are_the_runs_settings() -> None:
    settings = eval_settings(**OPTIONS)
    assert settings.temperatures == (0.0, 0.9, 1.2)  # the recommended one too, sorted
    assert not settings.ngram and settings.repeat and not settings.memory_ablation
    assert settings.pitch_only == "train" and settings.pitch_only_seconds == 120
    assert (settings.top_p, settings.bars, settings.rng_seed, settings.memory) == (0.9, 2, 5, 0.5)
    assert eval_settings(**{**OPTIONS, "pitch_only": "none"}).pitch_only is None


def test_a_bad_option_is_one_line_temperatures_first() -> None:
    with pytest.raises(SegueError, match="temperatures must be numbers"):
        eval_settings(**{**OPTIONS, "temperatures": "warm", "samples": 99})
    with pytest.raises(SegueError, match="samples must be from 1 to 16, got 99"):
        eval_settings(**{**OPTIONS, "samples": 99})


def test_the_models_are_found_and_named_as_the_report_names_them(models_dir: Path) -> None:
    tiny = models_dir / "tiny.pt"
    evaluated, others = evaluated_models("tiny", (f" old = {tiny} ",), models_dir)
    assert evaluated == ("tiny", tiny)
    assert others == [("old", tiny)]
    with pytest.raises(SegueError, match="--baseline takes NAME=CHECKPOINT"):
        evaluated_models("tiny", ("indep", "x=nosuch"), models_dir)
    with pytest.raises(SegueError, match="no model named 'nosuch'"):  # each in turn
        evaluated_models("tiny", ("x=nosuch", "indep"), models_dir)


def test_a_baseline_is_name_equals_checkpoint_and_a_model_its_name_or_run() -> None:
    assert named_checkpoint(" indep = runs/folk-indep ") == ("indep", "runs/folk-indep")
    assert report_label("runs/folk", Path("runs/folk/best.pt")) == "folk"
    assert report_label("old/mine.pt", Path("old/mine.pt")) == "mine"
