"""`segue eval` as a command: what it refuses before any evaluation runs, and the names it
gives models. The evaluation itself, run through this command, is tested in
tests/model/evaluation/."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_training import one_line_error

from segue.errors import SegueError
from segue.eval_request import named_checkpoint, report_label


def test_a_baseline_is_name_equals_checkpoint() -> None:
    assert named_checkpoint(" indep = runs/folk-indep ") == ("indep", "runs/folk-indep")
    for bad in ("runs/folk-indep", "=runs/x", "indep="):
        with pytest.raises(SegueError, match="--baseline takes NAME=CHECKPOINT"):
            named_checkpoint(bad)


def test_a_model_is_called_by_its_name_or_its_run_folder() -> None:
    assert report_label("melody", Path("/models/melody.pt")) == "melody"
    assert report_label("runs/folk", Path("runs/folk/best.pt")) == "folk"
    assert report_label("runs/folk/last.pt", Path("runs/folk/last.pt")) == "folk"
    assert report_label("old/mine.pt", Path("old/mine.pt")) == "mine"


def test_eval_refuses_bad_arguments_in_one_line(segue_main, models_dir: Path, tmp_path) -> None:
    model, data = models_dir / "tiny.pt", tmp_path / "no-dataset"
    out = ("-o", tmp_path / "report")  # without it, a note comes first
    one_line_error(
        segue_main("eval", model, data, *out, "--baseline", "indep"),
        "--baseline takes NAME=CHECKPOINT",
    )
    one_line_error(
        segue_main("eval", model, data, *out, "--temperatures", "warm"),
        "temperatures must be numbers",
    )
    taken = tmp_path / "report.json"
    taken.write_text("{}", encoding="utf-8")
    one_line_error(segue_main("eval", model, data, "--json", taken), "use --force to replace it")
    one_line_error(segue_main("eval", "no-such-model", data, *out), "no-such-model")
