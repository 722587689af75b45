"""Opening a prepared dataset: its pieces as grid rows, memory-mapped, by split."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from segue.dataset.splits import SPLITS, split_code
from segue.dataset.storage import read_arrays, read_meta, read_skipped
from segue.dataset.summary import format_summary
from segue.notes import TimeSignature


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays has no single truth value
class Piece:
    """One MIDI file of the dataset, encoded on the grid.

    ``notes`` is int32 (n, 4) grid rows: start_tick, pitch, duration_ticks, velocity;
    sorted by start then pitch; on the dataset's grid (24 ticks per beat); notes on
    the same start and pitch after snapping merged, keeping the longer. It is a
    read-only view into the dataset's memory-mapped ``notes.npy``.
    """

    source: str  # path relative to its input folder ("bach/bwv66.6.mid")
    split: str  # "train" | "valid" | "test"
    time_signature: TimeSignature  # the one its file is read in (4/4 if none)
    length_ticks: int  # clip length on the grid (ticks)
    notes: np.ndarray  # int32 (n, 4): start_tick, pitch, duration_ticks, velocity

    def __len__(self) -> int:
        return len(self.notes)


class Dataset:
    """A prepared dataset, read from its folder (notes memory-mapped)."""

    def __init__(
        self, path: Path, meta: dict, notes: np.ndarray, pieces: np.ndarray, sources: list[str]
    ) -> None:
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
            notes=self.notes[offset : offset + count],
        )

    def indices(self, split: str) -> np.ndarray:
        """Indices of the pieces in one split, in dataset order."""
        return np.flatnonzero(self.table[:, 2] == split_code(split))

    def pieces(self, split: str | None = None) -> Iterator[Piece]:
        chosen = range(len(self)) if split is None else self.indices(split)
        for index in chosen:
            yield self.piece(int(index))

    def skipped_files(self) -> list[dict[str, str]]:
        """The files prepare left out: ``input``, ``source`` and ``reason``."""
        return read_skipped(self.path)

    def summary(self) -> str:
        return format_summary(self.meta, self.path)


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Open a prepared dataset; :class:`SegueError` if it is missing, damaged or foreign."""
    folder = Path(path)
    meta = read_meta(folder)
    notes, pieces, sources = read_arrays(folder, meta)
    return Dataset(folder, meta, notes, pieces, sources)
