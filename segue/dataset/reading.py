"""Reading MIDI files for a dataset: each file's grid rows or the reason it was skipped.

Files are read by :mod:`segue.fast_midi` (or by :func:`segue.midi_io.read_midi`,
``reader="mido"``), in worker processes where that pays, and never stop the
folder: a bad file becomes a :class:`ReadResult` with a reason.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np

from segue.cores import worker_count
from segue.errors import MidiFileError
from segue.fast_midi import NoteTable, read_note_table, table_from_clip
from segue.grid import TICKS_PER_BEAT, ClipTooLong, grid_rows, length_ticks
from segue.midi_io import TrackChoice, read_midi
from segue.notes import TimeSignature

READERS = ("fast", "mido")
_POOL_MIN_FILES = 32  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class ReadSettings:
    track: TrackChoice = None
    drums: bool = False
    ticks_per_beat: int = TICKS_PER_BEAT
    reader: str = "fast"


@dataclass(frozen=True)
class ReadResult:
    """One file read: grid rows or the reason it was skipped."""

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
    ("has no drum notes", "no drum notes"),
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
        clip = read_midi(path, track=settings.track, drums=settings.drums)
        return table_from_clip(clip)
    return read_note_table(path, track=settings.track, drums=settings.drums)


def read_table(path: str, settings: ReadSettings) -> NoteTable | ReadResult:
    """One file's notes as read (times in beats, off the grid as played), or the result
    that says why it was skipped; never raises for a bad file."""
    try:
        return _read_table(path, settings)
    except MidiFileError as exc:
        return ReadResult(reason=skip_reason(exc.reason), message=exc.reason)
    except Exception as exc:  # one bad file must never stop a folder
        return _damaged(exc)


def _damaged(exc: Exception) -> ReadResult:
    return ReadResult(
        reason="damaged MIDI data", message=f"damaged MIDI data ({type(exc).__name__}: {exc})"
    )


def read_file(path: str, settings: ReadSettings) -> ReadResult:
    """Read one file as grid rows; never raises for a bad file (the result says why)."""
    table = read_table(path, settings)
    if isinstance(table, ReadResult):
        return table
    try:
        tpb = settings.ticks_per_beat
        notes = grid_rows(table.pitch, table.start, table.duration, table.velocity, tpb)
        length = length_ticks(table.length, tpb)
    except ClipTooLong as exc:
        return ReadResult(reason="too long", message=str(exc))
    except Exception as exc:  # one bad file must never stop a folder
        return _damaged(exc)
    fell_back = settings.reader == "fast" and not table.fast
    return ReadResult(notes, length, table.time_signature, fell_back)


def reading_pool(workers: int) -> multiprocessing.pool.Pool:
    """Worker processes that leave Ctrl-C to the command: the terminal (a Windows console too)
    sends it to every process of the group, and a worker interrupted while it held the
    pool's queue printed a traceback, or left `segue data prepare` hanging for good."""
    return multiprocessing.get_context().Pool(worker_count(workers), initializer=_leave_ctrl_c)


def _leave_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def read_files(
    paths: list[str], settings: ReadSettings, workers: int, progress: bool
) -> Iterator[ReadResult]:
    """Results in the order of ``paths``, read in worker processes where that pays."""
    from tqdm import tqdm

    work = partial(read_file, settings=settings)
    bar = tqdm(
        total=len(paths),
        unit="file",
        desc="reading",
        disable=not progress,
        dynamic_ncols=True,
        leave=False,
    )
    try:
        if workers <= 1 or len(paths) < _POOL_MIN_FILES:
            for path in paths:
                yield work(path)
                bar.update()
            return
        chunk = max(1, min(64, len(paths) // (workers * 8)))
        with reading_pool(workers) as pool:
            for result in pool.imap(work, paths, chunksize=chunk):
                yield result
                bar.update()
    finally:
        bar.close()
