"""What an ended segue left (kill -9, a power cut): segue's own temporary names, of a process
gone, removed by the next write into their folder; nothing else, and nothing still written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from segue.files import write_file_atomically, write_folder_atomically
from segue.leftovers import UNTOUCHED, parsed, process_running


def _gone_pid() -> int:
    """The process ID of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _aged(path: Path, seconds: float = UNTOUCHED + 60) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _file(path: Path, old: bool = True) -> Path:
    path.write_bytes(b"half a file")
    return _aged(path) if old else path


def _folder(path: Path) -> Path:
    path.mkdir()
    (path / "notes.npy").write_bytes(b"half a dataset")
    return _aged(path)


def test_the_next_write_removes_what_an_ended_process_left_and_nothing_else(tmp_path) -> None:
    """A `segue generate`, a tuning or a `segue data prepare` killed mid-write left its hidden
    temporary file or folder for ever. The next write into that folder removes each of
    segue's temporary names whose process is gone; a running process's (here: a sleeping
    child's), a fresh one (another computer's segue may be writing into a shared folder), and
    names that are not segue's (another program's hidden `.NAME.PID.tmp` in a musician's own
    folder) are kept, as is a folder moved aside whose place is empty (the
    only copy left)."""
    gone = _gone_pid()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        removed = [
            _file(tmp_path / f".take.mid.segue-{gone}.tmp"),
            _file(tmp_path / f".mine.pt.segue-{gone}.tmp"),
            _file(tmp_path / f".segue-{gone}-0a1b2c3d.tmp"),
            _folder(tmp_path / f".data.segue-tmp-{gone}-0a1b2c3d"),
            _folder(tmp_path / f".report.segue-old-{gone}-0a1b2c3d"),
        ]
        (tmp_path / "report").mkdir()  # the report's replacement took its place
        kept = [
            _file(tmp_path / f".take.mid.segue-{running.pid}.tmp"),  # still being written
            _file(tmp_path / f".take.mid.segue-{os.getpid()}.tmp"),  # this process's (a thread's)
            _file(tmp_path / f".fresh.mid.segue-{gone}.tmp", old=False),
            _file(tmp_path / ".notes.tmp"),
            _file(tmp_path / f"take.mid.segue-{gone}.tmp"),  # not hidden
            _file(tmp_path / f".take.mid.{gone}.tmp"),  # another program's, not segue's
            _folder(tmp_path / f".data.tmp-{gone}-0a1b2c3d"),  # the same
            _file(tmp_path / f".take.mid.segue-{gone}x.tmp"),
            _file(tmp_path / f".segue-{gone}-nothex00.tmp"),
        ]
        out = write_file_atomically(tmp_path / "next.mid", lambda tmp: tmp.write_bytes(b"MThd"))
        assert out.read_bytes() == b"MThd"
        left = set(tmp_path.iterdir())
        assert not left & set(removed), sorted(p.name for p in left & set(removed))
        assert set(kept) <= left, sorted(p.name for p in set(kept) - left)
        # a folder's write sweeps its folder too
        again = _file(tmp_path / f".again.mid.segue-{gone}.tmp")
        write_folder_atomically(
            tmp_path / "eval", lambda tmp: (tmp / "r.md").write_text("r", encoding="utf-8")
        )
        assert not again.exists() and (tmp_path / "eval" / "r.md").exists()
    finally:
        running.kill()
        running.wait()


def test_names_are_read_back_as_segue_writes_them(tmp_path) -> None:
    from segue.files import temporary_beside

    out = tmp_path / "a.b.mid"
    found = parsed(temporary_beside(out))
    assert found is not None and (found.target, found.pid, found.kind) == (
        "a.b.mid",
        os.getpid(),
        "file",
    )
    long = parsed(temporary_beside(tmp_path / ("x" * 250 + ".mid")))
    assert long is not None and (long.target, long.pid) == ("", os.getpid())
    assert parsed(tmp_path / "b.mid") is None


def test_a_windows_process_is_never_asked_with_a_signal(monkeypatch) -> None:
    """On Windows `os.kill(pid, 0)` does not test the process: it ENDS it (TerminateProcess).
    Asked as on Windows, the test sends no signal (kernel32's OpenProcess answers there; off
    Windows it counts the process as running, so nothing is removed)."""

    def no_kill(pid: int, sig: int) -> None:
        raise AssertionError(f"os.kill({pid}, {sig}) would end the process on Windows")

    monkeypatch.setattr(os, "kill", no_kill)
    assert process_running(_gone_pid(), platform="win32") is (sys.platform != "win32")
    with pytest.raises(AssertionError):
        process_running(_gone_pid(), platform="linux")


def test_a_folder_a_killed_replace_moved_aside_is_put_back_where_its_place_is_empty(
    tmp_path,
) -> None:
    """A dataset's or a report's replace killed between moving the old folder aside and the
    new one in left the musician's folder hidden (`.set.segue-old-PID-HEX/set`) and its place
    empty for ever. The next write puts it back whole, and sweeps the half-written new one; a
    folder moved aside whose place is taken again is removed, and a running process's kept."""
    gone = _gone_pid()
    aside = tmp_path / f".set.segue-old-{gone}-0a1b2c3d"
    (aside / "set").mkdir(parents=True)
    (aside / "set" / "notes.npy").write_bytes(b"the musician's dataset")
    _aged(aside)
    half = _folder(tmp_path / f".set.segue-tmp-{gone}-0a1b2c3d")
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        busy = tmp_path / f".own.segue-old-{running.pid}-0a1b2c3d"
        (busy / "own").mkdir(parents=True)
        _aged(busy)
        write_file_atomically(tmp_path / "next.mid", lambda tmp: tmp.write_bytes(b"MThd"))
        assert (tmp_path / "set" / "notes.npy").read_bytes() == b"the musician's dataset"
        assert not aside.exists() and not half.exists()
        assert (busy / "own").is_dir() and not (tmp_path / "own").exists()
    finally:
        running.kill()
        running.wait()
