"""segue.eval_outputs: where `segue eval` writes its report, refused before it runs, on
real folders and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from segue.errors import SegueError
from segue.eval_outputs import NO_REPORT, EvalOutputs, pitch_only_setting


def test_nothing_to_write_is_a_note_and_stdout_is_no_file() -> None:
    assert EvalOutputs(None, None).check() == NO_REPORT
    to_stdout = EvalOutputs(None, "-")
    assert to_stdout.check() is None
    assert to_stdout.to_stdout and to_stdout.json_path is None
    assert EvalOutputs(None, "").json_path is None and EvalOutputs(None, "").check() is None


def test_a_json_file_there_is_replaced_only_with_force(tmp_path: Path) -> None:
    there = tmp_path / "r.json"
    there.write_text("{}", encoding="utf-8")
    with pytest.raises(SegueError, match=f"{there} already exists; use --force to replace it"):
        EvalOutputs(None, str(there)).check()
    assert EvalOutputs(None, str(there), force=True).check() is None
    assert EvalOutputs(None, str(tmp_path / "new.json")).json_path == tmp_path / "new.json"


def test_a_file_is_no_report_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.mid"
    a_file.write_bytes(b"MThd")
    with pytest.raises(SegueError, match="a segue eval report needs a folder"):
        EvalOutputs(a_file, None, force=True).check()
    assert EvalOutputs(tmp_path / "report", None).check() is None


def test_the_pitch_only_lstm_is_trained_unless_given_or_left_out() -> None:
    assert pitch_only_setting(None) == "train"
    assert pitch_only_setting("None") is None
    assert pitch_only_setting("reports/old/pitch_only.pt") == "reports/old/pitch_only.pt"
