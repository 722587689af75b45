"""What ``segue eval`` asks of an evaluation: its settings, read from the command's options
(:func:`eval_settings`), and the models it measures, found by name or path
(:func:`evaluated_models`), each checked in one line before a run that may take an hour."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from segue.errors import SegueError
from segue.eval_outputs import pitch_only_setting

if TYPE_CHECKING:
    from segue.model.evaluation.settings import EvalSettings

NamedModel = tuple[str, Path]
"""A model as the report names it, and its checkpoint."""


def eval_settings(
    *,
    temperatures: str,
    recommended_temperature: float,
    samples: int,
    seed_bars: float,
    max_pieces: int | None,
    tolerance: float,
    spread: float,
    ngram_order: int | None,
    no_ngram: bool,
    pitch_only: str | None,
    pitch_only_minutes: float,
    pitch_only_epochs: int,
    device: str,
    examples: int,
    no_memory_ablation: bool,
    no_repeat: bool,
    threads: int,
    **sampling: Any,
) -> EvalSettings:
    """The run's settings of ``segue eval``'s options, validated (a SegueError names the
    bad one; ``--temperatures`` is read first); ``sampling``: the generation settings it
    shares with the table (top_p, bars, rng_seed, memory)."""
    from segue.model.evaluation.settings import EvalSettings, parse_temperatures

    return EvalSettings(
        seed_bars=seed_bars,
        samples=samples,
        temperatures=parse_temperatures(temperatures),
        recommended_temperature=recommended_temperature,
        max_pieces=max_pieces,
        tolerance=tolerance,
        spread=spread,
        ngram=not no_ngram,
        ngram_order=ngram_order,
        pitch_only=pitch_only_setting(pitch_only),
        pitch_only_seconds=pitch_only_minutes * 60,
        pitch_only_epochs=pitch_only_epochs,
        device=device,
        examples=examples,
        threads=threads,
        memory_ablation=not no_memory_ablation,
        repeat=not no_repeat,
        **sampling,
    ).validated()


def evaluated_models(
    checkpoint: str, baselines: tuple[str, ...], models_dir: Path | None
) -> tuple[NamedModel, list[NamedModel]]:
    """The model evaluated, named as the report names it (:func:`report_label`), and each
    ``--baseline NAME=CHECKPOINT``, each read, then found, in turn: the first bad one is
    said."""
    from segue.model.registry import find_model

    main_path = find_model(checkpoint, models_dir, allow_path=True)
    others = [
        (name, find_model(where, models_dir, allow_path=True))
        for name, where in map(named_checkpoint, baselines)
    ]
    return (report_label(checkpoint, main_path), main_path), others


def named_checkpoint(text: str) -> tuple[str, str]:
    """``--baseline NAME=CHECKPOINT``'s name and checkpoint, stripped."""
    name, sep, where = text.partition("=")
    if not sep or not name.strip() or not where.strip():
        raise SegueError(f"--baseline takes NAME=CHECKPOINT, got {text!r}")
    return name.strip(), where.strip()


def report_label(name: str, path: Path) -> str:
    """What a model is called in the report: its name, or its run folder's."""
    if path.stem in ("best", "last") and ("/" in name or name.endswith(".pt")):
        return path.parent.name
    return Path(name).stem if name.endswith(".pt") else Path(name).name
