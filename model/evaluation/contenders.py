"""The contenders of an evaluation: segue checkpoints and the baselines, each able to give
its held-out likelihood and its continuations of a case."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from segue.grid import clip_rows
from segue.model.architecture import ModelConfig
from segue.model.baselines.ngram import NGramModel
from segue.model.baselines.pitch_only import PitchOnly
from segue.model.checkpoint import LoadedModel
from segue.model.evaluation.cases import Case
from segue.model.evaluation.settings import EvalSettings
from segue.model.generate import generate
from segue.model.likelihood import (
    memory_losses,
    note_log_probs,
    piece_losses,
    recalls,
    views_of,
)
from segue.model.settings import GenerationParams
from segue.model.training.batches import EncodedPieces
from segue.model.vocab import FIELDS

Continue = Callable[[Case, float, int, int], list[np.ndarray]]
"""(case, temperature, samples, rng seed) -> rows of each continuation, starting at 0."""


@dataclass
class Contender:
    name: str
    kind: str  # "segue" (the model evaluated), "segue ablation", "segue baseline",
    # "n-gram", "pitch-only", "repeat"
    description: str
    path: str | None
    nll: Callable[[EncodedPieces], dict[str, float]] | None  # None: no likelihood (repeat)
    continuations: Continue
    config: ModelConfig | None = None  # a segue checkpoint's


class Baseline(Protocol):
    """What the n-gram and pitch-only baselines both give (:mod:`segue.model.baselines`)."""

    def nll(self, data: EncodedPieces) -> dict[str, float]: ...

    def continuations(
        self,
        seed: np.ndarray,
        seed_ticks: int,
        bar_ticks: int,
        span_ticks: int,
        temperature: float,
        top_p: float,
        samples: int,
        rng_seed: int,
    ) -> list[np.ndarray]: ...


def _segue_description(config: ModelConfig, memory: float) -> str:
    heads = "chained heads" if config.chained else "independent heads"
    bar = "bar position" if config.bar_position else "no bar position"
    if not config.memory:
        recall = "no clip memory"
    elif memory == 0:
        recall = "clip memory off"
    else:
        recall = f"clip memory at strength {memory:g}"
        if config.pitch_class_weight:
            recall += f" (pitch-class pull {config.pitch_class_weight * memory:g})"
        if config.memory_views and not config.loop:
            recall += f", its views of {' and '.join(config.memory_views)}"
    keys = (
        f", the mixture over {len(config.transpositions)} transpositions"
        if config.transpositions
        else ""
    )
    return f"segue LSTM {config.layers}x{config.hidden}, {heads}, {bar}, {recall}{keys}"


def segue_contender(
    name: str,
    kind: str,
    loaded: LoadedModel,
    settings: EvalSettings,
    memory: float | None = None,
) -> Contender:
    """A loaded segue checkpoint: likelihood from the network (and its clip memory, if
    fitted, at strength ``memory``, default the settings'), continuations from
    ``generate``."""
    model = loaded.model
    strength = settings.memory if memory is None else memory
    weights = loaded.config.memory if strength > 0 else ()
    pull = loaded.config.pitch_class_weight if strength > 0 else 0.0
    views = loaded.config.memory_views if strength > 0 and not loaded.config.loop else {}

    def nll(data: EncodedPieces) -> dict[str, float]:
        if loaded.config.transpositions:  # the mixture over them, piece by piece
            losses = piece_losses(model, data, strength)
            flat = np.concatenate(losses) if losses else np.zeros((0, len(FIELDS)))
            means = {f: float(flat[:, i].mean()) for i, f in enumerate(FIELDS)} if len(flat) else {}
            return {**{f: means.get(f, math.nan) for f in FIELDS}, "notes": float(data.notes)}
        log_probs = note_log_probs(model, data)
        memories = recalls(data) if weights or pull or views else []
        seen = views_of(data) if views else None
        means = memory_losses(log_probs, memories, weights, strength, pull, seen, views)
        return {**{f: means.get(f, math.nan) for f in FIELDS}, "notes": float(data.notes)}

    def continuations(
        case: Case, temperature: float, samples: int, rng_seed: int
    ) -> list[np.ndarray]:
        params = GenerationParams(
            temperature=temperature,
            top_p=settings.top_p,
            bars=settings.bars,
            variations=samples,
            rng_seed=rng_seed,
            memory=strength,
        )
        result = generate(model, case.seed_clip(), params, threads=settings.threads)
        return [clip_rows(v.clip) for v in result.variations]

    return Contender(
        name,
        kind,
        _segue_description(loaded.config, strength),
        str(loaded.path),
        nll,
        continuations,
        loaded.config,
    )


def _baseline_continuations(baseline: Baseline, settings: EvalSettings) -> Continue:
    """A baseline's ``continuations`` method as a :data:`Continue`."""

    def continuations(
        case: Case, temperature: float, samples: int, rng_seed: int
    ) -> list[np.ndarray]:
        return baseline.continuations(
            case.seed,
            case.seed_ticks,
            case.bar_ticks,
            case.span_ticks,
            temperature,
            settings.top_p,
            samples,
            rng_seed,
        )

    return continuations


def ngram_contender(model: NGramModel, settings: EvalSettings) -> Contender:
    orders = ", ".join(f"{f} {o}" for f, o in model.orders.items())
    return Contender(
        "n-gram",
        "n-gram",
        f"one Witten-Bell smoothed Markov chain per field (orders: {orders})",
        None,
        model.nll,
        _baseline_continuations(model, settings),
    )


def pitch_only_contender(
    baseline: PitchOnly,
    path: str | None,
    training: dict[str, Any] | None,
    settings: EvalSettings,
) -> Contender:
    config = baseline.model.config
    how = (
        f"trained in the run ({training['epochs']:g} epochs, {training['seconds']:.0f} s, "
        f"stopped by {training['stopped']})"
        if training
        else f"loaded from {path}"
    )
    return Contender(
        "pitch-only",
        "pitch-only",
        f"LSTM {config.layers}x{config.hidden} over pitches alone, {how}; fixed "
        "rhythm from the seed; offset, duration and velocity likelihood from the "
        "training split's unigram distributions",
        path,
        baseline.nll,
        _baseline_continuations(baseline, settings),
    )


REPEAT_BARS = 4
"""The repeat baseline plays the seed's last this many bars (fewer when the seed is shorter)."""


def repeat_rows(case: Case) -> np.ndarray:
    """The seed's last whole bars (at most :data:`REPEAT_BARS`) played again and again over
    the continuation's span, as rows from 0; notes cut at the span's end."""
    bars = max(1, min(REPEAT_BARS, case.seed_ticks // case.bar_ticks))
    loop = bars * case.bar_ticks
    start = case.seed_ticks - loop
    seed = case.seed[case.seed[:, 0] >= start].copy()
    seed[:, 0] -= start
    copies = []
    for begin in range(0, case.span_ticks, loop):
        rows = seed.copy()
        rows[:, 0] += begin
        copies.append(rows[rows[:, 0] < case.span_ticks])
    rows = np.concatenate(copies) if copies else seed[:0]
    rows[:, 2] = np.minimum(rows[:, 2], case.span_ticks - rows[:, 0])
    return rows


def repeat_contender() -> Contender:
    """Repeat the last 4 bars: what a producer's loop would do with no model at all. It has
    no likelihood, and its samples are all the same."""

    def continuations(
        case: Case, temperature: float, samples: int, rng_seed: int
    ) -> list[np.ndarray]:
        rows = repeat_rows(case)
        return [rows.copy() for _ in range(samples)]

    return Contender(
        "repeat",
        "repeat",
        f"the seed's last {REPEAT_BARS} bars played again (no model, no likelihood)",
        None,
        None,
        continuations,
    )
