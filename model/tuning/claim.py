"""A tuning's claim on the name it installs as, so that two tunings never run into one name.

Two tunings into one name at once (two ``segue tune -o same``, or one and a Learn from the
device) both ran to the end, and the second was then refused as the name was taken: its
minute of tuning was lost. A tuning now claims its name first, and a second one is refused
at once, in one line.

The claim is an OS lock on a file in segue's home (``tuning/NAME.claim``, the name in one
case, as macOS and Windows take names in any case for one): the OS lets go of a lock when its
process ends, however it ends, so a crashed or killed run leaves no claim behind. The file is
removed when the claim ends.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from segue.home import segue_home
from segue.model.registry import check_new_name
from segue.model.tuning.install import NameTaken

TRIES = 5
"""How often a claim is tried again when its file was removed (a claim ending) meanwhile."""


class NameBeingTuned(NameTaken):
    """Another tuning has claimed the name."""


def claim_path(name: str) -> Path:
    """The file whose lock claims ``name``."""
    return segue_home() / "tuning" / f"{name.casefold()}.claim"


def _lock(fd: int) -> bool:
    """Lock ``fd`` without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (a claim that ended removed it)."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _take(path: Path, name: str) -> int | None:
    """The locked file's descriptor; None where no claim can be made there (a home that
    cannot be written, which the tuning's own check of its folder then says)."""
    for _ in range(TRIES):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None
        if not _lock(fd):
            os.close(fd)
            raise NameBeingTuned(
                f"{name!r} is being tuned by another run (a `segue tune` or a Learn) right "
                "now; wait for it to end, or choose another name"
            )
        if _same_file(fd, path):
            return fd
        _unlock(fd)  # the claim it was waiting on ended and removed its file: anew
        os.close(fd)
    return None


@contextmanager
def claimed(name: str) -> Iterator[None]:
    """Hold the claim on model name ``name`` while the block runs; a one-line
    :class:`NameBeingTuned` when another process holds it (checked as a name first)."""
    check_new_name(name)
    path = claim_path(name)
    fd = _take(path, name)
    try:
        yield
    finally:
        if fd is not None:
            if sys.platform != "win32":  # removed while locked: a run waiting on it tries anew
                path.unlink(missing_ok=True)
            _unlock(fd)
            os.close(fd)
            if sys.platform == "win32":  # (Windows removes no file another process has open)
                try:
                    path.unlink()
                except OSError:
                    pass
