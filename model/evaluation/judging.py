"""Judging a report: each metric within or outside tolerance of the real continuations, and
the verdicts on likelihood and metrics."""

from __future__ import annotations

import math
from typing import Any

from segue.model.evaluation.settings import EvalSettings, temperature_key
from segue.model.metrics import JUDGED_KEYS


def tolerance_of(real: dict[str, float], settings: EvalSettings) -> float:
    """How far a contender's mean may lie from the real mean and still count as within."""
    mean, std = real.get("mean", math.nan), real.get("std", math.nan)
    if not math.isfinite(mean):
        return math.nan
    spread = settings.spread * std if math.isfinite(std) else 0.0
    return max(settings.tolerance * abs(mean), spread)


def judge(report: dict[str, Any], settings: EvalSettings) -> None:
    """Mark each metric within or outside tolerance; the verdicts on likelihood and metrics."""
    tolerance = {k: tolerance_of(report["real"][k], settings) for k in JUDGED_KEYS}
    report["tolerance"] = tolerance
    for runs in report["continuations"].values():
        for run in runs.values():
            within = 0
            for key in JUDGED_KEYS:
                metric = run["metrics"][key]
                real = report["real"][key]["mean"]
                ok = (
                    math.isfinite(metric["mean"])
                    and math.isfinite(tolerance[key])
                    and abs(metric["mean"] - real) <= tolerance[key] + 1e-12
                )
                metric["within"] = bool(ok)
                within += ok
            run["within"] = within
            run["all_within"] = within == len(JUDGED_KEYS)
    main = report["models"][0]["name"]
    others = [m["name"] for m in report["models"][1:]]
    total = {name: report["nll"][name]["nats"]["total"] for name in report["nll"]}
    recommended = temperature_key(settings.recommended_temperature)
    main_run = report["continuations"][main][recommended]
    report["verdict"] = {
        "model": main,
        "recommended_temperature": settings.recommended_temperature,
        "nll_beats": {name: bool(total[main] < total[name]) for name in others if name in total},
        "nll_beats_all": all(total[main] < total[name] for name in others if name in total),
        "model_all_within": main_run["all_within"],
        "model_within": main_run["within"],
        "baselines_all_within": {
            name: [t for t, run in report["continuations"][name].items() if run["all_within"]]
            for name in others
        },
        "no_baseline_all_within": not any(
            report["continuations"][name][recommended]["all_within"] for name in others
        ),
    }
