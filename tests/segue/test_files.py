"""Files and folders written atomically; never replacing what is not segue's."""

from __future__ import annotations

from pathlib import Path

import pytest

from segue.errors import SegueError
from segue.files import check_replaceable, write_file_atomically, write_folder_atomically


def _fail(path: Path) -> None:
    path.write_text("half")
    raise RuntimeError("the disk is full")


def test_a_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "new" / "notes.txt"
    assert write_file_atomically(out, lambda p: p.write_text("whole")) == out
    assert out.read_text() == "whole"
    with pytest.raises(RuntimeError):
        write_file_atomically(out, _fail)
    assert out.read_text() == "whole"
    assert sorted(p.name for p in out.parent.iterdir()) == ["notes.txt"]  # no temporary left


def test_a_folder_is_replaced_whole_or_left_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_folder_atomically(out, lambda p: (p / "a.md").write_text("one"))
    write_folder_atomically(out, lambda p: (p / "b.md").write_text("two"))
    assert [p.name for p in out.iterdir()] == ["b.md"]

    def refuse() -> None:
        raise SegueError("something else appeared there")

    with pytest.raises(SegueError):
        write_folder_atomically(out, lambda p: (p / "c.md").write_text("three"), check=refuse)
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
    (tmp_path / "file").write_text("mine")
    with pytest.raises(SegueError, match="is a file; a dataset needs a folder"):
        check_replaceable(tmp_path / "file", True, "a dataset", ours)
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    for folder in (theirs, mine):
        folder.mkdir()
        (folder / "notes.txt").write_text("x")
    (mine / "segue.json").write_text("{}")
    with pytest.raises(SegueError, match="already exists; use --force to replace a dataset"):
        check_replaceable(mine, False, "a dataset", ours)
    check_replaceable(mine, True, "a dataset", ours)
    with pytest.raises(SegueError, match="exists and is not a dataset; refusing to replace it"):
        check_replaceable(theirs, True, "a dataset", ours)
