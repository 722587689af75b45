"""`segue eval` end to end on a tiny dataset (music21's test MIDI files) and tiny models."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from segue.cli import main
from segue.dataset import load_dataset, prepare_dataset
from segue.errors import SegueError
from segue.model.evaluation import (
    EvalResult,
    EvalSettings,
    check_report_dir,
    continuation_cases,
    parse_temperatures,
    tolerance_of,
    write_report,
)
from segue.model.metrics import FIGURE_KEYS
from segue.model.vocab import FIELDS

SMALL = (
    "--seed-bars",
    "2",
    "--bars",
    "2",
    "--samples",
    "2",
    "--temperatures",
    "0,1",
    "--pitch-only-epochs",
    "1",
    "--examples",
    "1",
    "--quiet",
)
ONE_PIECE = (
    "--max-pieces",
    "1",
    "--temperatures",
    "1",
    "--samples",
    "1",
    "--seed-bars",
    "2",
    "--bars",
    "2",
    "--no-ngram",
    "--quiet",
)
TOP_KEYS = {
    "kind",
    "version",
    "created",
    "segue_version",
    "torch_version",
    "dataset",
    "settings",
    "models",
    "baselines",
    "nll",
    "figures",
    "pieces",
    "real",
    "tolerance",
    "continuations",
    "verdict",
    "seconds",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, primitive_dir: Path) -> dict[str, Path]:
    """A dataset of music21's test MIDI files and two untrained tiny models."""
    from segue.bridge.testing import make_test_model

    root = tmp_path_factory.mktemp("eval")
    prepare_dataset(
        [primitive_dir],
        root / "dataset",
        valid_fraction=0.2,
        test_fraction=0.3,
        workers=1,
        progress=False,
    )
    return {
        "root": root,
        "dataset": root / "dataset",
        "model": make_test_model(root, "tiny", seed=0),
        "other": make_test_model(root, "other", seed=1),
    }


def segue_eval(tiny: dict[str, Path], *args: object) -> int:
    """`segue eval` of the tiny model on the tiny dataset; the exit status."""
    return main(["eval", str(tiny["model"]), str(tiny["dataset"]), *map(str, args)])


@pytest.fixture(scope="module")
def first_run(tiny: dict[str, Path]) -> dict:
    """One full run: a report folder and the JSON in a file."""
    report, json_file = tiny["root"] / "report", tiny["root"] / "report.json"
    status = segue_eval(
        tiny, "-o", report, "--baseline", f"other={tiny['other']}", "--json", json_file, *SMALL
    )
    return {"status": status, "report": report, "json": json_file}


def test_eval_writes_the_report(first_run: dict) -> None:
    assert first_run["status"] == 0
    report = first_run["report"]
    for name in ("report.md", "report.json", "histograms.png", "figures.png", "pitch_only.pt"):
        assert (report / name).is_file(), name
    assert len(list((report / "examples").glob("*.png"))) == 1
    for png in report.rglob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (report / "report.md").read_text(encoding="utf-8")
    for needle in (
        "## Held-out negative log-likelihood",
        "| tiny | segue |",
        "| other | segue baseline |",
        "| n-gram | n-gram |",
        "| pitch-only | pitch-only |",
        "### T=1 (recommended)",
        "### T=0",
        "| in-key rate |",
        "longest copy of the training set",
        "![histograms]",
    ):
        assert needle in text, needle
    assert json.loads((report / "report.json").read_text()) == json.loads(
        first_run["json"].read_text()
    )


def test_the_json_has_every_model_figure_and_verdict(first_run: dict) -> None:
    data = json.loads(first_run["json"].read_text())
    assert set(data) == TOP_KEYS and data["kind"] == "segue-eval-report"
    names = [m["name"] for m in data["models"]]
    assert names == ["tiny", "other", "n-gram", "pitch-only"]
    for name in names:
        nll = data["nll"][name]
        assert set(nll["nats"]) == {*FIELDS, "total"}
        assert nll["nats"]["total"] == pytest.approx(sum(nll["nats"][f] for f in FIELDS))
        assert nll["bits"]["pitch"] == pytest.approx(nll["nats"]["pitch"] / math.log(2))
        assert nll["notes"] == data["dataset"]["test_notes"] > 0
        assert set(data["continuations"][name]) == {"0", "1"}
        for t, run in data["continuations"][name].items():
            assert run["samples"] == (1 if t == "0" else 2)
            assert set(run["figures"]) == set(FIGURE_KEYS)
            assert all(isinstance(f["within"], bool) for f in run["figures"].values())
            assert run["within"] == sum(f["within"] for f in run["figures"].values())
    # an untrained network is close to uniform over each field's classes
    tiny = data["nll"]["tiny"]["nats"]
    for name, classes in (("offset", 109), ("pitch", 128), ("duration", 108), ("velocity", 32)):
        assert abs(tiny[name] - math.log(classes)) < 0.3, name
    # ... so the n-gram model, fitted to the data, beats it
    assert data["nll"]["n-gram"]["nats"]["total"] < tiny["total"]
    assert data["verdict"]["nll_beats_all"] is False
    assert data["verdict"]["nll_beats"]["n-gram"] is False
    assert data["pieces"]["used"] >= 2
    real = data["real"]
    assert 0 <= real["in_key"]["mean"] <= 1 and real["notes_per_bar"]["mean"] > 0
    assert data["settings"]["temperatures"] == [0.0, 1.0]


def test_eval_refuses_to_overwrite_a_report(
    first_run: dict, tiny: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    report = first_run["report"]
    before = (report / "report.json").stat().st_mtime_ns
    status = segue_eval(tiny, "-o", report, *SMALL)
    assert status == 1
    assert "--force" in capsys.readouterr().err
    assert (report / "report.json").stat().st_mtime_ns == before
    # nor a JSON file
    assert segue_eval(tiny, "--json", first_run["json"], *SMALL) == 1
    # and --force never replaces a folder that holds something else
    other = tiny["root"] / "not-a-report"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(SegueError, match="not a segue eval report"):
        check_report_dir(other, force=True)
    # a report is replaced when forced
    copy = tiny["root"] / "report-copy"
    shutil.copytree(report, copy)
    forced = ("--force", "--pitch-only", "none", "--examples", "0")
    assert segue_eval(tiny, "-o", copy, *forced, *ONE_PIECE) == 0
    data = json.loads((copy / "report.json").read_text())
    assert [m["name"] for m in data["models"]] == ["tiny"]
    assert not (copy / "pitch_only.pt").exists()
    assert data["verdict"]["nll_beats"] == {}


def test_json_to_stdout_with_a_saved_pitch_only_model(
    first_run: dict, tiny: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status = segue_eval(
        tiny, "--json", "-", "--pitch-only", first_run["report"] / "pitch_only.pt", *ONE_PIECE
    )
    out = capsys.readouterr()
    assert status == 0
    data = json.loads(out.out)  # stdout holds the JSON alone; the tables went to stderr
    assert [m["name"] for m in data["models"]] == ["tiny", "pitch-only"]
    assert data["pieces"]["used"] == 1
    assert data["baselines"]["pitch-only"]["path"].endswith("pitch_only.pt")
    first = json.loads(first_run["json"].read_text())
    assert data["nll"]["pitch-only"]["nats"] == pytest.approx(first["nll"]["pitch-only"]["nats"])
    assert "Held-out NLL per note" in out.err


def test_cases_cut_seed_and_real_continuation(tiny: dict[str, Path]) -> None:
    dataset = load_dataset(tiny["dataset"])
    cases, skipped, total = continuation_cases(dataset, 2, 2)
    assert total == len(dataset.indices("test")) == len(cases) + sum(skipped.values())
    for case in cases:
        assert case.seed[:, 0].max() < case.seed_ticks == 2 * case.bar_ticks
        assert case.real[:, 0].min() >= 0
        assert (case.real[:, 0] + case.real[:, 2]).max() <= case.span_ticks
        piece = dataset.piece(case.number)
        after = piece.notes[
            (piece.notes[:, 0] >= case.seed_ticks)
            & (piece.notes[:, 0] < case.seed_ticks + case.span_ticks)
        ]
        np.testing.assert_array_equal(case.real[:, 1], after[:, 1])
    few, skipped_few, _ = continuation_cases(dataset, 2, 2, max_pieces=1)
    assert len(few) == 1 and skipped_few["not chosen (--max-pieces)"] == len(cases) - 1


def test_settings_and_tolerance() -> None:
    assert parse_temperatures("0, 0.8,1.2") == (0.0, 0.8, 1.2)
    with pytest.raises(SegueError):
        parse_temperatures("warm")
    settings = EvalSettings(temperatures=(1.2, 0.0), recommended_temperature=0.9).validated()
    assert settings.temperatures == (0.0, 0.9, 1.2)
    with pytest.raises(SegueError, match="samples"):
        EvalSettings(samples=0).validated()
    assert tolerance_of({"mean": 10.0, "std": 0.5}, settings) == pytest.approx(1.0)
    assert tolerance_of({"mean": 0.1, "std": 0.05}, settings) == pytest.approx(0.05)
    assert math.isnan(tolerance_of({"mean": math.nan, "std": math.nan}, settings))


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    with pytest.raises(KeyError):  # the markdown needs a whole report
        write_report(EvalResult(report={"kind": "segue-eval-report"}), folder, plots=False)
    assert list(tmp_path.iterdir()) == []


def test_the_same_rng_seed_gives_the_same_figures(tiny: dict[str, Path]) -> None:
    from segue.model.evaluation import run_evaluation

    settings = EvalSettings(
        seed_bars=2, bars=2, samples=2, temperatures=(1.0,), max_pieces=2, pitch_only=None
    )
    model = ("tiny", tiny["model"])
    first = run_evaluation(model, tiny["dataset"], settings=settings).report
    again = run_evaluation(model, tiny["dataset"], settings=settings).report
    other = run_evaluation(
        model, tiny["dataset"], settings=EvalSettings(**{**settings.to_dict(), "rng_seed": 5})
    ).report

    def figures(report: dict) -> dict:
        return {
            name: {t: run["figures"] for t, run in runs.items()}
            for name, runs in report["continuations"].items()
        }

    assert figures(first) == figures(again) != figures(other)


def test_a_models_card_carries_its_evaluation(first_run: dict, tiny: dict[str, Path]) -> None:
    models = tiny["root"] / "installed"
    args = ["models", "add", str(tiny["model"]), "--name", "tiny", "--models-dir", str(models)]
    assert main([*args, "--summary", "A tiny test model", "--data-note", "Test files."]) == 0
    assert "## Evaluation" not in (models / "tiny.md").read_text()
    # the installed model installed again with the report: the card gains its tables,
    # and keeps what it said
    args[2] = str(models / "tiny.pt")
    assert main([*args, "--force", "--evaluation", str(first_run["report"])]) == 0
    card = (models / "tiny.md").read_text()
    assert card.startswith("# tiny\n\nA tiny test model\n") and "Test files." in card
    section = card[card.index("## Evaluation"):]
    report = json.loads(first_run["json"].read_text())
    total = report["nll"]["tiny"]["nats"]["total"]
    assert "| tiny | segue | " in section and f"{total:.3f}" in section
    assert "| other |" in section and "Figures within tolerance" in section
    # not a report: refused in one line, nothing replaced
    assert main([*args, "--force", "--evaluation", str(tiny["dataset"])]) == 1
    assert (models / "tiny.md").read_text() == card


def test_test_pieces_with_a_training_pieces_notes_are_left_out(
    tmp_path: Path, primitive_files: list[Path]
) -> None:
    """The same tune in two collections is not held out: a test copy of a training piece
    counts neither in the likelihood nor among the continuations."""
    from segue.dataset import split_for
    from segue.model.evaluation import training_copies

    def named(split: str) -> str:
        return next(f"copy{i}.mid" for i in range(1000)
                    if split_for(f"copy{i}.mid", 0.2, 0.3) == split)

    folder = tmp_path / "midi"
    folder.mkdir()
    tune = next(p for p in primitive_files if p.name == "test09.mid")  # notes from bar 1 on
    for split in ("train", "test"):
        (folder / named(split)).write_bytes(tune.read_bytes())
    (folder / named("valid")).write_bytes(primitive_files[0].read_bytes())
    prepare_dataset([folder], tmp_path / "ds", valid_fraction=0.2, test_fraction=0.3, workers=1,
                    progress=False)
    dataset = load_dataset(tmp_path / "ds")
    test_copy = {int(i) for i in dataset.indices("test")}
    assert test_copy and training_copies(dataset) == test_copy
    assert training_copies(dataset, "valid") == set()
    cases, skipped, total = continuation_cases(dataset, 1, 1, leave_out=training_copies(dataset))
    assert cases == [] and skipped == {"the same notes as a training piece": len(test_copy)}
    assert total == len(test_copy)
    kept, _, _ = continuation_cases(dataset, 1, 1)
    assert len(kept) == len(test_copy)  # without leave_out the copy would be evaluated
