"""Prepared datasets: every MIDI file of some folders encoded on the grid, split by file.

``prepare_dataset`` reads the files in parallel and writes a DATASET folder:

* ``meta.json``: format name and version, ticks per beat, creation settings,
  counts per split and skipped files by reason;
* ``notes.npy``: int32 (M, 4) rows ``start_tick, pitch, duration_ticks, velocity``,
  every piece's notes one after the other (loaded memory-mapped);
* ``pieces.npy``: int64 (P, 7) rows, see :data:`PIECE_COLUMNS`;
* ``sources.json``: each piece's path relative to the input folder it was found under;
* ``skipped.json``: each skipped file with its input folder and reason.

A file's split (train, valid or test) comes from a SHA-1 hash of its relative
path, so adding files never moves the old ones and moving the whole folder
moves nothing either.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import numbers
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from segue import __version__
from segue.errors import MidiFileError, SegueError
from segue.fast_midi import NoteTable, read_note_table, table_from_clip
from segue.files import check_replaceable, write_folder_atomically
from segue.grid import TICKS_PER_BEAT, to_ticks
from segue.midi_io import TrackChoice, is_midi_path, read_midi
from segue.notes import Clip, TimeSignature

FORMAT_NAME = "segue-dataset"
FORMAT_VERSION = 1
SPLITS = ("train", "valid", "test")
PIECE_COLUMNS = ("offset", "count", "split", "ts_numerator", "ts_denominator",
                 "length_ticks", "input")
NOTE_COLUMNS = ("start_tick", "pitch", "duration_ticks", "velocity")
READERS = ("fast", "mido")
_INT32_MAX = 2**31 - 1
_POOL_MIN_FILES = 32  # below this, starting worker processes costs more than it saves


class ClipTooLong(SegueError):
    """Grid times do not fit the dataset's int32 columns."""


# ---------------------------------------------------------------- encoding


def encode_notes(
    pitch: np.ndarray,
    start: np.ndarray,
    duration: np.ndarray,
    velocity: np.ndarray,
    ticks_per_beat: int = TICKS_PER_BEAT,
) -> np.ndarray:
    """Notes in beats as grid rows: int32 (n, 4) start_tick, pitch, duration_ticks, velocity.

    Times snap as :func:`segue.grid.snap_note` snaps them (a duration never
    below one tick). Rows are sorted by start then pitch; notes that land on the
    same start and pitch are merged, keeping the longer (then the louder).
    """
    start = np.asarray(start, dtype=np.float64)
    end = start + np.asarray(duration, dtype=np.float64)
    start_ticks = np.floor(start * ticks_per_beat + 0.5).astype(np.int64)
    end_ticks = np.floor(end * ticks_per_beat + 0.5).astype(np.int64)
    rows = np.stack(
        [
            start_ticks,
            np.asarray(pitch, dtype=np.int64),
            np.maximum(end_ticks - start_ticks, 1),
            np.asarray(velocity, dtype=np.int64),
        ],
        axis=1,
    ).reshape(-1, 4)
    order = np.lexsort((-rows[:, 3], -rows[:, 2], rows[:, 1], rows[:, 0]))
    rows = rows[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:, 0] != rows[:-1, 0]) | (rows[1:, 1] != rows[:-1, 1])
    rows = rows[keep]
    if len(rows) and int((rows[:, 0] + rows[:, 2]).max()) > _INT32_MAX:
        raise ClipTooLong("the clip is too long for the dataset's grid times")
    return rows.astype(np.int32)


def encode_table(table: NoteTable, ticks_per_beat: int = TICKS_PER_BEAT) -> np.ndarray:
    return encode_notes(table.pitch, table.start, table.duration, table.velocity, ticks_per_beat)


def encode_clip(clip: Clip, ticks_per_beat: int = TICKS_PER_BEAT) -> np.ndarray:
    """The clip's notes as grid rows (see :func:`encode_notes`)."""
    return encode_table(table_from_clip(clip), ticks_per_beat)


def encode_length(length_beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> int:
    ticks = to_ticks(length_beats, ticks_per_beat)
    if ticks > _INT32_MAX:
        raise ClipTooLong("the clip is too long for the dataset's grid times")
    return ticks


# ---------------------------------------------------------------- splits


def check_fractions(valid_fraction: float, test_fraction: float) -> None:
    for name, value in (("valid", valid_fraction), ("test", test_fraction)):
        if not (isinstance(value, numbers.Real) and math.isfinite(value) and 0 <= value < 1):
            raise SegueError(f"the {name} fraction must be between 0 and 1, got {value!r}")
    if valid_fraction + test_fraction >= 1:
        raise SegueError(
            f"valid and test fractions add up to {valid_fraction + test_fraction:g}; "
            "they must leave something to train on (less than 1 together)"
        )


def split_fraction(relative_path: str) -> float:
    """A stable number in [0, 1) from the path (forward slashes, any OS)."""
    key = relative_path.replace("\\", "/").encode("utf-8")
    return int.from_bytes(hashlib.sha1(key).digest()[:8], "big") / 2**64


def split_for(relative_path: str, valid_fraction: float, test_fraction: float) -> str:
    """"train", "valid" or "test" for a file, from its path relative to its input folder."""
    check_fractions(valid_fraction, test_fraction)
    x = split_fraction(relative_path)
    if x < valid_fraction:
        return "valid"
    if x < valid_fraction + test_fraction:
        return "test"
    return "train"


# ---------------------------------------------------------------- pieces and datasets


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays has no single truth value
class Piece:
    """One MIDI file of the dataset, encoded on the grid.

    ``notes`` is int32 (n, 4): start_tick, pitch, duration_ticks, velocity; sorted
    by start then pitch; on the dataset's grid (24 ticks per beat); notes on the
    same start and pitch after snapping merged, keeping the longer. It is a
    read-only view into the dataset's memory-mapped ``notes.npy``.
    """

    source: str  # path relative to its input folder ("bach/bwv66.6.mid")
    split: str  # "train" | "valid" | "test"
    time_signature: TimeSignature  # the file's first time signature (4/4 if none)
    length_ticks: int  # clip length on the grid (ticks)
    notes: np.ndarray  # int32 (n, 4): start_tick, pitch, duration_ticks, velocity

    def __len__(self) -> int:
        return len(self.notes)


class Dataset:
    """A prepared dataset, read from its folder (notes memory-mapped)."""

    def __init__(self, path: Path, meta: dict, notes: np.ndarray, pieces: np.ndarray,
                 sources: list[str]) -> None:
        self.path = path
        self.meta = meta
        self.ticks_per_beat: int = int(meta["ticks_per_beat"])
        self.notes = notes  # all notes, every piece's after the previous one's
        self.table = pieces  # int64 (P, 7), columns PIECE_COLUMNS
        self.sources = sources

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return f"Dataset({str(self.path)!r}, {len(self)} pieces, {len(self.notes)} notes)"

    def piece(self, index: int) -> Piece:
        if not -len(self) <= index < len(self):
            raise IndexError(f"piece {index} out of range (the dataset has {len(self)})")
        offset, count, split, num, den, length, _ = (int(v) for v in self.table[index])
        return Piece(
            source=self.sources[index],
            split=SPLITS[split],
            time_signature=TimeSignature(num, den),
            length_ticks=length,
            notes=self.notes[offset:offset + count],
        )

    def indices(self, split: str) -> np.ndarray:
        """Indices of the pieces in one split, in dataset order."""
        return np.flatnonzero(self.table[:, 2] == _split_code(split))

    def pieces(self, split: str | None = None) -> Iterator[Piece]:
        chosen = range(len(self)) if split is None else self.indices(split)
        for index in chosen:
            yield self.piece(int(index))

    def skipped_files(self) -> list[dict[str, str]]:
        """The files prepare left out: ``input``, ``source`` and ``reason``."""
        path = self.path / "skipped.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []

    def summary(self) -> str:
        return format_summary(self.meta, self.path)


def _split_code(split: str) -> int:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    return SPLITS.index(split)


# ---------------------------------------------------------------- summaries


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _track_text(track: Any) -> str:
    if track is None:
        return "all non-drum tracks merged"
    if track == "most":
        return "the track with the most notes"
    return f"track {track!r}" if isinstance(track, str) else f"track {track}"


def format_summary(meta: dict, path: Path | str | None = None) -> str:
    """The human-readable summary of a dataset's meta.json (what `segue data info` prints)."""
    settings = meta["settings"]
    counts = meta["counts"]
    tpb = meta["ticks_per_beat"]
    lines = []
    where = f"{path} " if path is not None else ""
    lines.append(f"dataset {where}({meta['format']} v{meta['version']}, {tpb} ticks per beat)")
    inputs = settings["inputs"]
    lines.append(f"made {meta.get('created', '?')} by segue {meta.get('segue_version', '?')} "
                 f"from {len(inputs)} folder{'s' if len(inputs) != 1 else ''}: "
                 + ", ".join(inputs))
    drums = "drums included" if settings["include_drums"] else "drums left out"
    lines.append(f"settings: {_track_text(settings['track'])}, {drums}, "
                 f"{_percent(settings['valid_fraction'])} valid, "
                 f"{_percent(settings['test_fraction'])} test")
    skipped = sum(meta["skipped"].values())
    lines.append(f"files: {counts['files']:,} found, {counts['pieces']:,} read, "
                 f"{skipped:,} skipped")
    lines.append(f"  {'split':<6} {'pieces':>9} {'notes':>12} {'beats':>12}")
    for split in SPLITS:
        c = counts["splits"][split]
        lines.append(f"  {split:<6} {c['pieces']:>9,} {c['notes']:>12,} "
                     f"{c['ticks'] / tpb:>12,.0f}")
    lines.append(f"  {'total':<6} {counts['pieces']:>9,} {counts['notes']:>12,} "
                 f"{counts['ticks'] / tpb:>12,.0f}")
    if skipped:
        lines.append("skipped:")
        for reason, n in sorted(meta["skipped"].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:>7,}  {reason}")
    fallbacks = meta.get("mido_fallbacks", 0)
    if fallbacks:
        lines.append(f"{fallbacks:,} file(s) needed the slower mido reader")
    return "\n".join(lines)


@dataclass(frozen=True)
class PrepareSummary:
    """What ``prepare_dataset`` did: the dataset's meta and the time it took."""

    path: Path
    meta: dict
    seconds: float
    skipped_files: list[dict[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return int(self.meta["counts"]["files"])

    @property
    def pieces(self) -> dict[str, int]:
        return {s: int(self.meta["counts"]["splits"][s]["pieces"]) for s in SPLITS}

    @property
    def notes(self) -> int:
        return int(self.meta["counts"]["notes"])

    @property
    def skipped(self) -> dict[str, int]:
        return dict(self.meta["skipped"])

    def text(self) -> str:
        rate = self.files / self.seconds if self.seconds > 0 else float("inf")
        return (format_summary(self.meta, self.path)
                + f"\ntook {self.seconds:.1f} s ({rate:,.0f} files/s)")

    def __str__(self) -> str:
        return self.text()


# ---------------------------------------------------------------- reading files


@dataclass(frozen=True)
class ReadSettings:
    track: TrackChoice = None
    include_drums: bool = False
    ticks_per_beat: int = TICKS_PER_BEAT
    reader: str = "fast"


@dataclass(frozen=True)
class ReadResult:
    """One file read: grid notes or the reason it was skipped."""

    notes: np.ndarray | None = None
    length_ticks: int = 0
    time_signature: TimeSignature | None = None
    fell_back: bool = False  # the fast reader left this file to read_midi
    reason: str | None = None  # a category for the summary, when skipped
    message: str | None = None  # the full reason, for --verbose


_REASONS = (
    ("the file is empty", "empty file"),
    ("not a MIDI file", "not a MIDI file"),
    ("the file is truncated", "truncated"),
    ("damaged MIDI data", "damaged MIDI data"),
    ("permission denied", "permission denied"),
    ("MIDI type 2", "MIDI type 2 (not supported)"),
    ("uses SMPTE time", "SMPTE timing (not supported)"),
    ("has only drum notes", "only drum notes"),
    ("has no notes", "no notes"),
    ("has no track", "no such track"),
    ("track ", "the chosen track has no notes"),
)


def skip_reason(reason: str) -> str:
    """The summary category of a MidiFileError reason ("damaged MIDI data (...)" -> ...)."""
    for prefix, category in _REASONS:
        if reason.startswith(prefix):
            return category
    return re.sub(r"\s*\(.*\)", "", reason) or "unreadable"


def _read_table(path: str, settings: ReadSettings) -> NoteTable:
    if settings.reader == "mido":
        clip = read_midi(path, track=settings.track, include_drums=settings.include_drums)
        return table_from_clip(clip)
    return read_note_table(path, track=settings.track, include_drums=settings.include_drums)


def read_file(path: str, settings: ReadSettings) -> ReadResult:
    """Read and encode one file; never raises for a bad file (the result says why)."""
    try:
        table = _read_table(path, settings)
        notes = encode_table(table, settings.ticks_per_beat)
        length = encode_length(table.length, settings.ticks_per_beat)
    except MidiFileError as exc:
        return ReadResult(reason=skip_reason(exc.reason), message=exc.reason)
    except ClipTooLong as exc:
        return ReadResult(reason="too long", message=str(exc))
    except Exception as exc:  # one bad file must never stop a folder
        return ReadResult(reason="damaged MIDI data",
                          message=f"damaged MIDI data ({type(exc).__name__}: {exc})")
    fell_back = settings.reader == "fast" and not table.fast
    return ReadResult(notes, length, table.time_signature, fell_back)


def _map_files(
    paths: list[str], settings: ReadSettings, workers: int, progress: bool
) -> Iterator[ReadResult]:
    """Results in the order of ``paths``, read in worker processes where that pays."""
    from tqdm import tqdm

    work = partial(read_file, settings=settings)
    bar = tqdm(total=len(paths), unit="file", desc="reading", disable=not progress,
               dynamic_ncols=True, leave=False)
    try:
        if workers <= 1 or len(paths) < _POOL_MIN_FILES:
            for path in paths:
                yield work(path)
                bar.update()
            return
        chunk = max(1, min(64, len(paths) // (workers * 8)))
        with multiprocessing.get_context().Pool(workers) as pool:
            for result in pool.imap(work, paths, chunksize=chunk):
                yield result
                bar.update()
    finally:
        bar.close()


# ---------------------------------------------------------------- finding files


@dataclass(frozen=True)
class SourceFile:
    path: str  # as found on disk
    relative: str  # relative to its input folder, forward slashes
    input: int  # index of the input folder


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if is_midi_path(name):
                yield Path(root) / name


def find_midi_files(inputs: Iterable[str | os.PathLike[str]]) -> list[SourceFile]:
    """Every .mid/.midi file (any case) under the folders, each file once, in a stable order."""
    found: list[SourceFile] = []
    seen: set[str] = set()
    for index, folder in enumerate(Path(p) for p in inputs):
        if not folder.exists():
            raise SegueError(f"{folder}: no such folder")
        if not folder.is_dir():
            raise SegueError(f"{folder}: is a file, not a folder; give the folder that holds it")
        count = 0
        for path in _walk(folder):
            count += 1
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            found.append(SourceFile(str(path), path.relative_to(folder).as_posix(), index))
        if count == 0:
            raise SegueError(f"{folder}: no MIDI files (.mid, .midi) in this folder or below")
    return found


# ---------------------------------------------------------------- writing


def _is_dataset(path: Path) -> bool:
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT_NAME


def check_output(out: Path, force: bool) -> None:
    """Refuse to replace an existing path unless forced, and never replace a non-dataset."""
    check_replaceable(out, force, "a segue dataset", _is_dataset)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(folder: Path, meta: dict, notes: np.ndarray, pieces: np.ndarray,
                  sources: list[str], skipped: list[dict[str, str]]) -> None:
    np.save(folder / "notes.npy", notes)
    np.save(folder / "pieces.npy", pieces)
    _write_json(folder / "sources.json", sources)
    _write_json(folder / "skipped.json", skipped)
    _write_json(folder / "meta.json", meta)  # last: a folder without it is no dataset


def write_atomically(out: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Write into a temporary folder beside ``out``, then rename it into place."""
    write_folder_atomically(out, write, lambda: check_output(out, force))


# ---------------------------------------------------------------- prepare


@dataclass
class _Collected:
    notes: list[np.ndarray] = field(default_factory=list)
    rows: list[tuple[int, ...]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    fallbacks: int = 0
    offset: int = 0


def _collect(files: list[SourceFile], results: Iterable[ReadResult], inputs: list[str],
             valid_fraction: float, test_fraction: float) -> _Collected:
    out = _Collected()
    for source, result in zip(files, results, strict=True):
        if result.notes is None:
            out.reasons[result.reason or "unreadable"] += 1
            out.skipped.append({"input": inputs[source.input], "source": source.relative,
                                "reason": result.message or ""})
            continue
        split = SPLITS.index(split_for(source.relative, valid_fraction, test_fraction))
        ts = result.time_signature or TimeSignature()
        count = len(result.notes)
        out.rows.append((out.offset, count, split, ts.numerator, ts.denominator,
                         result.length_ticks, source.input))
        out.notes.append(result.notes)
        out.sources.append(source.relative)
        out.offset += count
        out.fallbacks += result.fell_back
    return out


def _counts(files: int, pieces: np.ndarray) -> dict:
    splits = {}
    for code, name in enumerate(SPLITS):
        mine = pieces[pieces[:, 2] == code]
        splits[name] = {"pieces": len(mine), "notes": int(mine[:, 1].sum()),
                        "ticks": int(mine[:, 5].sum())}
    return {"files": files, "pieces": len(pieces), "notes": int(pieces[:, 1].sum()),
            "ticks": int(pieces[:, 5].sum()), "splits": splits}


def _track_setting(track: TrackChoice) -> TrackChoice:
    if track is None or (isinstance(track, (int, str)) and not isinstance(track, bool)):
        return track
    raise SegueError(f"track must be an index, a name or 'most', got {track!r}")


def prepare_dataset(
    inputs: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    workers: int | None = None,
    track: TrackChoice = None,
    include_drums: bool = False,
    valid_fraction: float = 0.05,
    test_fraction: float = 0.05,
    force: bool = False,
    progress: bool = True,
    reader: str = "fast",
    ticks_per_beat: int = TICKS_PER_BEAT,
) -> PrepareSummary:
    """Read every MIDI file under ``inputs`` and write a dataset folder at ``out``.

    Bad files are skipped and counted by reason. Raises :class:`SegueError` for
    a missing folder, a folder without MIDI files, an existing ``out`` (unless
    ``force``), bad settings, or when no file at all could be read.
    """
    began = time.perf_counter()
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    folders = [str(Path(p)) for p in inputs]
    if not folders:
        raise SegueError("give at least one folder of MIDI files")
    out_path = Path(out)
    check_fractions(valid_fraction, test_fraction)
    if reader not in READERS:
        raise SegueError(f"reader must be one of {', '.join(READERS)}, got {reader!r}")
    if workers is not None and workers < 1:
        raise SegueError(f"workers must be 1 or more, got {workers}")
    settings = ReadSettings(_track_setting(track), include_drums, ticks_per_beat, reader)
    check_output(out_path, force)
    files = find_midi_files(folders)
    results = _map_files([f.path for f in files], settings, workers or default_workers(), progress)
    got = _collect(files, results, [str(Path(f).resolve()) for f in folders],
                   valid_fraction, test_fraction)
    if not got.rows:
        reasons = ", ".join(f"{n} {r}" for r, n in got.reasons.most_common())
        raise SegueError(f"none of the {len(files)} MIDI files could be read ({reasons}); "
                         "no dataset written")
    pieces = np.array(got.rows, dtype=np.int64).reshape(-1, len(PIECE_COLUMNS))
    notes = np.concatenate(got.notes).astype(np.int32, copy=False)
    meta = _meta(folders, settings, valid_fraction, test_fraction, len(files), pieces, got)
    write_atomically(out_path, force, lambda folder: _write_folder(
        folder, meta, notes, pieces, got.sources, got.skipped))
    return PrepareSummary(out_path, meta, time.perf_counter() - began, got.skipped)


def _meta(folders: list[str], settings: ReadSettings, valid_fraction: float,
          test_fraction: float, files: int, pieces: np.ndarray, got: _Collected) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "ticks_per_beat": settings.ticks_per_beat,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "segue_version": __version__,
        "note_columns": list(NOTE_COLUMNS),
        "piece_columns": list(PIECE_COLUMNS),
        "splits": list(SPLITS),
        "settings": {
            "inputs": [str(Path(f).resolve()) for f in folders],
            "track": settings.track,
            "include_drums": settings.include_drums,
            "reader": settings.reader,
            "valid_fraction": valid_fraction,
            "test_fraction": test_fraction,
            "split_hash": "sha1 of the relative path, first 8 bytes as a fraction",
        },
        "counts": _counts(files, pieces),
        "skipped": dict(sorted(got.reasons.items())),
        "mido_fallbacks": got.fallbacks,
    }


def default_workers() -> int:
    """One worker per CPU core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- loading


def _damaged(path: Path, why: str) -> SegueError:
    return SegueError(f"{path}: the dataset is damaged ({why}); prepare it again")


def _read_meta(path: Path) -> dict:
    if not path.exists():
        raise SegueError(f"{path}: no such dataset (make one with `segue data prepare`)")
    meta_path = path / "meta.json"
    if not path.is_dir() or not meta_path.exists():
        raise SegueError(f"{path}: not a segue dataset (no meta.json); "
                         "make one with `segue data prepare`")
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
        raise _damaged(path, f"{name}: {exc}") from None


def _check_arrays(path: Path, meta: dict, notes: np.ndarray, pieces: np.ndarray,
                  sources: Any) -> None:
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


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Open a prepared dataset; :class:`SegueError` if it is missing, damaged or foreign."""
    folder = Path(path)
    meta = _read_meta(folder)
    notes = _load_array(folder, "notes.npy", mmap=True)
    pieces = _load_array(folder, "pieces.npy", mmap=False)
    try:
        sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _damaged(folder, f"sources.json: {exc}") from None
    _check_arrays(folder, meta, notes, pieces, sources)
    return Dataset(folder, meta, notes, pieces, sources)
