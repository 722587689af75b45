"""Every contender continues every case at every temperature; each continuation is measured
with every metric of :mod:`segue.model.metrics`, beside the real continuation's."""

from __future__ import annotations

import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from segue.model import metrics
from segue.model.evaluation.cases import Case
from segue.model.evaluation.contenders import Contender
from segue.model.evaluation.settings import EvalSettings, temperature_key
from segue.model.metrics import METRIC_KEYS, CopyIndex


@dataclass
class Example:
    """One case shown as a piano roll: the real continuation and each contender's first
    sample at the recommended temperature."""

    source: str
    case: Case
    real: np.ndarray
    models: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class Measured:
    """The continuations' metrics (for the report) and what the plots need."""

    runs: dict[str, Any]  # contender name -> temperature key -> samples, seconds, metrics
    real: dict[str, Any]  # metric key -> summary of the real continuations
    examples: list[Example]
    histograms: dict[str, dict[str, np.ndarray]]  # "real" and each contender's


DIVERSITY = METRIC_KEYS.index("diversity")


def _rng_seed(base: int, *parts: int) -> int:
    return int(np.random.SeedSequence([base, *parts]).generate_state(1, np.uint32)[0])


def _metrics_of(
    rows_list: list[np.ndarray], case: Case, training: CopyIndex, seed_index: CopyIndex
) -> np.ndarray:
    """(samples, metrics) of the continuations of one case."""
    measured = [
        metrics.continuation_metrics(rows, case.context, training, seed_index) for rows in rows_list
    ]
    return np.array(
        [[m.get(k, math.nan) for k in METRIC_KEYS] for m in measured], dtype=np.float64
    ).reshape(len(rows_list), len(METRIC_KEYS))


def _mean_rows(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a metric nan in every sample
        return np.nanmean(values, axis=0)


def _summary(per_case: np.ndarray) -> dict[str, dict[str, float]]:
    return {key: metrics.summarise(per_case[:, i]) for i, key in enumerate(METRIC_KEYS)}


def _histograms(rows_list: list[np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "pitch_class": sum(
            (np.bincount(r[:, 1] % 12, minlength=12) for r in rows_list), np.zeros(12)
        ),
        "ioi": sum((metrics.ioi_histogram(r) for r in rows_list), np.zeros(metrics.TIME_CAP + 2)),
        "duration": sum(
            (metrics.duration_histogram(r) for r in rows_list), np.zeros(metrics.TIME_CAP + 2)
        ),
    }


def _add_histograms(
    total: dict[str, np.ndarray] | None, more: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    return more if total is None else {k: total[k] + more[k] for k in total}


def _examples(cases: list[Case], count: int) -> dict[int, Example]:
    """``count`` cases spread over the list, by their place in it."""
    shown = (
        set(np.unique(np.linspace(0, len(cases) - 1, count).round().astype(int)))
        if cases and count
        else set()
    )
    return {i: Example(cases[i].source, cases[i], cases[i].real) for i in sorted(shown)}


def measure_continuations(
    contenders: list[Contender],
    cases: list[Case],
    training: CopyIndex,
    settings: EvalSettings,
    progress: bool,
) -> Measured:
    """Continue every case with every contender at every temperature and measure it all."""
    from tqdm import tqdm

    seed_indexes = [CopyIndex([c.seed]) for c in cases]
    real_values = np.array(
        [_metrics_of([c.real], c, training, s)[0] for c, s in zip(cases, seed_indexes, strict=True)]
    ).reshape(len(cases), len(METRIC_KEYS))
    histograms = {"real": _histograms([c.real for c in cases])}
    examples = _examples(cases, settings.examples)
    recommended = settings.recommended_temperature
    runs: dict[str, Any] = {}
    bar = tqdm(
        total=len(contenders) * len(settings.temperatures) * len(cases),
        desc="continuations",
        unit="seed",
        disable=not progress,
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    with bar:
        for contender in contenders:
            runs[contender.name] = {}
            for t_index, temperature in enumerate(settings.temperatures):
                samples = 1 if temperature == 0 else settings.samples
                started = time.monotonic()
                per_case = np.full((len(cases), len(METRIC_KEYS)), np.nan)
                empty = 0
                hist = None
                for i, case in enumerate(cases):
                    rows = contender.continuations(
                        case,
                        temperature,
                        samples,
                        _rng_seed(settings.rng_seed, case.number, t_index),
                    )
                    empty += sum(len(r) == 0 for r in rows)
                    per_case[i] = _mean_rows(_metrics_of(rows, case, training, seed_indexes[i]))
                    per_case[i, DIVERSITY] = metrics.diversity(rows)
                    if temperature == recommended:
                        hist = _add_histograms(hist, _histograms(rows))
                        if i in examples:
                            examples[i].models[contender.name] = rows[0]
                    bar.update(1)
                runs[contender.name][temperature_key(temperature)] = {
                    "samples": samples,
                    "empty": empty,
                    "seconds": round(time.monotonic() - started, 2),
                    "metrics": _summary(per_case),
                }
                if hist is not None:
                    histograms[contender.name] = hist
    return Measured(runs, _summary(real_values), list(examples.values()), histograms)
