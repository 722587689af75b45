"""Judging: how far from the real mean a metric may lie and still count as within, and the
verdicts."""

from __future__ import annotations

import math

import pytest

from segue.model.evaluation.judging import judge, tolerance_of
from segue.model.evaluation.settings import EvalSettings
from segue.model.metrics import JUDGED_KEYS


def test_tolerance() -> None:
    settings = EvalSettings(temperatures=(1.2, 0.0), recommended_temperature=0.9).validated()
    assert tolerance_of({"mean": 10.0, "std": 0.5}, settings) == pytest.approx(1.0)
    assert tolerance_of({"mean": 0.1, "std": 0.05}, settings) == pytest.approx(0.05)
    assert math.isnan(tolerance_of({"mean": math.nan, "std": math.nan}, settings))


def test_judge_marks_each_metric_and_gives_the_verdicts() -> None:
    settings = EvalSettings(temperatures=(1.0,)).validated()
    near = {k: {"mean": 1.05, "std": 0.0, "n": 3} for k in JUDGED_KEYS}  # within 10%
    far = {k: {"mean": 2.0, "std": 0.0, "n": 3} for k in JUDGED_KEYS}
    far["in_key"] = {"mean": 0.95, "std": 0.0, "n": 3}
    report = {
        "models": [{"name": "segue"}, {"name": "n-gram"}],
        "nll": {"segue": {"nats": {"total": 2.0}}, "n-gram": {"nats": {"total": 3.0}}},
        "real": {k: {"mean": 1.0, "std": 0.0, "n": 3} for k in JUDGED_KEYS},
        "continuations": {"segue": {"1": {"metrics": near}}, "n-gram": {"1": {"metrics": far}}},
    }
    judge(report, settings)
    assert report["tolerance"] == {k: pytest.approx(0.1) for k in JUDGED_KEYS}
    segue, ngram = report["continuations"]["segue"]["1"], report["continuations"]["n-gram"]["1"]
    assert segue["within"] == len(JUDGED_KEYS) and segue["all_within"] is True
    assert ngram["within"] == 1 and ngram["metrics"]["in_key"]["within"] is True
    assert ngram["all_within"] is False
    assert report["verdict"] == {
        "model": "segue",
        "recommended_temperature": 1.0,
        "nll_beats": {"n-gram": True},
        "nll_beats_all": True,
        "model_all_within": True,
        "model_within": len(JUDGED_KEYS),
        "baselines_all_within": {"n-gram": []},
        "no_baseline_all_within": True,
    }
