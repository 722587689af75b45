"""Files and folders written atomically, never replacing what is not segue's, and a folder
that another program holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from segue import files
from segue.errors import SegueError
from segue.files import check_replaceable, write_file_atomically, write_folder_atomically


def _fail(path: Path) -> None:
    path.write_text("half", encoding="utf-8")
    raise RuntimeError("the disk is full")


def test_a_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "new" / "notes.txt"
    assert write_file_atomically(out, lambda p: p.write_text("whole", encoding="utf-8")) == out
    assert out.read_text(encoding="utf-8") == "whole"
    with pytest.raises(RuntimeError):
        write_file_atomically(out, _fail)
    assert out.read_text(encoding="utf-8") == "whole"
    assert sorted(p.name for p in out.parent.iterdir()) == ["notes.txt"]  # no temporary left


def test_a_folder_is_replaced_whole_or_left_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_folder_atomically(out, lambda p: (p / "a.md").write_text("one", encoding="utf-8"))
    write_folder_atomically(out, lambda p: (p / "b.md").write_text("two", encoding="utf-8"))
    assert [p.name for p in out.iterdir()] == ["b.md"]

    def refuse() -> None:
        raise SegueError("something else appeared there")

    with pytest.raises(SegueError):
        write_folder_atomically(
            out, lambda p: (p / "c.md").write_text("three", encoding="utf-8"), check=refuse
        )
    with pytest.raises(RuntimeError):
        write_folder_atomically(out, lambda p: _fail(p / "d.md"))
    assert [p.name for p in out.iterdir()] == ["b.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no temporary left


def test_only_segue_s_own_folders_are_replaced_and_only_with_force(tmp_path: Path) -> None:
    def ours(path: Path) -> bool:
        return (path / "segue.json").exists()

    check_replaceable(tmp_path / "missing", False, "a dataset", ours)
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty", False, "a dataset", ours)
    (tmp_path / "file").write_text("mine", encoding="utf-8")
    with pytest.raises(SegueError, match="is a file; a dataset needs a folder"):
        check_replaceable(tmp_path / "file", True, "a dataset", ours)
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    for folder in (theirs, mine):
        folder.mkdir()
        (folder / "notes.txt").write_text("x", encoding="utf-8")
    (mine / "segue.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SegueError, match="already exists; use --force to replace a dataset"):
        check_replaceable(mine, False, "a dataset", ours)
    check_replaceable(mine, True, "a dataset", ours)
    for force in (True, False):  # without --force, not told that --force would do
        with pytest.raises(SegueError, match="exists and is not a dataset; refusing to replace"):
            check_replaceable(theirs, force, "a dataset", ours)


def _write(text: str):
    def write(folder: Path) -> None:
        (folder / "data.txt").write_text(text, encoding="utf-8")

    return write


def _held(monkeypatch, held: Path, *, at_put_back: bool = False) -> None:
    """os.replace as on Windows while another program has a file of ``held`` open: moving
    ``held`` aside fails (or, ``at_put_back``, moving the new folder into its place fails)."""
    real = os.replace

    def replace(src, dst) -> None:
        new_in = Path(dst) == held and ".segue-tmp-" in Path(src).name
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
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no .segue-old-* or -tmp-* left


def test_a_rename_windows_refuses_for_a_moment_is_tried_again(tmp_path, monkeypatch) -> None:
    """An antivirus scan holding the file just written: Windows refuses the rename
    (PermissionError) for a moment. Only Windows does that, so os.replace stands in."""
    real, calls = os.replace, []

    def held(src, dst):
        calls.append(dst)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file")
        real(src, dst)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(files, "RETRIES", (0.0,) * 5)
    tmp, out = tmp_path / "new", tmp_path / "last.pt"
    tmp.write_text("weights", encoding="utf-8")
    files.replace_file(tmp, out, platform="win32")
    assert out.read_text(encoding="utf-8") == "weights" and len(calls) == 3
    calls.clear()
    tmp.write_text("again", encoding="utf-8")
    with pytest.raises(PermissionError):  # elsewhere a refusal is a refusal
        files.replace_file(tmp, out, platform="linux")
    assert len(calls) == 1


def test_a_rename_refused_for_good_is_refused_after_the_tries(tmp_path, monkeypatch) -> None:
    def refused(src, dst):
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(os, "replace", refused)
    monkeypatch.setattr(files, "RETRIES", (0.0,) * 5)
    with pytest.raises(PermissionError):
        files.replace_file(tmp_path / "a", tmp_path / "b", platform="win32")


def test_a_name_that_fits_is_written_though_its_temporary_name_would_not(tmp_path) -> None:
    """A 250-byte name was refused ("File name too long") for the hidden temporary file
    segue writes first, 10 bytes longer, named in the error (helper-43)."""
    from segue.files import NAME_BYTES, write_file_atomically

    out = tmp_path / ("a" * (NAME_BYTES - 9) + ".mid")
    assert len(out.name.encode()) == 250
    write_file_atomically(out, lambda tmp: tmp.write_bytes(b"MThd"))
    assert out.read_bytes() == b"MThd" and [p.name for p in tmp_path.iterdir()] == [out.name]
