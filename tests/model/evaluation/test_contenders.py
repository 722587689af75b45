"""Contenders: a segue checkpoint described, its likelihood and continuations; a baseline's
continuations given the case and the settings' top-p."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from segue.dataset.loading import load_dataset
from segue.model.checkpoint import load_checkpoint
from segue.model.evaluation.cases import continuation_cases
from segue.model.evaluation.contenders import ngram_contender, segue_contender
from segue.model.evaluation.settings import EvalSettings
from segue.model.training.batches import encode_split
from segue.model.vocab import FIELDS


def test_a_segue_checkpoint_as_a_contender(tiny: dict[str, Path]) -> None:
    loaded = load_checkpoint(tiny["model"])
    settings = EvalSettings(bars=2, top_p=0.9)
    contender = segue_contender("tiny", "segue", loaded, settings)
    assert contender.name == "tiny" and contender.path == str(tiny["model"])
    assert contender.description == ("segue LSTM 2x32, chained heads, bar position, no clip memory")
    old_way = replace(
        loaded,
        config=replace(
            loaded.config,
            chained=False,
            bar_position=False,
            memory=(0.5, 0.5),
            pitch_class_weight=0.5,
        ),
    )
    assert segue_contender(
        "indep", "segue baseline", old_way, settings, memory=0.0
    ).description.endswith("independent heads, no bar position, clip memory off")
    assert segue_contender("mem", "segue", old_way, settings, memory=2.0).description.endswith(
        "clip memory at strength 2 (pitch-class pull 1)"
    )
    dataset = load_dataset(tiny["dataset"])
    test = encode_split(dataset, "test", loaded.config.vocab)
    nll = contender.nll(test)
    assert set(nll) == {*FIELDS, "notes"} and nll["notes"] == test.notes
    assert all(math.isfinite(nll[f]) for f in FIELDS)
    case = continuation_cases(dataset, 2, 2)[0][0]
    rows = contender.continuations(case, 1.0, 3, 7)
    assert len(rows) == 3
    for r in rows:
        assert r.shape[1] == 4 and (r[:, 0] >= 0).all() and (r[:, 0] < case.span_ticks).all()
    again = contender.continuations(case, 1.0, 3, 7)
    assert all(np.array_equal(a, b) for a, b in zip(rows, again, strict=True))


def test_a_baseline_continues_the_case_with_the_settings_top_p(tiny: dict[str, Path]) -> None:
    class Recorder:
        orders = {"offset": 1, "pitch": 2, "duration": 1, "velocity": 1}

        def nll(self, data: object) -> dict[str, float]:
            return {}

        def continuations(self, *args: object) -> list[np.ndarray]:
            self.args = args
            return [np.zeros((0, 4), dtype=np.int64)]

    case = continuation_cases(load_dataset(tiny["dataset"]), 2, 2)[0][0]
    recorder = Recorder()
    contender = ngram_contender(recorder, EvalSettings(top_p=0.8))  # type: ignore[arg-type]
    assert contender.description.endswith("(orders: offset 1, pitch 2, duration 1, velocity 1)")
    assert contender.continuations(case, 1.2, 5, 9)[0].shape == (0, 4)
    seed, *rest = recorder.args
    assert seed is case.seed
    assert rest == [case.seed_ticks, case.bar_ticks, case.span_ticks, 1.2, 0.8, 5, 9]


def test_the_repeat_baseline_plays_the_seeds_last_bars_again(tiny: dict[str, Path]) -> None:
    from segue.model.evaluation.contenders import repeat_contender, repeat_rows

    dataset = load_dataset(tiny["dataset"])
    cases, _, _ = continuation_cases(dataset, 2, 3)
    assert cases
    for case in cases:
        rows = repeat_rows(case)
        loop = min(2, case.seed_ticks // case.bar_ticks) * case.bar_ticks
        last = case.seed[case.seed[:, 0] >= case.seed_ticks - loop]
        first_pass = rows[rows[:, 0] < loop]
        assert np.array_equal(first_pass[:, 1], last[:, 1])  # the same pitches, in order
        assert np.array_equal(first_pass[:, 0], last[:, 0] - (case.seed_ticks - loop))
        assert (rows[:, 0] < case.span_ticks).all()
        assert (rows[:, 0] + rows[:, 2] <= case.span_ticks).all()
    contender = repeat_contender()
    assert contender.nll is None and contender.kind == "repeat"
    takes = contender.continuations(cases[0], 1.0, 3, 0)
    assert len(takes) == 3 and all(np.array_equal(t, takes[0]) for t in takes)
