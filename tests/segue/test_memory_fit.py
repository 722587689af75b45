"""segue.memory_fit: the checkpoints `segue memory` reads and writes, refused in one line
before any fit (real checkpoint files in a temp folder), and the lines it says of a fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from segue.errors import SegueError
from segue.memory_fit import home_line, memory_paths, palette_line
from segue.model.registry import BUNDLED_DIR


def test_a_fit_is_written_in_place_or_to_a_new_file(tmp_path: Path, models_dir: Path) -> None:
    model = tmp_path / "t.pt"
    shutil.copy(models_dir / "tiny.pt", model)
    assert memory_paths(model, None, True, False) == (model, model)
    assert memory_paths(model, tmp_path / "new.pt", False, False) == (model, tmp_path / "new.pt")
    for output, in_place in ((None, False), (tmp_path / "new.pt", True)):
        with pytest.raises(SegueError, match="give either -o OUTPUT or --in-place"):
            memory_paths(model, output, in_place, False)


def test_an_existing_file_needs_force_and_a_bundled_model_is_never_rewritten(
    tmp_path: Path, models_dir: Path
) -> None:
    model, taken = tmp_path / "t.pt", tmp_path / "taken.pt"
    shutil.copy(models_dir / "tiny.pt", model)
    taken.write_bytes(b"")
    with pytest.raises(SegueError, match="taken.pt already exists; use --force"):
        memory_paths(model, taken, False, False)
    assert memory_paths(model, taken, False, True)[1] == taken
    with pytest.raises(SegueError, match="bundled with segue, which segue never rewrites"):
        memory_paths(Path("melody"), None, True, False)  # an installed model, by name
    with pytest.raises(SegueError, match="never rewrites"):
        memory_paths(model, BUNDLED_DIR / "new.pt", False, False)


def test_the_palette_and_the_clips_auto_gives_are_said() -> None:
    gain = {"windows": 1234, "without": 2.5, "with": 2.25}
    assert palette_line("valid", gain) == (
        "palette on: the valid split's continuations (o+p+d, 1,234 windows) 2.500 -> 2.250 "
        "nats/note"
    )
    home = {"p50": 1.234, "p95": 2.5, "clips": 1500}
    assert home_line("test", home) == (
        "its own test clips surprise it 1.23 nats/note (median), 2.50 at most for 95% "
        "(1,500 clips of 4 bars): `auto` gives it clips like them"
    )
    assert home_line("valid", None).startswith("no clip of 4 bars in the valid split")


def test_a_missing_checkpoint_file_is_said_to_be_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # `segue memory mine.pt`: a file's name, no model's
    for written in ("mine.pt", "run/best.pt"):
        with pytest.raises(SegueError, match=f"^{written}: no such checkpoint file$"):
            memory_paths(Path(written), tmp_path / "out.pt", False, False)
