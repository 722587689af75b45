"""Measuring continuations: a contender that plays what the composer wrote measures as the
real continuation does; samples, examples and histograms as the settings ask."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from segue.dataset.loading import load_dataset
from segue.model.evaluation.cases import Case, continuation_cases
from segue.model.evaluation.contenders import Contender
from segue.model.evaluation.continuations import measure_continuations
from segue.model.evaluation.settings import EvalSettings
from segue.model.metrics import METRIC_KEYS, CopyIndex


def contender(name: str, rows_of: object) -> Contender:
    asked: list[tuple[int, float, int]] = []

    def continuations(
        case: Case, temperature: float, samples: int, rng_seed: int
    ) -> list[np.ndarray]:
        asked.append((case.number, temperature, samples))
        return [rows_of(case) for _ in range(samples)]  # type: ignore[operator]

    made = Contender(name, "test", "", None, lambda data: {}, continuations)
    made.asked = asked  # type: ignore[attr-defined]
    return made


def test_the_composers_own_continuation_measures_as_the_real_one(tiny: dict[str, Path]) -> None:
    dataset = load_dataset(tiny["dataset"])
    cases, _, _ = continuation_cases(dataset, 2, 2)
    training = CopyIndex(p.notes for p in dataset.pieces("train"))
    settings = EvalSettings(temperatures=(0.0, 1.0), samples=3, examples=2).validated()
    composer = contender("composer", lambda case: case.real)
    silent = contender("silent", lambda case: np.zeros((0, 4), dtype=np.int64))
    measured = measure_continuations([composer, silent], cases, training, settings, False)

    assert set(measured.real) == set(METRIC_KEYS)
    for t in ("0", "1"):
        run = measured.runs["composer"][t]
        assert run["samples"] == (1 if t == "0" else 3) and run["empty"] == 0
        for key, real in measured.real.items():
            if key != "diversity":  # one real continuation per seed: no diversity
                assert run["metrics"][key] == pytest.approx(real, nan_ok=True), key
        # the composer's samples are all the same continuation; one sample has no pairs
        assert run["metrics"]["diversity"]["mean"] == (
            0.0 if t == "1" else pytest.approx(math.nan, nan_ok=True)
        )
        assert measured.runs["silent"][t]["empty"] == run["samples"] * len(cases)
        assert measured.runs["silent"][t]["metrics"]["notes_per_bar"]["mean"] == 0
    # every case at every temperature, once greedy, with the settings' samples otherwise
    assert sorted(composer.asked) == sorted(  # type: ignore[attr-defined]
        (c.number, t, 1 if t == 0 else 3) for c in cases for t in (0.0, 1.0)
    )
    assert [e.case for e in measured.examples] == [cases[0], cases[-1]]
    assert all(set(e.models) == {"composer", "silent"} for e in measured.examples)
    np.testing.assert_array_equal(measured.examples[0].models["composer"], cases[0].real)
    # histograms at the recommended temperature: the composer's three samples of each case
    assert list(measured.histograms) == ["real", "composer", "silent"]
    for key, real in measured.histograms["real"].items():
        np.testing.assert_array_equal(measured.histograms["composer"][key], 3 * real)
        assert measured.histograms["silent"][key].sum() == 0
