"""A dataset folder on disk: its files and columns, written atomically, read back and checked.

* ``meta.json``: format name and version, ticks per beat, creation settings,
  counts per split and skipped files by reason;
* ``notes.npy``: int32 (M, 4) grid rows ``start_tick, pitch, duration_ticks, velocity``,
  every piece's notes one after the other (loaded memory-mapped);
* ``pieces.npy``: int64 (P, 7) rows, see :data:`PIECE_COLUMNS`;
* ``sources.json``: each piece's path relative to the input folder it was found under;
* ``skipped.json``: each skipped file with its input folder and reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from segue.dataset.summary import format_summary
from segue.errors import SegueError
from segue.files import check_replaceable, write_folder_atomically
from segue.grid import ROW_COLUMNS

FORMAT_NAME = "segue-dataset"
FORMAT_VERSION = 1
PIECE_COLUMNS = (
    "offset",
    "count",
    "split",
    "ts_numerator",
    "ts_denominator",
    "length_ticks",
    "input",
)
NOTE_COLUMNS = ROW_COLUMNS


# ---------------------------------------------------------------- writing


def is_dataset(path: Path) -> bool:
    """Whether ``path`` holds a prepared segue dataset."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT_NAME


def check_output(out: Path, force: bool) -> None:
    """Refuse to replace an existing path unless forced, and never replace a non-dataset."""
    check_replaceable(out, force, "a segue dataset", is_dataset)


def _write_json(path: Path, value: Any) -> None:
    """``value`` as JSON in UTF-8; a file name in no UTF-8 (a lone surrogate) is escaped."""
    text = json.dumps(value, indent=1, ensure_ascii=False)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(value, indent=1).encode("ascii")
    path.write_bytes(data + b"\n")


def write_folder(
    folder: Path,
    meta: dict,
    notes: np.ndarray,
    pieces: np.ndarray,
    sources: list[str],
    skipped: list[dict[str, str]],
) -> None:
    """The dataset's files in ``folder``, meta.json last (a folder without it is no dataset)."""
    np.save(folder / "notes.npy", notes)
    np.save(folder / "pieces.npy", pieces)
    _write_json(folder / "sources.json", sources)
    _write_json(folder / "skipped.json", skipped)
    _write_json(folder / "meta.json", meta)


def write_atomically(out: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Write into a temporary folder beside ``out``, then rename it into place."""
    write_folder_atomically(out, write, lambda: check_output(out, force))


# ---------------------------------------------------------------- reading


def _damaged(path: Path, why: str) -> SegueError:
    return SegueError(f"{path}: the dataset is damaged ({why}); prepare it again")


def read_meta(path: Path) -> dict:
    """The folder's meta.json, checked: :class:`SegueError` if missing, foreign or damaged."""
    if not path.exists():
        raise SegueError(f"{path}: no such dataset (make one with `segue data prepare`)")
    meta_path = path / "meta.json"
    if not path.is_dir() or not meta_path.exists():
        raise SegueError(
            f"{path}: not a segue dataset (no meta.json); make one with `segue data prepare`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _damaged(path, f"meta.json unreadable: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise SegueError(f"{path}: not a segue dataset (meta.json names another format)")
    if meta.get("version") != FORMAT_VERSION:
        raise SegueError(
            f"{path}: dataset format version {meta.get('version')!r}, but this segue reads "
            f"version {FORMAT_VERSION}; prepare it again with this segue"
        )
    try:
        format_summary(meta)  # reads every field the summary and the loader need
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _damaged(path, f"meta.json lacks or garbles {exc}") from None
    return meta


def _load_array(path: Path, name: str, mmap: bool) -> np.ndarray:
    file = path / name
    try:
        if mmap and file.stat().st_size > 0:
            try:
                return np.load(file, mmap_mode="r", allow_pickle=False)
            except ValueError:  # an empty array cannot be memory-mapped
                pass
        return np.load(file, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise _damaged(path, _array_trouble(name, exc)) from None


def _array_trouble(name: str, exc: BaseException) -> str:
    """What is wrong with the array file ``name``, in a line: NumPy's words for a file that
    is no array advise loading it unsafely, which a damaged dataset must never suggest."""
    if isinstance(exc, FileNotFoundError):
        return f"{name} is missing"
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder"
    if isinstance(exc, ValueError) and "pickle" in str(exc):
        return f"{name} is no array file: damaged, or another kind of file"
    return f"{name}: {exc}"


def _check_arrays(
    path: Path, meta: dict, notes: np.ndarray, pieces: np.ndarray, sources: Any
) -> None:
    if notes.ndim != 2 or notes.shape[1] != len(NOTE_COLUMNS) or notes.dtype != np.int32:
        raise _damaged(path, f"notes.npy has shape {notes.shape} and type {notes.dtype}")
    if pieces.ndim != 2 or pieces.shape[1] != len(PIECE_COLUMNS):
        raise _damaged(path, f"pieces.npy has shape {pieces.shape}")
    if not isinstance(sources, list) or len(sources) != len(pieces):
        raise _damaged(path, "sources.json does not list one source per piece")
    if len(pieces) != meta["counts"].get("pieces") or len(notes) != meta["counts"].get("notes"):
        raise _damaged(path, "the arrays do not match the counts in meta.json")
    if len(pieces) and int((pieces[:, 0] + pieces[:, 1]).max()) > len(notes):
        raise _damaged(path, "pieces.npy points past the end of notes.npy")


def read_arrays(path: Path, meta: dict) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The notes (memory-mapped), the piece table and the sources, checked against ``meta``."""
    notes = _load_array(path, "notes.npy", mmap=True)
    pieces = _load_array(path, "pieces.npy", mmap=False)
    try:
        sources = json.loads((path / "sources.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _damaged(path, f"sources.json: {exc}") from None
    _check_arrays(path, meta, notes, pieces, sources)
    return notes, pieces, sources


def read_skipped(path: Path) -> list[dict[str, str]]:
    """The files prepare left out: ``input``, ``source`` and ``reason``."""
    file = path / "skipped.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else []
