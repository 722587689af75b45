"""segue.model_listing: what `segue models` lists, of real checkpoints in a real folder
(segue's home moved to a temp folder, as the CLI tests move it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from segue.model_listing import columns, listing_lines


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    (folder / "models").mkdir(parents=True)
    monkeypatch.setenv("SEGUE_HOME", str(folder))
    return folder / "models"


def test_each_model_is_a_row_and_the_last_lines_say_the_default_and_the_home(
    home: Path, models_dir: Path
) -> None:
    shutil.copy(models_dir / "tiny.pt", home / "mine.pt")
    lines = listing_lines(None, "HOW AUTO CHOOSES")
    (mine,) = [line for line in lines if " mine " in line]
    assert mine.split()[:4] == ["mine", "user", "0.2", "MB"]
    assert sum(" bundled " in line for line in lines) == 4
    assert lines[-2] == "the default: auto (HOW AUTO CHOOSES)"
    assert lines[-1] == f"your models: {home} (set SEGUE_HOME to move segue's home)"


def test_a_broken_file_is_said_with_its_way_out_and_hides_no_other(
    home: Path, models_dir: Path
) -> None:
    (home / "broken.pt").write_bytes(b"not a checkpoint")
    shutil.copy(models_dir / "tiny.pt", home / "ok.pt")
    lines = listing_lines(None, "")
    (broken,) = [line for line in lines if " broken " in line]
    assert "unreadable (" in broken and broken.endswith("`segue models remove broken` removes it")
    assert any(line.split()[:2] == ["ok", "user"] for line in lines)


def test_files_segue_does_not_take_and_names_one_file_apart_are_said(
    tmp_path: Path, home: Path, models_dir: Path
) -> None:
    more = tmp_path / "more"
    more.mkdir()
    for name in ("my model!.pt", "Bass.pt", "bass.pt"):
        shutil.copy(models_dir / "tiny.pt", more / name)
    lines = listing_lines(more, "")
    said = [line for line in lines if line.startswith("  not listed") or "one name" in line]
    assert said[0].startswith(f"  not listed: {more / 'my model!.pt'} (a model's name is")
    assert said[0].endswith("rename it, e.g. to my-model.pt")
    assert said[1] == (
        f"  one name on macOS and Windows: Bass and bass in {more}, of which a copy there "
        "keeps one; rename all but one"
    )


def test_columns_are_as_wide_as_their_widest_cell_the_last_as_it_is() -> None:
    rows = [("a", "user", "0.2 MB", "x"), ("a-long-name", "bundled", "13.0 MB", "y  ")]
    assert columns(rows, right={2}) == [
        "a            user      0.2 MB  x",
        "a-long-name  bundled  13.0 MB  y",
    ]
