"""Temporary files and folders that an ended segue left behind, found and removed.

segue writes each file or folder under a hidden temporary name beside it and renames it
into place (:mod:`segue.files`); a process ended where no cleanup runs (``kill -9``, a power
cut, Windows ending a Learn's tuning from outside) leaves that temporary one for ever. The
next write into the folder removes them (:func:`remove_leftovers`): only names of segue's
own making, only of a process that is no longer running (:func:`process_running`, a test
that is safe on every OS), and only untouched for :data:`UNTOUCHED` s, so that a write of
another computer's segue into a shared folder (whose process IDs mean nothing here) is
never cut short.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

UNTOUCHED = 600.0
"""Seconds a leftover must be unmodified before it is removed: a write of segue's takes
seconds at most (a checkpoint's, a card's, a take's, a dataset's folder)."""

_FILE = re.compile(r"\.(?P<target>.+)\.segue-(?P<pid>[0-9]+)\.tmp")
"""``.NAME.segue-PID.tmp``: :func:`segue.files.temporary_beside`'s name for ``NAME``'s new
content (segue's name in it: a hidden ``.NAME.PID.tmp`` of another program's is not taken
for one, in a musician's own folder)."""
_LONG = re.compile(r"\.segue-(?P<pid>[0-9]+)-[0-9a-f]{8}\.tmp")
"""The same for a name too long to take it (``.segue-PID-HEX.tmp``)."""
_FOLDER = re.compile(r"\.(?P<target>.+)\.segue-(?P<kind>tmp|old)-(?P<pid>[0-9]+)-[0-9a-f]{8}")
"""A folder's new content (``tmp``) or the folder it replaces, moved aside (``old``)."""


@dataclass(frozen=True)
class Leftover:
    """A temporary file or folder of segue's: what it was for (``target``, the name it
    would have taken; empty when too long to be said in it), its process, its kind."""

    path: Path
    target: str
    pid: int
    kind: str  # "file", "tmp" (a folder's new content) or "old" (a folder moved aside)


def parsed(path: Path) -> Leftover | None:
    """The leftover ``path`` names, or None when its name is none of segue's."""
    name = path.name
    for pattern, kind in ((_LONG, "file"), (_FILE, "file"), (_FOLDER, "")):
        found = pattern.fullmatch(name)
        if found is not None:
            groups = found.groupdict()
            return Leftover(
                path, groups.get("target") or "", int(found["pid"]), kind or groups["kind"]
            )
    return None


def process_running(pid: int, platform: str | None = None) -> bool:
    """Whether process ``pid`` is running (``platform``: ``sys.platform``'s value). POSIX
    sends it signal 0, which tests and delivers nothing; on Windows that call would END it
    (``os.kill`` calls TerminateProcess there), so Windows is asked with OpenProcess and
    GetExitCodeProcess. When in doubt (no right to ask, an error) it counts as running."""
    if pid <= 0:
        return True
    if pid == os.getpid():
        return True  # this process: a write of another thread's
    if (platform or sys.platform) == "win32":
        return _windows_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's process
        return True
    return True


def _windows_running(pid: int) -> bool:
    """:func:`process_running` on Windows (kernel32, as psutil asks it)."""
    if sys.platform != "win32":  # asked on Windows only (kernel32 is Windows')
        return True
    import ctypes
    from ctypes import wintypes

    query, still_active, invalid_parameter = 0x1000, 259, 87  # winnt.h, minwinbase.h, winerror.h
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    handle = kernel32.OpenProcess(query, False, pid)
    if not handle:
        return ctypes.get_last_error() != invalid_parameter
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def stale(leftover: Leftover, now: float | None = None) -> bool:
    """Whether ``leftover``'s process has ended and it is untouched for :data:`UNTOUCHED` s."""
    try:
        modified = leftover.path.lstat().st_mtime
    except OSError:
        return False
    untouched = (time.time() if now is None else now) - modified >= UNTOUCHED
    return untouched and not process_running(leftover.pid)


def _stale_in(folder: Path, now: float | None) -> list[Leftover]:
    """Every stale leftover in ``folder``, in the order of their names."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name[:1] == ".")
    except OSError:
        return []
    found = [x for x in map(parsed, (folder / n for n in names)) if x is not None]
    return [x for x in found if stale(x, now)]


def restore_moved_aside(folder: Path, now: float | None = None) -> list[Path]:
    """Put back in its place each folder that a replace ended between its two moves left
    moved aside (``old``, the folder inside it under its own name) where that place is still
    empty: a musician's dataset or report, hidden for ever otherwise; the folders put back.
    Never raises: one that cannot be moved now stays for a later write."""
    restored = []
    for x in _stale_in(folder, now):
        place = folder / x.target
        if x.kind != "old" or os.path.lexists(place):
            continue
        try:
            os.replace(x.path / x.target, place)
            x.path.rmdir()
        except OSError:
            continue
        restored.append(place)
    return restored


def leftovers(folder: Path, now: float | None = None) -> list[Leftover]:
    """The stale leftovers in ``folder``, in the order of their names; a folder that was
    moved aside (``old``) only where its place is taken again: where it is not, it is the
    only copy (:func:`restore_moved_aside` puts it back), and a folder's new content beside
    it is kept with it."""
    found = _stale_in(folder, now)
    orphaned = {
        (x.target, x.pid)
        for x in found
        if x.kind == "old" and not os.path.lexists(folder / x.target)
    }
    return [x for x in found if x.kind == "file" or (x.target, x.pid) not in orphaned]


def remove_leftovers(folder: Path, now: float | None = None) -> list[Path]:
    """Remove :func:`leftovers` from ``folder``; what was removed. Never raises: a leftover
    that cannot be removed now (held open on Windows) is left for a later write."""
    restore_moved_aside(folder, now)
    removed = []
    for leftover in leftovers(folder, now):
        try:
            if leftover.path.is_dir() and not leftover.path.is_symlink():
                shutil.rmtree(leftover.path)
            else:
                leftover.path.unlink()
        except OSError:
            continue
        removed.append(leftover.path)
    return removed
