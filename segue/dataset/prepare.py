"""``segue data prepare``: every MIDI file under some folders read, split and written as a dataset.

Files are found in a stable order (each file once), read in parallel
(:mod:`segue.dataset.reading`), put in a split by their relative path
(:mod:`segue.dataset.splits`) and written as one folder
(:mod:`segue.dataset.storage`). Bad files are skipped and counted by reason.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from segue import __version__
from segue.cores import usable_cores
from segue.dataset.reading import READERS, ReadResult, ReadSettings, read_files
from segue.dataset.splits import (
    SPLITS,
    WORK_MARK,
    check_fractions,
    split_code,
    split_for,
    split_key,
)
from segue.dataset.storage import (
    FORMAT_NAME,
    FORMAT_VERSION,
    NOTE_COLUMNS,
    PIECE_COLUMNS,
    check_output,
    write_atomically,
    write_folder,
)
from segue.dataset.summary import PrepareSummary
from segue.errors import SegueError
from segue.grid import TICKS_PER_BEAT
from segue.midi_io import TrackChoice, reads_as_midi
from segue.notes import TimeSignature

# ---------------------------------------------------------------- finding files


@dataclass(frozen=True)
class SourceFile:
    path: str  # as found on disk
    relative: str  # relative to its input folder, forward slashes
    input: int  # index of the input folder
    in_work: bool = False  # its folder holds one work's parts (splits.WORK_MARK)


def is_hidden(name: str) -> bool:
    """A file or folder a file browser hides: its name begins with a dot. macOS writes
    ``._clip.mid`` beside every clip copied to a USB stick or a shared drive (its Finder
    data, no MIDI) and zips made on a Mac unpack with them; an interrupted
    ``segue corpus export --parts`` leaves its unfinished ``.name.xxxx`` folder."""
    return name.startswith(".")


def _walk(folder: Path) -> Iterator[Path]:
    """The MIDI files under ``folder``, in linked folders too (a musician links a folder of
    clips in rather than copying it: these were skipped without a word), each folder once
    (a link back up is not followed round), hidden files and folders (:func:`is_hidden`)
    left out, as the file browser leaves them out."""
    visited: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not is_hidden(d))
        for name in sorted(files):
            if reads_as_midi(name) and not is_hidden(name):
                yield Path(root) / name


def find_midi_files(inputs: Iterable[str | os.PathLike[str]]) -> list[SourceFile]:
    """Every .mid/.midi/.rmi file (any case) under the folders, each file once, in a stable
    order."""
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
            in_work = (path.parent / WORK_MARK).is_file()
            found.append(SourceFile(str(path), path.relative_to(folder).as_posix(), index, in_work))
        if count == 0:
            raise SegueError(f"{folder}: no MIDI files (.mid, .midi, .rmi) in this folder or below")
    return found


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


def _collect(
    files: list[SourceFile],
    results: Iterable[ReadResult],
    inputs: list[str],
    valid_fraction: float,
    test_fraction: float,
) -> _Collected:
    out = _Collected()
    for source, result in zip(files, results, strict=True):
        if result.notes is None:
            out.reasons[result.reason or "unreadable"] += 1
            out.skipped.append(
                {
                    "input": inputs[source.input],
                    "source": source.relative,
                    "reason": result.message or "",
                }
            )
            continue
        key = split_key(source.relative, source.in_work)
        split = split_code(split_for(key, valid_fraction, test_fraction))
        ts = result.time_signature or TimeSignature()
        count = len(result.notes)
        out.rows.append(
            (
                out.offset,
                count,
                split,
                ts.numerator,
                ts.denominator,
                result.length_ticks,
                source.input,
            )
        )
        out.notes.append(result.notes)
        out.sources.append(source.relative)
        out.offset += count
        out.fallbacks += result.fell_back
    return out


def _counts(files: int, pieces: np.ndarray) -> dict:
    splits = {}
    for code, name in enumerate(SPLITS):
        mine = pieces[pieces[:, 2] == code]
        splits[name] = {
            "pieces": len(mine),
            "notes": int(mine[:, 1].sum()),
            "ticks": int(mine[:, 5].sum()),
        }
    return {
        "files": files,
        "pieces": len(pieces),
        "notes": int(pieces[:, 1].sum()),
        "ticks": int(pieces[:, 5].sum()),
        "splits": splits,
    }


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
    drums: bool = False,
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
    settings = ReadSettings(_track_setting(track), drums, ticks_per_beat, reader)
    check_output(out_path, force)
    files = find_midi_files(folders)
    results = read_files([f.path for f in files], settings, workers or usable_cores(), progress)
    got = _collect(
        files, results, [str(Path(f).resolve()) for f in folders], valid_fraction, test_fraction
    )
    if not got.rows:
        reasons = ", ".join(f"{n} {r}" for r, n in got.reasons.most_common())
        raise SegueError(
            f"none of the {len(files)} MIDI files could be read ({reasons}); no dataset written"
        )
    pieces = np.array(got.rows, dtype=np.int64).reshape(-1, len(PIECE_COLUMNS))
    notes = np.concatenate(got.notes).astype(np.int32, copy=False)
    meta = _meta(folders, settings, valid_fraction, test_fraction, len(files), pieces, got)
    write_atomically(
        out_path,
        force,
        lambda folder: write_folder(folder, meta, notes, pieces, got.sources, got.skipped),
    )
    return PrepareSummary(out_path, meta, time.perf_counter() - began, got.skipped)


def _meta(
    folders: list[str],
    settings: ReadSettings,
    valid_fraction: float,
    test_fraction: float,
    files: int,
    pieces: np.ndarray,
    got: _Collected,
) -> dict:
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
            "include_drums": settings.drums,
            "drums_alone": settings.drums,  # before, drums were merged with the other tracks
            "reader": settings.reader,
            "valid_fraction": valid_fraction,
            "test_fraction": test_fraction,
            "split_hash": (
                "sha1 of the relative path (NFC; of the folder's for a work's parts), "
                "first 8 bytes as a fraction"
            ),
        },
        "counts": _counts(files, pieces),
        "skipped": dict(sorted(got.reasons.items())),
        "mido_fallbacks": got.fallbacks,
    }
