"""The report folder: everything written, never over what is not a report, replaced only
when forced, and nothing left behind by a failed write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from eval_args import ONE_PIECE, SMALL

from segue.errors import SegueError
from segue.model.evaluation.folder import check_report_dir, write_report
from segue.model.evaluation.run import EvalResult


def test_eval_writes_the_report(first_run: dict) -> None:
    assert first_run["status"] == 0
    report = first_run["report"]
    for name in ("report.md", "report.json", "histograms.png", "metrics.png", "pitch_only.pt"):
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
    assert json.loads((report / "report.json").read_text(encoding="utf-8")) == json.loads(
        first_run["json"].read_text(encoding="utf-8")
    )


def test_eval_refuses_to_overwrite_a_report(
    first_run: dict, tiny: dict[str, Path], segue_eval, capsys: pytest.CaptureFixture[str]
) -> None:
    report = first_run["report"]
    before = (report / "report.json").stat().st_mtime_ns
    status = segue_eval("-o", report, *SMALL)
    assert status == 1
    assert "--force" in capsys.readouterr().err
    assert (report / "report.json").stat().st_mtime_ns == before
    # nor a JSON file
    assert segue_eval("--json", first_run["json"], *SMALL) == 1
    # and --force never replaces a folder that holds something else
    other = tiny["root"] / "not-a-report"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SegueError, match="not a segue eval report"):
        check_report_dir(other, force=True)
    # a report is replaced when forced
    copy = tiny["root"] / "report-copy"
    shutil.copytree(report, copy)
    forced = ("--force", "--pitch-only", "none", "--no-repeat", "--examples", "0")
    assert segue_eval("-o", copy, *forced, *ONE_PIECE) == 0
    data = json.loads((copy / "report.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in data["models"]] == ["tiny"]
    assert not (copy / "pitch_only.pt").exists()
    assert data["verdict"]["nll_beats"] == {}


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    with pytest.raises(KeyError):  # the markdown needs a whole report
        write_report(EvalResult(report={"kind": "segue-eval-report"}), folder, plots=False)
    assert list(tmp_path.iterdir()) == []
