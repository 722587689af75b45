"""The cases of an evaluation: test pieces cut into a seed and what the composer wrote next."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from segue.errors import SegueError
from segue.grid import TICKS_PER_BEAT
from segue.model.metrics import Context, as_notes, window
from segue.notes import Clip, TimeSignature


@dataclass(frozen=True, eq=False)
class Case:
    """One test piece cut into a seed and the real continuation after it."""

    number: int  # index of the piece in the dataset
    source: str
    time_signature: TimeSignature
    bar_ticks: int
    seed_ticks: int  # the seed clip's length; the continuation starts here
    span_ticks: int  # the continuation's length
    real: np.ndarray  # rows starting at 0, cut at the end of the span
    context: Context

    @property
    def seed(self) -> np.ndarray:
        return self.context.seed

    def seed_clip(self) -> Clip:
        return Clip(as_notes(self.seed), self.seed_ticks / TICKS_PER_BEAT, self.time_signature)


def _note_key(notes: np.ndarray) -> bytes:
    """A piece's onsets, pitches and durations as bytes: equal for the same notes."""
    return np.ascontiguousarray(np.asarray(notes, dtype=np.int64)[:, :3]).tobytes()


def training_copies(dataset: Any, split: str = "test") -> set[int]:
    """Indices of the pieces of ``split`` whose notes (onsets, pitches and durations) are
    those of a training piece: the same tune in two collections, say. They are not held
    out, so the evaluation leaves them out."""
    seen = {_note_key(piece.notes) for piece in dataset.pieces("train")}
    return {
        int(i) for i in dataset.indices(split) if _note_key(dataset.piece(int(i)).notes) in seen
    }


def continuation_cases(
    dataset: Any,
    seed_bars: float,
    bars: float,
    max_pieces: int | None = None,
    split: str = "test",
    leave_out: Collection[int] = (),
) -> tuple[list[Case], dict[str, int], int]:
    """The cases of one split, the pieces left out by reason, and how many pieces it holds.

    A piece is used when it lasts at least ``seed_bars + bars`` bars and has
    notes in both parts, and its index is not in ``leave_out`` (see
    :func:`training_copies`). With ``max_pieces``, that many are taken evenly spread
    over the usable ones (the dataset is in path order, so this mixes collections).
    """
    usable: list[tuple[int, Any]] = []
    skipped = {
        "the same notes as a training piece": 0,
        "shorter than seed and continuation": 0,
        "no notes in the seed": 0,
        "no notes in the continuation": 0,
    }
    indices = [int(i) for i in dataset.indices(split)]
    tpb = dataset.ticks_per_beat
    if tpb != TICKS_PER_BEAT:
        raise SegueError(
            f"{dataset.path}: the dataset has {tpb} ticks per beat; segue's grid "
            f"has {TICKS_PER_BEAT}"
        )
    for number in indices:
        piece = dataset.piece(number)
        bar = round(piece.time_signature.beats_per_bar * tpb)
        seed_ticks, span = round(seed_bars * bar), round(bars * bar)
        notes = np.asarray(piece.notes, dtype=np.int64)
        if number in leave_out:
            skipped["the same notes as a training piece"] += 1
        elif piece.length_ticks < seed_ticks + span:
            skipped["shorter than seed and continuation"] += 1
        elif not (notes[:, 0] < seed_ticks).any():
            skipped["no notes in the seed"] += 1
        elif not ((notes[:, 0] >= seed_ticks) & (notes[:, 0] < seed_ticks + span)).any():
            skipped["no notes in the continuation"] += 1
        else:
            usable.append((number, piece))
    if max_pieces is not None and len(usable) > max_pieces:
        chosen = np.unique(np.linspace(0, len(usable) - 1, max_pieces).round().astype(int))
        skipped["not chosen (--max-pieces)"] = len(usable) - len(chosen)
        usable = [usable[i] for i in chosen]
    cases = []
    for number, piece in usable:
        bar = round(piece.time_signature.beats_per_bar * tpb)
        seed_ticks, span = round(seed_bars * bar), round(bars * bar)
        notes = np.asarray(piece.notes, dtype=np.int64)
        seed = notes[notes[:, 0] < seed_ticks]
        real = window(notes, seed_ticks, seed_ticks + span)
        cases.append(
            Case(
                number,
                dataset.sources[number],
                piece.time_signature,
                bar,
                seed_ticks,
                span,
                real,
                Context.of_seed(seed, seed_ticks, bars, bar, real),
            )
        )
    return cases, {k: v for k, v in skipped.items() if v}, len(indices)
