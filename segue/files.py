"""Writing files and folders atomically, and never replacing what is not segue's.

Everything is written under a temporary name beside its destination and then
renamed into place, so a failure or a crash never leaves half a file (or half
a folder) where the whole one should be, and the temporary one is removed. What a process
ended with no cleanup (``kill -9``, a power cut) left is removed by the next write into its
folder (:mod:`segue.leftovers`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from segue.errors import SegueError
from segue.leftovers import remove_leftovers


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file (after one was written over the other: a seed
    and an output named alike in another case, on a Mac's or a PC's disk, too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_file_atomically(out: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write`` with a temporary path beside ``out``, then rename that file to ``out``.

    ``out``'s folder is created if needed; ``out`` is returned.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent)
    tmp = temporary_beside(out)
    try:
        write(tmp)
        replace_file(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


NAME_BYTES = 255
"""The longest file name macOS, Windows and Linux file systems take (bytes or UTF-16
units; 255 UTF-8 bytes is within both)."""


def temporary_beside(out: Path) -> Path:
    """A hidden temporary file beside ``out`` for its new content, named after it where the
    name fits: a name that fitted only just (250 bytes) was refused for its temporary
    file's name ("File name too long" of a name the musician never gave). Its name says it
    is segue's (``.NAME.segue-PID.tmp``): what a killed segue left is removed by a later
    write (``segue.leftovers``), and no other program's file may look like it."""
    tmp = out.with_name(f".{out.name}.segue-{os.getpid()}.tmp")
    if len(os.fsencode(tmp.name)) <= NAME_BYTES:
        return tmp
    return out.with_name(f".segue-{os.getpid()}-{secrets.token_hex(4)}.tmp")


RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)
"""Seconds to wait before each new try of a rename that Windows refused."""


def replace_file(tmp: Path, out: Path, platform: str | None = None) -> None:
    """Rename ``tmp`` to ``out``, replacing it. On Windows (``platform``: ``sys.platform``'s
    value) a file just written or replaced is often held open for a moment by an antivirus
    scan, the search indexer or a cloud folder's sync, and the rename is refused
    (PermissionError): it is tried again for about 1.5 s before the refusal stands."""
    waits = RETRIES if (platform or sys.platform) == "win32" else ()
    for wait in waits:
        try:
            os.replace(tmp, out)
            return
        except PermissionError:
            time.sleep(wait)
    os.replace(tmp, out)


def _fresh_folder(near: Path, label: str) -> Path:
    """A new, empty folder beside ``near`` (made with the usual permissions, unlike mkdtemp),
    named as segue's (``.NAME.segue-LABEL-PID-HEX``, as :func:`temporary_beside`)."""
    while True:
        name = f".{near.name}.segue-{label}-{os.getpid()}-{secrets.token_hex(4)}"
        folder = near.parent / name
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def write_folder_atomically(
    out: Path, write: Callable[[Path], object], check: Callable[[], object] = lambda: None
) -> None:
    """Call ``write`` with a new folder beside ``out``, then rename that folder to ``out``.

    ``check`` runs after writing, just before an existing ``out`` is replaced (to refuse
    what appeared there meanwhile); if it or ``write`` raises, ``out`` is left as it was.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent)
    tmp = _fresh_folder(out, "tmp")
    try:
        write(tmp)
        check()
        if out.exists():
            _replace_folder(tmp, out)
        else:
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _replace_folder(new: Path, out: Path) -> None:
    """Put the folder ``new`` where the folder ``out`` is: ``out`` is moved aside, ``new`` takes
    its place, then the old one is removed. If a move fails (on Windows, a file in ``out`` held
    open by Explorer, an antivirus scan or a memory map), ``out`` stays as it was."""
    old = _fresh_folder(out, "old")
    try:
        os.replace(out, old / out.name)
    except OSError as exc:
        old.rmdir()
        raise _cannot_replace(out, exc) from None
    try:
        os.replace(new, out)
    except OSError as exc:
        os.replace(old / out.name, out)
        old.rmdir()
        raise _cannot_replace(out, exc) from None
    shutil.rmtree(old, ignore_errors=True)


def _cannot_replace(out: Path, exc: OSError) -> SegueError:
    return SegueError(
        f"{out}: cannot replace it ({exc.strerror or type(exc).__name__}); if another program "
        "has a file in it open, close that program and try again"
    )


def check_replaceable(out: Path, force: bool, what: str, is_ours: Callable[[Path], bool]) -> None:
    """Refuse to replace ``out`` unless it is missing or an empty folder, or ``force`` is given
    and it is one of ours (``is_ours``); ``what`` names ours in the error ("a segue dataset").

    A user's file or folder is never replaced: not even with --force, unless segue wrote it.
    """
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise SegueError(f"{out}: is a file; {what} needs a folder")
    if not any(out.iterdir()):
        return
    ours = is_ours(out)
    if not force and ours:
        raise SegueError(f"{out} already exists; use --force to replace {what}")
    if not ours:
        raise SegueError(
            f"{out} exists and is not {what}; refusing to replace it "
            "(choose another name or remove it yourself)"
        )


def check_writable(paths: Iterable[Path]) -> None:
    """Stop before any work if an output (a file, or a folder to make) cannot be written
    where it goes: a file stands where a folder belongs, or the folder is not the user's
    to write in."""
    for path in paths:
        folder = Path(path).parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise SegueError(f"cannot write {path}: {folder} is a file, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise SegueError(f"cannot write {path}: no permission to write in {folder}")


def _concerns(failed: Path, output: Path) -> bool:
    """Whether a file that could not be written is ``output``, one of its folders, or a file
    beside or inside it (a temporary file, a folder's contents)."""
    failed, output = Path(os.path.abspath(failed)), Path(os.path.abspath(output))
    return (
        failed == output
        or failed in output.parents
        or failed.parent == output.parent
        or output in failed.parents
    )


@contextmanager
def writing(output: Path | str) -> Iterator[None]:
    """A failure to write ``output`` (or beside or inside it) as one line, not a traceback."""
    try:
        yield
    except OSError as exc:
        failed = None if exc.filename is None else Path(os.fsdecode(exc.filename))
        if failed is not None and not _concerns(failed, Path(output)):
            raise
        if failed is not None and failed.is_file() and failed != Path(output):
            reason = f"{failed} is a file, not a folder"
        else:
            reason = exc.strerror or str(exc)
        raise SegueError(f"cannot write {output}: {reason}") from None
