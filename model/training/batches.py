"""Pieces to one array of model steps, and the windows and batches training cuts from it.

Every piece of a prepared dataset is encoded once, up front, into one array of
steps (:func:`encode_pieces`). A training batch is a set of windows of
``window`` steps cut from random places in the pieces; the targets are the same
window moved one step on, and a mask marks the targets that lie inside the
piece (a piece shorter than the window is padded). Each window is transposed
by its own random number of semitones, kept so every pitch stays on the
keyboard (:func:`transpose_rows`), and made louder or softer
(:func:`shift_velocities`).

An epoch holds enough windows to cover the training notes once. Its windows,
offsets and transpositions come from random generators seeded with
``(rng_seed, epoch, rank)`` alone (:func:`plan_epoch`), so a run stopped at any
batch and resumed gives the same weights as one that never stopped.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor

from segue.model.note_values import halved, halvings
from segue.model.training.rng import ORDER, WINDOWS, generator
from segue.model.vocab import VELOCITY_BIN, Vocab


@dataclass(frozen=True)
class EncodedPieces:
    """The steps of many pieces in one array: each piece's BOS step, then its notes."""

    steps: np.ndarray  # (rows, 5) int64: offset, pitch, duration, velocity, position
    starts: np.ndarray  # (pieces,) int64: row of each piece's BOS step
    lengths: np.ndarray  # (pieces,) int64: notes in each piece (at least 1)

    @property
    def pieces(self) -> int:
        return len(self.lengths)

    @property
    def notes(self) -> int:
        return int(self.lengths.sum())

    def piece_steps(self, i: int) -> np.ndarray:
        """The steps of piece ``i``, as :func:`segue.model.vocab.steps_of` gives them."""
        return self.steps[self.starts[i] : self.starts[i] + self.lengths[i] + 1]


def encode_pieces(
    notes: Sequence[np.ndarray], bar_ticks: Sequence[int], vocab: Vocab
) -> EncodedPieces:
    """Encode many pieces at once; piece ``i`` equals ``steps_of(notes[i], bar_ticks[i])``.

    ``notes[i]`` is an (n, 4) array of start tick, pitch, duration ticks and
    velocity in time order. Pieces without notes are left out. A piece whose bar is
    longer than the model's is read in shorter note values (``segue.model.note_values``).
    """
    bars = np.asarray(bar_ticks, dtype=np.int64).reshape(-1)
    if len(bars) != len(notes):
        raise ValueError(f"{len(notes)} pieces but {len(bars)} bar lengths")
    times = [halvings(int(b), vocab.max_bar_ticks) for b in bars]  # bars too long: halved
    arrays = [halved(n, t) for n, t in zip(notes, times, strict=True)]
    bars = bars >> np.asarray(times, dtype=np.int64)
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    keep = lengths > 0
    arrays = [a for a, k in zip(arrays, keep, strict=True) if k]
    bars, lengths = bars[keep], lengths[keep]
    pieces = len(lengths)
    if pieces == 0:
        return EncodedPieces(
            np.zeros((0, 5), np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        )
    flat = np.concatenate(arrays)
    first = np.cumsum(lengths) - lengths  # index in `flat` of each piece's first note
    onsets = flat[:, 0]
    offsets = np.diff(onsets, prepend=0)
    offsets[first] = onsets[first]  # the first note counts from the piece's start
    bar = np.maximum(np.repeat(bars, lengths), 1)

    starts = first + np.arange(pieces)  # each piece gains one BOS row before it
    note_rows = np.arange(len(flat)) + np.repeat(np.arange(1, pieces + 1), lengths)
    steps = np.empty((len(flat) + pieces, 5), dtype=np.int64)
    steps[starts] = (vocab.n_offset, vocab.n_pitch, vocab.n_duration, vocab.n_velocity, 0)
    steps[note_rows, 0] = vocab.offset_class(offsets)
    steps[note_rows, 1] = flat[:, 1]
    steps[note_rows, 2] = vocab.duration_class(flat[:, 2])
    steps[note_rows, 3] = vocab.velocity_class(flat[:, 3])
    steps[note_rows, 4] = np.minimum(onsets % bar, vocab.max_bar_ticks - 1)
    return EncodedPieces(steps, starts, lengths)


def bar_ticks_of(piece: Any, ticks_per_beat: int) -> int:
    """Ticks in one bar of a dataset piece's time signature."""
    return round(piece.time_signature.beats_per_bar * ticks_per_beat)


def encode_split(
    dataset: Any, split: str, vocab: Vocab, leave_out: Collection[int] = ()
) -> EncodedPieces:
    """Every piece of one split of a :class:`segue.dataset.Dataset`, encoded (but those
    whose dataset indices are in ``leave_out``)."""
    notes, bars = [], []
    for index in dataset.indices(split):
        if int(index) in leave_out:
            continue
        piece = dataset.piece(int(index))
        notes.append(piece.notes)
        bars.append(bar_ticks_of(piece, dataset.ticks_per_beat))
    return encode_pieces(notes, bars, vocab)


@dataclass(frozen=True)
class Windows:
    """Windows to cut: piece, first step, and a number in [0, 1) choosing the transposition."""

    piece: np.ndarray
    offset: np.ndarray
    shift: np.ndarray | None = None
    loudness: np.ndarray | None = None  # a number in [0, 1) choosing the velocity shift

    def __len__(self) -> int:
        return len(self.piece)


@dataclass(frozen=True)
class Batch:
    inputs: np.ndarray  # (B, T, 5) int64
    targets: np.ndarray  # (B, T, 5) int64; targets[:, t] is the step after inputs[:, t]
    mask: np.ndarray  # (B, T) bool: targets inside their piece

    @property
    def notes(self) -> int:
        return int(self.mask.sum())

    def tensors(self, device: torch.device | str = "cpu") -> tuple[Tensor, Tensor, Tensor]:
        """The batch on ``device``. Only a CUDA copy is left to run on while Python goes on:
        the arrays copied are temporaries, freed as soon as this returns, and Apple's GPU
        (MPS) may read them after that when asked not to block (PyTorch issue 139550)."""
        overlap = torch.device(device).type == "cuda"

        def move(a: np.ndarray) -> Tensor:
            return torch.from_numpy(np.ascontiguousarray(a)).to(device, non_blocking=overlap)

        return move(self.inputs), move(self.targets), move(self.mask)


def window_notes(
    data: EncodedPieces, piece: np.ndarray, offset: np.ndarray, window: int
) -> np.ndarray:
    """How many real targets each window holds (the rest is padding)."""
    return np.minimum(data.lengths[piece] - offset, window)


def gather_rows(
    data: EncodedPieces, windows: Windows, window: int, trim: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Rows (B, T+1, 5) of each window and the target mask (B, T).

    T is ``window``, or with ``trim`` the longest window in the batch. Rows past
    a piece's end repeat its last note, so padded targets are valid classes.
    """
    real = window_notes(data, windows.piece, windows.offset, window)
    length = int(real.max()) if trim and len(real) else window
    first = data.starts[windows.piece] + windows.offset
    last = data.starts[windows.piece] + data.lengths[windows.piece]
    index = np.minimum(first[:, None] + np.arange(length + 1), last[:, None])
    return data.steps[index], np.arange(length)[None, :] < real[:, None]


def transpose_rows(
    rows: np.ndarray, u: np.ndarray, low: int, high: int, bos_pitch: int = 128
) -> tuple[np.ndarray, np.ndarray]:
    """Shift each window's pitches by a semitone count drawn from ``low..high``.

    ``u`` (one number in [0, 1) per window) picks the shift uniformly among those
    in range that keep every pitch of the window within 0-127; the BOS pitch
    class is never shifted. Returns the new rows and the shifts.
    """
    pitch = rows[..., 1]
    bos = pitch >= bos_pitch
    lowest = np.where(bos, 127, pitch).min(axis=1)
    highest = np.where(bos, 0, pitch).max(axis=1)
    lo = np.maximum(low, -lowest)
    hi = np.minimum(high, 127 - highest)
    drawn = lo + np.floor(np.asarray(u) * (hi - lo + 1)).astype(np.int64)
    shift = np.where(lo <= hi, np.minimum(drawn, hi), np.clip(low, -lowest, 127 - highest))
    out = rows.copy()
    out[..., 1] = np.where(bos, pitch, pitch + shift[:, None])
    return out, shift


def shift_velocities(
    rows: np.ndarray, u: np.ndarray, low: int, high: int, n_velocity: int = 32
) -> np.ndarray:
    """Make each window louder or softer by a velocity step drawn from ``low..high``.

    Training data often has one velocity throughout (music21's export writes
    100 everywhere). Shifting whole windows teaches the model to carry on at
    the seed's loudness instead of always answering at the data's. Velocities
    are classes of :data:`VELOCITY_BIN`; the BOS class is never shifted.
    """
    steps = np.floor(low / VELOCITY_BIN + np.asarray(u) * ((high - low) / VELOCITY_BIN + 1))
    shift = np.minimum(steps, high // VELOCITY_BIN).astype(np.int64)
    velocity = rows[..., 3]
    bos = velocity >= n_velocity
    out = rows.copy()
    out[..., 3] = np.where(bos, velocity, np.clip(velocity + shift[:, None], 0, n_velocity - 1))
    return out


def make_batch(
    data: EncodedPieces,
    windows: Windows,
    window: int,
    transpose: tuple[int, int] = (0, 0),
    bos_pitch: int = 128,
    velocity_shift: tuple[int, int] = (0, 0),
    n_velocity: int = 32,
) -> Batch:
    """Inputs, targets and mask for a set of windows, transposed if ``windows.shift`` is set
    and made louder or softer if ``windows.loudness`` is set."""
    rows, mask = gather_rows(data, windows, window)
    if windows.shift is not None and transpose != (0, 0):
        rows, _ = transpose_rows(rows, windows.shift, *transpose, bos_pitch=bos_pitch)
    if windows.loudness is not None and velocity_shift != (0, 0):
        rows = shift_velocities(rows, windows.loudness, *velocity_shift, n_velocity=n_velocity)
    return Batch(rows[:, :-1], rows[:, 1:], mask)


def batches_per_epoch(
    data: EncodedPieces,
    window: int,
    batch_size: int,
    world: int = 1,
    steps_per_epoch: int | None = None,
) -> int:
    """Batches each process runs per epoch: enough windows to cover every note once."""
    if steps_per_epoch:
        return steps_per_epoch
    windows = int(np.ceil(data.lengths / window).sum())
    return max(1, math.ceil(windows / (batch_size * world)))


def plan_epoch(
    data: EncodedPieces,
    window: int,
    batch_size: int,
    *,
    rng_seed: int,
    epoch: int,
    rank: int = 0,
    world: int = 1,
    batches: int | None = None,
) -> list[Windows]:
    """The batches of windows one process trains on in one epoch.

    Each piece gets one window per ``window`` notes; all processes share one
    shuffled order of those windows and take every ``world``-th. Where each
    window starts and how it is transposed are drawn per process. Windows of
    similar length are batched together (less padding), in random batch order.
    Everything depends on ``(rng_seed, epoch, rank)`` only.
    """
    count = batches or batches_per_epoch(data, window, batch_size, world)
    need = count * batch_size * world
    pool = np.repeat(np.arange(data.pieces), np.ceil(data.lengths / window).astype(np.int64))
    order = generator(rng_seed, epoch, ORDER)
    shuffled = [order.permutation(pool) for _ in range(math.ceil(need / len(pool)))]
    mine = np.concatenate(shuffled)[:need][rank::world]
    rng = generator(rng_seed, epoch, WINDOWS, rank)
    notes = data.lengths[mine]
    offset = rng.integers(0, np.maximum(notes - window, 0) + 1)
    shift = rng.random(len(mine))
    real = np.minimum(notes - offset, window)
    by_length = np.lexsort((rng.random(len(mine)), real)).reshape(count, batch_size)
    by_length = by_length[rng.permutation(count)]
    loudness = rng.random(len(mine))
    return [Windows(mine[i], offset[i], shift[i], loudness[i]) for i in by_length]


def validation_windows(data: EncodedPieces, window: int) -> Windows:
    """Non-overlapping windows that cover every note of every piece exactly once."""
    counts = np.ceil(data.lengths / window).astype(np.int64)
    piece = np.repeat(np.arange(data.pieces), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return Windows(piece, (np.arange(int(counts.sum())) - first) * window)


def plan_validation(
    data: EncodedPieces, window: int, batch_size: int, rank: int = 0, world: int = 1
) -> list[Windows]:
    """The validation batches of one process: windows sorted by length, split by rank."""
    w = validation_windows(data, window)
    order = np.argsort(-window_notes(data, w.piece, w.offset, window), kind="stable")
    order = order[rank::world]
    return [
        Windows(w.piece[c], w.offset[c])
        for c in (order[i : i + batch_size] for i in range(0, len(order), batch_size))
    ]
