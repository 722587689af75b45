"""`segue eval` end to end on a tiny dataset (music21's test MIDI files) and tiny models:
the report every run gives, a saved pitch-only LSTM used again, the same rng seed."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from eval_args import ONE_PIECE

from segue.model.evaluation.run import run_evaluation
from segue.model.evaluation.settings import EvalSettings
from segue.model.metrics import JUDGED_KEYS, METRIC_KEYS
from segue.model.vocab import FIELDS

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
    "metrics",
    "pieces",
    "real",
    "tolerance",
    "continuations",
    "verdict",
    "seconds",
}


def test_the_json_has_every_model_metric_and_verdict(first_run: dict) -> None:
    data = json.loads(first_run["json"].read_text(encoding="utf-8"))
    assert set(data) == TOP_KEYS and data["kind"] == "segue-eval-report"
    names = [m["name"] for m in data["models"]]
    assert names == ["tiny", "other", "n-gram", "pitch-only", "repeat"]
    assert set(data["nll"]) == set(names) - {"repeat"}  # repeating has no likelihood
    for name in names:
        assert set(data["continuations"][name]) == {"0", "1"}
        if name == "repeat":
            continue
        nll = data["nll"][name]
        assert set(nll["nats"]) == {*FIELDS, "total"}
        assert nll["nats"]["total"] == pytest.approx(sum(nll["nats"][f] for f in FIELDS))
        assert nll["bits"]["pitch"] == pytest.approx(nll["nats"]["pitch"] / math.log(2))
        assert nll["notes"] == data["dataset"]["test_notes"] > 0
        for t, run in data["continuations"][name].items():
            assert run["samples"] == (1 if t == "0" else 2)
            assert set(run["metrics"]) == set(METRIC_KEYS)
            judged = [run["metrics"][k] for k in JUDGED_KEYS]
            assert all(isinstance(m["within"], bool) for m in judged)
            assert run["within"] == sum(m["within"] for m in judged)
            # the loop metrics are measured and shown, not judged
            assert all("within" not in run["metrics"][k] for k in METRIC_KEYS[len(JUDGED_KEYS) :])
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


def test_json_to_stdout_with_a_saved_pitch_only_model(
    first_run: dict, segue_eval, capsys: pytest.CaptureFixture[str]
) -> None:
    status = segue_eval(
        "--json", "-", "--pitch-only", first_run["report"] / "pitch_only.pt", *ONE_PIECE
    )
    out = capsys.readouterr()
    assert status == 0
    data = json.loads(out.out)  # stdout holds the JSON alone; the tables went to stderr
    assert [m["name"] for m in data["models"]] == ["tiny", "pitch-only", "repeat"]
    assert data["pieces"]["used"] == 1
    assert data["baselines"]["pitch-only"]["path"].endswith("pitch_only.pt")
    first = json.loads(first_run["json"].read_text(encoding="utf-8"))
    assert data["nll"]["pitch-only"]["nats"] == pytest.approx(first["nll"]["pitch-only"]["nats"])
    assert "Held-out NLL per note" in out.err


def test_the_same_rng_seed_gives_the_same_metrics(tiny: dict[str, Path]) -> None:
    settings = EvalSettings(
        seed_bars=2, bars=2, samples=2, temperatures=(1.0,), max_pieces=2, pitch_only=None
    )
    model = ("tiny", tiny["model"])
    first = run_evaluation(model, tiny["dataset"], settings=settings).report
    again = run_evaluation(model, tiny["dataset"], settings=settings).report
    other = run_evaluation(
        model, tiny["dataset"], settings=EvalSettings(**{**settings.to_dict(), "rng_seed": 5})
    ).report

    def metrics(report: dict) -> dict:
        return {
            name: {t: run["metrics"] for t, run in runs.items()}
            for name, runs in report["continuations"].items()
        }

    assert metrics(first) == metrics(again) != metrics(other)


def test_a_folder_of_midi_files_is_scored_whole(tiny: dict[str, Path], primitive_dir: Path) -> None:
    settings = EvalSettings(seed_bars=2, bars=2, samples=2, temperatures=(1.0,), max_pieces=2)
    lines: list[str] = []
    report = run_evaluation(
        ("tiny", tiny["model"]), primitive_dir, settings=settings, log=lines.append
    ).report
    files = len([p for p in primitive_dir.rglob("*") if p.suffix.lower() in (".mid", ".midi")])
    assert 0 < report["dataset"]["test_pieces"] <= files
    assert report["dataset"]["train_notes"] == 0
    names = [m["name"] for m in report["models"]]
    assert names == ["tiny", "repeat"]  # no training split: no n-gram, no pitch-only
    assert set(report["nll"]) == {"tiny"}  # the repeat baseline has no likelihood
    assert any("every piece is scored" in line for line in lines)
    assert any("baselines are left out" in line for line in lines)


def test_clips_too_short_to_continue_get_no_verdict_on_continuations(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    """A folder of 2-4 bar clips (the repository's seeds) against a 4-bar seed and a 4-bar
    continuation: nothing is continued, and the report said "0/12 metrics within
    tolerance" over tables of "- ✗" all the same."""
    import shutil

    from segue.model.evaluation.report import console_report, markdown_report

    for name in ("reel.mid", "jig.mid", "bassline.mid"):
        shutil.copy(Path(__file__).resolve().parents[3] / "examples" / "seeds" / name, tmp_path)
    settings = EvalSettings(samples=1, temperatures=(1.0,))
    report = run_evaluation(("tiny", tiny["model"]), tmp_path, settings=settings).report
    assert report["pieces"]["used"] == 0 and report["nll"]["tiny"]["nats"]["total"] > 0
    for text in (console_report(report), markdown_report(report)):
        assert "- Continuations: not measured, as no test piece is long enough" in text
        assert "✗" not in text and "within tolerance" not in text.replace("✓ = within", "")


def test_a_drum_model_scores_a_folder_of_beats_and_unread_files_are_said(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    """`segue eval drums beats/` refused the folder ("only drum notes"), and on a mixed folder
    scored the melodic tracks with the drum model; files it could not read went unsaid."""
    from segue.midi_io import write_midi
    from segue.model.checkpoint import load_checkpoint, save_checkpoint
    from segue.notes import Clip, Note

    loaded = load_checkpoint(tiny["model"])
    kit = save_checkpoint(tmp_path / "kit.pt", loaded.model, {**loaded.info, "drums": {"kit": []}})
    beats = tmp_path / "beats"
    beats.mkdir()
    for k in range(2):
        hits = tuple(Note(36 + 6 * (i % 2) + k, i * 0.5, 0.25, 100) for i in range(32))
        write_midi(Clip(hits, 16.0), beats / f"beat{k}.mid", channel=9)
    (beats / "broken.mid").write_bytes(b"MThd not really")
    tune = tuple(Note(60 + i % 5, i * 0.5, 0.5, 90) for i in range(32))
    write_midi(Clip(tune, 16.0), beats / "tune.mid")  # a bass or a lead beside the beats
    settings = EvalSettings(seed_bars=2, bars=2, samples=1, temperatures=(1.0,), max_pieces=2)
    lines: list[str] = []
    report = run_evaluation(("kit", kit), beats, settings=settings, log=lines.append).report
    assert report["dataset"]["test_pieces"] == 2
    said = next(line for line in lines if "every piece is scored" in line)
    assert "(2 pieces, their drum tracks alone; 2 files not read: " in said, said
    assert "1 no drum notes" in said, said


def test_a_midi_file_given_for_its_folder_is_told_to_give_the_folder(
    tiny: dict[str, Path], primitive_dir: Path
) -> None:
    """`segue eval producer song.mid` said "not a segue dataset (no meta.json); make one with
    `segue data prepare`", though a folder of MIDI files would do."""
    from segue.errors import SegueError

    song = next(p for p in sorted(primitive_dir.rglob("*")) if p.suffix.lower() == ".mid")
    with pytest.raises(SegueError, match="is a file, not a folder; give the folder that holds it"):
        run_evaluation(("tiny", tiny["model"]), song, settings=EvalSettings(samples=1))
