"""Writing files and folders atomically, and replacing a folder that another program holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from segue import files
from segue.errors import SegueError
from segue.files import write_folder_atomically


def _write(text: str):
    def write(folder: Path) -> None:
        (folder / "data.txt").write_text(text, encoding="utf-8")

    return write


def _held(monkeypatch, held: Path, *, at_put_back: bool = False) -> None:
    """os.replace as on Windows while another program has a file of ``held`` open: moving
    ``held`` aside fails (or, ``at_put_back``, moving the new folder into its place fails)."""
    real = os.replace

    def replace(src, dst) -> None:
        new_in = Path(dst) == held and ".tmp-" in Path(src).name
        blocked = new_in if at_put_back else Path(src) == held
        if blocked:
            raise PermissionError(13, "Access is denied", str(src))
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)


def test_a_folder_is_replaced_whole(tmp_path) -> None:
    out = tmp_path / "report"
    write_folder_atomically(out, _write("first"))
    write_folder_atomically(out, _write("second"))
    assert (out / "data.txt").read_text(encoding="utf-8") == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


@pytest.mark.parametrize("at_put_back", [False, True])
def test_a_folder_held_by_another_program_is_one_line_and_left_as_it_was(
    tmp_path, monkeypatch, at_put_back: bool
) -> None:
    out = tmp_path / "report"
    write_folder_atomically(out, _write("first"))
    _held(monkeypatch, out, at_put_back=at_put_back)
    with pytest.raises(SegueError) as caught:
        write_folder_atomically(out, _write("second"))
    message = str(caught.value)
    assert (
        message.startswith(f"{out}: cannot replace it (Access is denied)") and "\n" not in message
    )
    assert "close that program and try again" in message
    assert (out / "data.txt").read_text(encoding="utf-8") == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no .old-* or .tmp-* folder
