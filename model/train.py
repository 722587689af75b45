"""Training: pieces to windows of model steps, and the loop that fits the LSTM.

Every piece of a prepared dataset is encoded once, up front, into one array of
steps (:func:`encode_pieces`). A training batch is a set of windows of
``window`` steps cut from random places in the pieces; the targets are the same
window moved one step on, and a mask marks the targets that lie inside the
piece (a piece shorter than the window is padded). Each window is transposed
by its own random number of semitones, kept so every pitch stays on the
keyboard (:func:`transpose_rows`).

An epoch holds enough windows to cover the training notes once. Its windows,
offsets and transpositions come from random generators seeded with
``(seed, epoch, rank)`` alone (:func:`plan_epoch`), so a run stopped at any
batch and resumed gives the same weights as one that never stopped.

:func:`train` runs unchanged on one CPU, one GPU (mixed precision) or several
processes under ``torchrun`` (DistributedDataParallel; rank 0 prints and
writes). It keeps ``best.pt`` (lowest validation loss) and ``last.pt`` (with
everything needed to resume) in the run folder and redraws ``loss.png`` after
every epoch. Ctrl-C or SIGTERM stops after the current batch and saves
``last.pt``.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from segue.errors import SegueError
from segue.model.checkpoint import CheckpointError, read_checkpoint, save_checkpoint
from segue.model.network import ModelConfig, SegueLSTM, count_parameters, field_losses
from segue.model.vocab import FIELDS, VELOCITY_BIN, Vocab

BEST = "best.pt"
LAST = "last.pt"
PLOT = "loss.png"
RESUMABLE = ("epochs", "patience", "device", "threads")
"""Settings that may change when a run is resumed; the rest must stay as they were."""

# what each random generator is for: (seed, epoch, PURPOSE, rank) never collide
_ORDER, _WINDOWS, _TORCH, _INIT = 1, 2, 3, 4


# ---------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; stored in its checkpoints."""

    epochs: int = 30
    batch_size: int = 32
    window: int = 128
    lr: float = 2e-3
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    hidden: int = 256
    layers: int = 2
    embed: int = 64
    dropout: float = 0.1
    chained: bool = True
    bar_position: bool = True
    transpose: tuple[int, int] = (-5, 6)
    velocity_shift: tuple[int, int] = (-88, 24)
    steps_per_epoch: int | None = None
    patience: int = 3
    seed: int | None = None
    device: str = "auto"
    threads: int | None = None

    def __post_init__(self) -> None:
        low, high = (int(v) for v in self.transpose)
        object.__setattr__(self, "transpose", (low, high))
        v_low, v_high = (int(v) for v in self.velocity_shift)
        object.__setattr__(self, "velocity_shift", (v_low, v_high))
        _check(-126 <= v_low <= v_high <= 126,
               f"velocity shift must be LOW HIGH with -126 <= LOW <= HIGH <= 126, "
               f"got {v_low} {v_high}")
        _check(self.epochs >= 1, f"epochs must be at least 1, got {self.epochs}")
        _check(self.batch_size >= 1, f"batch size must be at least 1, got {self.batch_size}")
        _check(self.window >= 1, f"window must be at least 1 step, got {self.window}")
        _check(math.isfinite(self.lr) and self.lr > 0,
               f"learning rate must be greater than 0, got {self.lr:g}")
        _check(math.isfinite(self.weight_decay) and self.weight_decay >= 0,
               f"weight decay must be 0 or more, got {self.weight_decay:g}")
        _check(math.isfinite(self.grad_clip) and self.grad_clip >= 0,
               f"gradient clip must be 0 (off) or more, got {self.grad_clip:g}")
        _check(self.hidden >= 1, f"hidden size must be at least 1, got {self.hidden}")
        _check(self.layers >= 1, f"layers must be at least 1, got {self.layers}")
        _check(self.embed >= 2, f"embedding size must be at least 2, got {self.embed}")
        _check(0 <= self.dropout < 1, f"dropout must be from 0 up to (not including) 1, "
                                      f"got {self.dropout:g}")
        _check(-127 <= low <= high <= 127,
               f"transpose range must be LOW HIGH with -127 <= LOW <= HIGH <= 127, "
               f"got {low} {high}")
        _check(self.steps_per_epoch is None or self.steps_per_epoch >= 1,
               f"steps per epoch must be at least 1, got {self.steps_per_epoch}")
        _check(self.patience >= 0, f"patience must be 0 (never stop early) or more, "
                                   f"got {self.patience}")
        _check(self.seed is None or 0 <= self.seed < 2**63,
               f"seed must be a whole number from 0 to 2**63-1, got {self.seed}")
        _check(self.threads is None or self.threads >= 1,
               f"threads must be at least 1, got {self.threads}")
        _check(self.device in ("auto", "cpu", "cuda") or self.device.startswith("cuda:"),
               f"device must be auto, cpu, cuda or cuda:N, got {self.device!r}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["transpose"] = list(self.transpose)
        d["velocity_shift"] = list(self.velocity_shift)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    def model_config(self, vocab: Vocab) -> ModelConfig:
        return ModelConfig(vocab=vocab, embed=self.embed, hidden=self.hidden,
                           layers=self.layers, dropout=self.dropout, chained=self.chained,
                           bar_position=self.bar_position)


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise SegueError(message)


# ---------------------------------------------------------------------------
# data: pieces -> one array of steps
# ---------------------------------------------------------------------------
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
        """The steps of piece ``i``, as :func:`segue.model.vocab.encode_notes` gives them."""
        return self.steps[self.starts[i]: self.starts[i] + self.lengths[i] + 1]


def encode_pieces(
    notes: Sequence[np.ndarray], bar_ticks: Sequence[int], vocab: Vocab
) -> EncodedPieces:
    """Encode many pieces at once; piece ``i`` equals ``encode_notes(notes[i], bar_ticks[i])``.

    ``notes[i]`` is an (n, 4) array of start tick, pitch, duration ticks and
    velocity in time order. Pieces without notes are left out.
    """
    arrays = [np.asarray(n, dtype=np.int64).reshape(-1, 4) for n in notes]
    bars = np.asarray(bar_ticks, dtype=np.int64).reshape(-1)
    if len(bars) != len(arrays):
        raise ValueError(f"{len(arrays)} pieces but {len(bars)} bar lengths")
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    keep = lengths > 0
    arrays = [a for a, k in zip(arrays, keep, strict=True) if k]
    bars, lengths = bars[keep], lengths[keep]
    pieces = len(lengths)
    if pieces == 0:
        return EncodedPieces(np.zeros((0, 5), np.int64), np.zeros(0, np.int64),
                             np.zeros(0, np.int64))
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


def encode_split(dataset: Any, split: str, vocab: Vocab,
                 leave_out: Collection[int] = ()) -> EncodedPieces:
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


# ---------------------------------------------------------------------------
# windows and batches
# ---------------------------------------------------------------------------
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
        def move(a: np.ndarray) -> Tensor:
            return torch.from_numpy(np.ascontiguousarray(a)).to(device, non_blocking=True)

        return move(self.inputs), move(self.targets), move(self.mask)


def window_notes(data: EncodedPieces, piece: np.ndarray, offset: np.ndarray,
                 window: int) -> np.ndarray:
    """How many real targets each window holds (the rest is padding)."""
    return np.minimum(data.lengths[piece] - offset, window)


def gather_rows(data: EncodedPieces, windows: Windows, window: int,
                trim: bool = True) -> tuple[np.ndarray, np.ndarray]:
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


def transpose_rows(rows: np.ndarray, u: np.ndarray, low: int, high: int,
                   bos_pitch: int = 128) -> tuple[np.ndarray, np.ndarray]:
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


def shift_velocities(rows: np.ndarray, u: np.ndarray, low: int, high: int,
                     n_velocity: int = 32) -> np.ndarray:
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


def make_batch(data: EncodedPieces, windows: Windows, window: int,
               transpose: tuple[int, int] = (0, 0), bos_pitch: int = 128,
               velocity_shift: tuple[int, int] = (0, 0), n_velocity: int = 32) -> Batch:
    """Inputs, targets and mask for a set of windows, transposed if ``windows.shift`` is set
    and made louder or softer if ``windows.loudness`` is set."""
    rows, mask = gather_rows(data, windows, window)
    if windows.shift is not None and transpose != (0, 0):
        rows, _ = transpose_rows(rows, windows.shift, *transpose, bos_pitch=bos_pitch)
    if windows.loudness is not None and velocity_shift != (0, 0):
        rows = shift_velocities(rows, windows.loudness, *velocity_shift, n_velocity=n_velocity)
    return Batch(rows[:, :-1], rows[:, 1:], mask)


def _rng(seed: int, epoch: int, purpose: int, rank: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, epoch, purpose, rank])


def batches_per_epoch(data: EncodedPieces, window: int, batch_size: int, world: int = 1,
                      steps_per_epoch: int | None = None) -> int:
    """Batches each process runs per epoch: enough windows to cover every note once."""
    if steps_per_epoch:
        return steps_per_epoch
    windows = int(np.ceil(data.lengths / window).sum())
    return max(1, math.ceil(windows / (batch_size * world)))


def plan_epoch(data: EncodedPieces, window: int, batch_size: int, *, seed: int, epoch: int,
               rank: int = 0, world: int = 1, batches: int | None = None) -> list[Windows]:
    """The batches of windows one process trains on in one epoch.

    Each piece gets one window per ``window`` notes; all processes share one
    shuffled order of those windows and take every ``world``-th. Where each
    window starts and how it is transposed are drawn per process. Windows of
    similar length are batched together (less padding), in random batch order.
    Everything depends on ``(seed, epoch, rank)`` only.
    """
    count = batches or batches_per_epoch(data, window, batch_size, world)
    need = count * batch_size * world
    pool = np.repeat(np.arange(data.pieces), np.ceil(data.lengths / window).astype(np.int64))
    order = _rng(seed, epoch, _ORDER)
    shuffled = [order.permutation(pool) for _ in range(math.ceil(need / len(pool)))]
    mine = np.concatenate(shuffled)[:need][rank::world]
    rng = _rng(seed, epoch, _WINDOWS, rank)
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


def plan_validation(data: EncodedPieces, window: int, batch_size: int, rank: int = 0,
                    world: int = 1) -> list[Windows]:
    """The validation batches of one process: windows sorted by length, split by rank."""
    w = validation_windows(data, window)
    order = np.argsort(-window_notes(data, w.piece, w.offset, window), kind="stable")
    order = order[rank::world]
    return [Windows(w.piece[c], w.offset[c])
            for c in (order[i:i + batch_size] for i in range(0, len(order), batch_size))]


# ---------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------
def _batch_losses(net: nn.Module, batch: Batch, device: torch.device,
                  amp: torch.dtype | None) -> tuple[Tensor, Tensor]:
    """Total loss (sum of the field means) and per-field sums plus note count (5,)."""
    inputs, targets, mask = batch.tensors(device)
    with _autocast(device, amp):
        logits = net(inputs, targets)
    losses = field_losses(logits, targets, mask)
    means = torch.stack([losses[f] for f in FIELDS])
    count = mask.sum().to(means.dtype)
    return means.sum(), torch.cat([means.detach() * count, count[None]]).double()


@torch.no_grad()
def loss_sums(model: SegueLSTM, data: EncodedPieces, batches: list[Windows], window: int,
              device: torch.device, amp: torch.dtype | None = None) -> Tensor:
    """Per-field loss sums and the note count (5,) over the given windows, in eval mode."""
    was_training = model.training
    model.eval()
    sums = torch.zeros(5, dtype=torch.float64, device=device)
    try:
        for windows in batches:
            sums += _batch_losses(model, make_batch(data, windows, window), device, amp)[1]
    finally:
        model.train(was_training)
    return sums


def loss_means(sums: Tensor | Sequence[float]) -> dict[str, float] | None:
    """Per-field mean loss (nats per note) and their ``total``; None without notes."""
    values = [float(v) for v in sums]
    if values[4] <= 0:
        return None
    means = {f: values[i] / values[4] for i, f in enumerate(FIELDS)}
    means["total"] = sum(means[f] for f in FIELDS)
    return means


def evaluate(model: SegueLSTM, data: EncodedPieces, *, window: int = 128, batch_size: int = 32,
             device: torch.device | str = "cpu") -> dict[str, float] | None:
    """Mean loss per field (nats per note) of a model on encoded pieces, no augmentation."""
    device = torch.device(device)
    batches = plan_validation(data, window, batch_size)
    return loss_means(loss_sums(model, data, batches, window, device).cpu())


# ---------------------------------------------------------------------------
# devices and processes
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Processes:
    """Where this process stands in a torchrun launch (rank 0 of 1 without one)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0
    local_world: int = 1

    @property
    def main(self) -> bool:
        return self.rank == 0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Processes:
        env = os.environ if env is None else env
        world = int(env.get("WORLD_SIZE", "1"))
        rank = int(env.get("RANK", "0"))
        local_rank = int(env.get("LOCAL_RANK", str(rank)))
        local_world = int(env.get("LOCAL_WORLD_SIZE", str(world)))
        return cls(rank, world, local_rank, local_world)


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    """``auto`` is CUDA when PyTorch sees a GPU, else the CPU."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise SegueError(f"device {name}: PyTorch sees no CUDA GPU here; use --device cpu")
    if name == "cuda":
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    device = torch.device(name)
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise SegueError(f"device {name}: there are only {torch.cuda.device_count()} GPUs")
    return device


def mixed_precision(device: torch.device) -> torch.dtype | None:
    """bfloat16 on GPUs that support it, else float16 (with a GradScaler); none on the CPU."""
    if device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def _autocast(device: torch.device, amp: torch.dtype | None) -> Any:
    return torch.autocast(device.type, dtype=amp) if amp is not None else nullcontext()


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextmanager
def _threads(device: torch.device, threads: int | None, procs: Processes) -> Iterator[int]:
    """On the CPU, use the given threads or this process's share of the cores."""
    before = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(threads or max(1, _cpu_count() // procs.local_world))
    try:
        yield torch.get_num_threads()
    finally:
        torch.set_num_threads(before)


@contextmanager
def _process_group(procs: Processes, device: torch.device) -> Iterator[None]:
    if procs.world == 1:
        yield
        return
    import torch.distributed as dist

    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    try:
        yield
        # every rank ends together: rank 0 writes files after the last collective, and a
        # gloo group torn down under a peer still inside it can abort the process
        dist.barrier()
    finally:
        dist.destroy_process_group()


def _all_reduce(t: Tensor, procs: Processes, op: str = "sum") -> Tensor:
    if procs.world > 1:
        import torch.distributed as dist

        dist.all_reduce(t, op=dist.ReduceOp.MAX if op == "max" else dist.ReduceOp.SUM)
    return t


class StopFlag:
    """Set by Ctrl-C (SIGINT) or SIGTERM: training saves ``last.pt`` after this batch.

    A second Ctrl-C more than a second after the first stops at once, without
    saving (signals that arrive together, as from torchrun, count as one).
    """

    def __init__(self) -> None:
        self.requested = False
        self.since = 0.0

    def request(self) -> None:
        if not self.requested:
            self.requested, self.since = True, time.monotonic()

    def _handle(self, signum: int, frame: object) -> None:
        again = self.requested and time.monotonic() - self.since > 1.0
        if again and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.request()


@contextmanager
def _stop_on_signals(flag: StopFlag) -> Iterator[StopFlag]:
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = {s: signal.signal(s, flag._handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# ---------------------------------------------------------------------------
# run folders and resuming
# ---------------------------------------------------------------------------
@dataclass
class TrainResult:
    run_dir: Path
    status: str
    """``completed``, ``early-stopped``, ``interrupted`` or ``finished`` (nothing left to do)."""
    epochs: int  # epochs completed
    best_epoch: int | None
    best_loss: float | None
    history: list[dict[str, Any]]
    seconds: float
    model: SegueLSTM  # the final weights, on the CPU, in eval mode
    rank: int = 0
    world: int = 1

    @property
    def best_path(self) -> Path:
        return self.run_dir / BEST

    @property
    def last_path(self) -> Path:
        return self.run_dir / LAST


def read_run_config(run_dir: str | os.PathLike[str]) -> tuple[TrainConfig, Path]:
    """The settings and dataset path of the run in ``run_dir`` (from its ``last.pt``)."""
    payload = _read_last(Path(run_dir))
    config = TrainConfig.from_dict(payload["training_state"]["config"])
    return config, Path(payload["info"]["dataset"]["path"])


def _read_last(run_dir: Path) -> dict[str, Any]:
    """``last.pt`` of a run, checked to hold what resuming needs."""
    last = run_dir / LAST
    if not last.exists():
        raise SegueError(f"{run_dir}: no {LAST} to resume from (start the run without --resume)")
    payload = read_checkpoint(last)
    state, info = payload.get("training_state"), payload.get("info")
    if (not isinstance(state, dict) or not isinstance(state.get("config"), dict)
            or not isinstance(info, dict) or not isinstance(info.get("dataset"), dict)):
        raise CheckpointError(f"{last}: holds no training state, so it cannot be resumed")
    try:
        TrainConfig.from_dict(state["config"])
    except (SegueError, TypeError, ValueError) as exc:
        raise CheckpointError(f"{last}: its training settings are damaged ({exc})") from None
    return payload


def _check_run_dir(run_dir: Path, resume: bool, force: bool) -> None:
    if run_dir.exists() and not run_dir.is_dir():
        raise SegueError(f"{run_dir}: is a file; the run needs a folder")
    if resume or force:
        return
    existing = [n for n in (LAST, BEST) if (run_dir / n).exists()]
    if existing:
        raise SegueError(
            f"{run_dir}: already holds a training run ({', '.join(existing)}); "
            "add --resume to continue it or --force to start over"
        )


def _check_resumed_config(stored: TrainConfig, config: TrainConfig) -> TrainConfig:
    """The stored settings with the changeable ones taken from ``config``."""
    differ = [f.name for f in fields(TrainConfig)
              if f.name not in RESUMABLE and f.name != "seed"
              and getattr(stored, f.name) != getattr(config, f.name)]
    if config.seed is not None and config.seed != stored.seed:
        differ.append("seed")
    if differ:
        shown = ", ".join(f"{n} {getattr(config, n)} (run has {getattr(stored, n)})"
                          for n in differ)
        raise SegueError(f"a resumed run keeps its settings, but these differ: {shown}; "
                         "start a new run (--force) to change them")
    return replace(stored, **{n: getattr(config, n) for n in RESUMABLE})


def _plain(value: Any) -> Any:
    """A JSON-like copy (dicts, lists, str, numbers), safe for weights_only loading."""
    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        return str(o)

    return json.loads(json.dumps(value, default=default))


# ---------------------------------------------------------------------------
# the loop
# ---------------------------------------------------------------------------
def _torch_seed(seed: int, epoch: int, rank: int, batch: int = 0, purpose: int = _TORCH) -> int:
    state = np.random.SeedSequence([seed, epoch, purpose, rank, batch]).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


def _fmt(losses: dict[str, float] | None) -> str:
    if losses is None:
        return "-"
    parts = " ".join(f"{f[:3]} {losses[f]:.3f}" for f in FIELDS)
    return f"{losses['total']:.3f} ({parts})"


class _Run:
    """One training run in one process; :func:`train` is the way in."""

    def __init__(self, dataset: Any, run_dir: Path, config: TrainConfig, procs: Processes,
                 device: torch.device, log: Callable[[str], None], progress: bool,
                 command: Sequence[str] | None) -> None:
        self.dataset, self.run_dir, self.config = dataset, run_dir, config
        self.procs, self.device, self.log, self.progress = procs, device, log, progress
        self.commands = [list(command)] if command is not None else []
        self.seed = int(config.seed)  # type: ignore[arg-type]
        tpb = int(dataset.ticks_per_beat)
        self.vocab = Vocab(ticks_per_beat=tpb, max_bar_ticks=8 * tpb)
        self.train_data = encode_split(dataset, "train", self.vocab)
        self.valid_data = encode_split(dataset, "valid", self.vocab)
        if self.train_data.notes == 0:
            raise SegueError(f"{dataset.path}: the dataset has no training notes")
        self.fingerprint = {
            "ticks_per_beat": tpb,
            "train_pieces": self.train_data.pieces, "train_notes": self.train_data.notes,
            "valid_pieces": self.valid_data.pieces, "valid_notes": self.valid_data.notes,
        }
        torch.manual_seed(_torch_seed(self.seed, 0, 0, purpose=_INIT))
        self.model = SegueLSTM(config.model_config(self.vocab)).to(device)
        self.amp = mixed_precision(device)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=config.lr,
                                     weight_decay=config.weight_decay)
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.amp == torch.float16)
        self.net: nn.Module = self.model
        # progress, restored by resume()
        self.epoch = 0  # epochs completed
        self.batch = 0  # batches done in the epoch under way
        self.partial = torch.zeros(5, dtype=torch.float64, device=device)
        self.history: list[dict[str, Any]] = []
        self.best_loss: float | None = None
        self.best_epoch: int | None = None
        self.bad_epochs = 0
        self.seconds = 0.0
        self.rng_state: dict[str, Tensor] | None = None

    # ---- state ---------------------------------------------------------------
    def resume(self, payload: dict[str, Any]) -> None:
        state = payload["training_state"]
        if state.get("data") != self.fingerprint:
            raise SegueError(
                f"the dataset {self.dataset.path} differs from the one this run was trained on "
                f"(run: {state.get('data')}, now: {self.fingerprint})"
            )
        try:
            self.model.load_state_dict(payload["state_dict"])
            self.opt.load_state_dict(state["optimizer"])
            if state.get("scaler"):
                self.scaler.load_state_dict(state["scaler"])
            self.epoch, self.batch = int(state["epoch"]), int(state["batch"])
            partial = state["partial"] if self.procs.main else [0.0] * 5
            self.partial = torch.tensor(partial, dtype=torch.float64, device=self.device)
            self.history = list(state["history"])
            self.best_loss, self.best_epoch = state["best_loss"], state["best_epoch"]
            self.bad_epochs, self.seconds = int(state["bad_epochs"]), float(state["seconds"])
            self.rng_state = state.get("rng")
            self.commands = list(state.get("commands", [])) + self.commands
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CheckpointError(
                f"{self.run_dir / LAST}: its training state does not fit this run ({reason})"
            ) from None

    def _info(self, epoch: int) -> dict[str, Any]:
        from segue import __version__

        return {
            "kind": "segue-training-run",
            "dataset": {
                "path": str(Path(self.dataset.path).resolve()),
                "summary": str(self.dataset.summary()),
                "meta": _plain(dict(self.dataset.meta)),
                **self.fingerprint,
            },
            "epoch": epoch,
            "history": _plain(self.history),
            "best": {"epoch": self.best_epoch, "valid_loss": self.best_loss},
            "config": self.config.to_dict(),
            "commands": self.commands,
            "seconds": round(self.seconds, 3),
            "parameters": count_parameters(self.model),
            "device": str(self.device),
            "world_size": self.procs.world,
            "segue_version": __version__,
            "torch_version": str(torch.__version__),
        }

    def _training_state(self) -> dict[str, Any]:
        rng = None
        if self.procs.world == 1 and self.batch > 0:
            rng = {"cpu": torch.get_rng_state()}
            if self.device.type == "cuda":
                rng["cuda"] = torch.cuda.get_rng_state(self.device)
        return {
            "config": self.config.to_dict(),
            "seed": self.seed,
            "epoch": self.epoch,
            "batch": self.batch,
            "partial": self.partial.tolist(),
            "history": _plain(self.history),
            "best_loss": self.best_loss,
            "best_epoch": self.best_epoch,
            "bad_epochs": self.bad_epochs,
            "seconds": round(self.seconds, 3),
            "optimizer": self.opt.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler.is_enabled() else None,
            "rng": rng,
            "data": dict(self.fingerprint),
            "commands": self.commands,
        }

    def save_last(self) -> None:
        if self.procs.main:
            save_checkpoint(self.run_dir / LAST, self.model, self._info(self.epoch),
                            self._training_state())

    # ---- the loop ------------------------------------------------------------
    def run(self, stop: StopFlag) -> str:
        cfg = self.config
        if self.procs.world > 1:
            from torch.nn.parallel import DistributedDataParallel

            ids = [self.device.index] if self.device.type == "cuda" else None
            self.net = DistributedDataParallel(self.model, device_ids=ids)
        self.model.train()
        count = batches_per_epoch(self.train_data, cfg.window, cfg.batch_size,
                                  self.procs.world, cfg.steps_per_epoch)
        while not self.finished():
            started = time.monotonic()
            plan = plan_epoch(self.train_data, cfg.window, cfg.batch_size, seed=self.seed,
                              epoch=self.epoch, rank=self.procs.rank, world=self.procs.world,
                              batches=count)
            self._seed_epoch()
            stopped = self._train_batches(plan, stop)
            self.seconds += time.monotonic() - started
            if stopped:
                self.partial = _all_reduce(self.partial, self.procs)  # rank 0 keeps the sums
                self.save_last()
                return "interrupted"
            self._end_epoch()
            if self._stop_agreed(stop) and not self.finished():
                return "interrupted"
        return "early-stopped" if self._stopped_early() else "completed"

    def _stopped_early(self) -> bool:
        return self.config.patience > 0 and self.bad_epochs >= self.config.patience

    def finished(self) -> bool:
        return self.epoch >= self.config.epochs or self._stopped_early()

    def _seed_epoch(self) -> None:
        if self.batch == 0:
            self.partial.zero_()
            torch.manual_seed(_torch_seed(self.seed, self.epoch, self.procs.rank))
        elif self.rng_state is not None:
            torch.set_rng_state(self.rng_state["cpu"])
            if "cuda" in self.rng_state and self.device.type == "cuda":
                torch.cuda.set_rng_state(self.rng_state["cuda"], self.device)
        else:
            torch.manual_seed(_torch_seed(self.seed, self.epoch, self.procs.rank, self.batch))
        self.rng_state = None

    def _train_batches(self, plan: list[Windows], stop: StopFlag) -> bool:
        """Train on the plan's remaining batches; True if asked to stop before the end."""
        from tqdm import tqdm

        cfg = self.config
        bar = tqdm(total=len(plan), initial=self.batch, unit="batch", leave=False,
                   desc=f"epoch {self.epoch + 1}/{cfg.epochs}", dynamic_ncols=True,
                   disable=not (self.progress and self.procs.main), file=sys.stderr)
        with bar:
            for b in range(self.batch, len(plan)):
                if self._stop_agreed(stop):
                    self.log(f"stopping at epoch {self.epoch + 1}, batch {b}/{len(plan)}")
                    return True
                batch = make_batch(self.train_data, plan[b], cfg.window, cfg.transpose,
                                   self.vocab.n_pitch, cfg.velocity_shift,
                                   self.vocab.n_velocity)
                self.partial += self._step(batch)
                self.batch = b + 1
                bar.update(1)
                if b % 10 == 0 or b == len(plan) - 1:
                    bar.set_postfix(loss=f"{float(self.partial[:4].sum() / self.partial[4]):.3f}")
        return False

    def _stop_agreed(self, stop: StopFlag) -> bool:
        if self.procs.world == 1:
            return stop.requested
        flag = torch.tensor([1.0 if stop.requested else 0.0], device=self.device)
        return bool(_all_reduce(flag, self.procs, "max").item() > 0)

    def _step(self, batch: Batch) -> Tensor:
        loss, sums = _batch_losses(self.net, batch, self.device, self.amp)
        self.opt.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        if self.config.grad_clip > 0:
            self.scaler.unscale_(self.opt)
            nn.utils.clip_grad_norm_(self.model.parameters(), self.config.grad_clip)
        self.scaler.step(self.opt)
        self.scaler.update()
        return sums

    def _end_epoch(self) -> None:
        cfg = self.config
        started = time.monotonic()
        train = loss_means(_all_reduce(self.partial.clone(), self.procs).cpu())
        batches = plan_validation(self.valid_data, cfg.window, cfg.batch_size,
                                  self.procs.rank, self.procs.world)
        sums = loss_sums(self.model, self.valid_data, batches, cfg.window, self.device, self.amp)
        valid = loss_means(_all_reduce(sums, self.procs).cpu())
        self.seconds += time.monotonic() - started
        self.epoch += 1
        self.batch = 0
        self.partial.zero_()
        score = (valid or train or {"total": math.inf})["total"]
        improved = self.best_loss is None or score < self.best_loss
        if improved:
            self.best_loss, self.best_epoch, self.bad_epochs = score, self.epoch, 0
        else:
            self.bad_epochs += 1
        before = self.history[-1]["elapsed"] if self.history else 0.0
        self.history.append({"epoch": self.epoch, "train": train, "valid": valid,
                             "seconds": round(self.seconds - before, 3),
                             "elapsed": round(self.seconds, 3)})
        if self.procs.main:
            if improved:
                save_checkpoint(self.run_dir / BEST, self.model, self._info(self.epoch))
            self.save_last()
            self._plot()
        mark = "  *best" if improved else ""
        self.log(f"epoch {self.epoch}/{cfg.epochs}  train {_fmt(train)}  "
                 f"valid {_fmt(valid)}  {self.seconds - before:.0f}s{mark}")

    def _plot(self) -> None:
        from segue.model.plots import plot_losses

        try:
            plot_losses(self.history, self.run_dir / PLOT, title=self.run_dir.name)
        except (OSError, ValueError, RuntimeError) as exc:  # a plot never stops training
            self.log(f"warning: could not draw {self.run_dir / PLOT}: {exc}")


def train(
    dataset_path: str | os.PathLike[str] | None,
    run_dir: str | os.PathLike[str],
    config: TrainConfig | None = None,
    *,
    resume: bool = False,
    force: bool = False,
    progress: bool = True,
    command: Sequence[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train a model on a prepared dataset; checkpoints and ``loss.png`` go to ``run_dir``.

    ``resume`` continues from ``run_dir/last.pt`` with the run's own settings:
    ``config`` may be None, and of its fields only epochs, patience, device and
    threads may differ from the run's; ``dataset_path`` may be None to use the
    run's. Without ``resume`` a folder that already holds a run is refused
    unless ``force``. ``command`` (the command line) is stored in the
    checkpoints' ``info["commands"]``, after those of the run's earlier
    sessions. Under ``torchrun`` only rank 0 logs and writes files.
    """
    from segue.dataset.loading import load_dataset

    if resume and force:
        raise SegueError("choose either --resume (continue the run) or --force (start over)")
    run = Path(run_dir)
    procs = Processes.from_env()
    _check_run_dir(run, resume, force)
    payload = None
    if resume:
        payload = _read_last(run)
        stored = TrainConfig.from_dict(payload["training_state"]["config"])
        config = stored if config is None else _check_resumed_config(stored, config)
        dataset_path = dataset_path or payload["info"]["dataset"]["path"]
    config = config or TrainConfig()
    if dataset_path is None:
        raise SegueError("name the dataset to train on")
    device = resolve_device(config.device, procs.local_rank)
    say = (log or _print) if procs.main else _quiet
    with _threads(device, config.threads, procs) as threads, _process_group(procs, device):
        if config.seed is None:
            seed = torch.tensor([np.random.SeedSequence().entropy % 2**62], dtype=torch.int64,
                                device=device)
            config = replace(config, seed=int(_all_reduce(seed, procs, "max").item()))
        job = _Run(load_dataset(dataset_path), run, config, procs, device, say, progress, command)
        if payload is not None:
            job.resume(payload)
        elif force and procs.main:
            for name in (LAST, BEST, PLOT):
                (run / name).unlink(missing_ok=True)
        if procs.main:
            run.mkdir(parents=True, exist_ok=True)
        say(_opening(job, threads))
        if job.valid_data.notes == 0:
            say("warning: the dataset has no validation pieces; best.pt and early stopping "
                "follow the training loss")
        with _stop_on_signals(StopFlag()) as stop:
            if job.finished():
                status = "finished"
                say(f"nothing to do: the run has finished after {job.epoch} epochs "
                    "(raise --epochs or --patience to go on)")
            else:
                status = job.run(stop)
        if status == "interrupted":
            where = (f"in epoch {job.epoch + 1} after batch {job.batch}" if job.batch
                     else f"after epoch {job.epoch}")
            say(f"stopped {where}; saved {run / LAST}")
        elif job.best_epoch is not None:
            say(f"{status}: best loss {job.best_loss:.4f} nats/note at epoch {job.best_epoch}; "
                f"model in {run / BEST}")
    if procs.main and status != "interrupted":
        _fit_memory(run / BEST, job.valid_data, Path(dataset_path).name, say)
    return TrainResult(run, status, job.epoch, job.best_epoch, job.best_loss, job.history,
                       job.seconds, job.model.cpu().eval(), procs.rank, procs.world)


def _fit_memory(best: Path, valid: EncodedPieces, dataset: str,
                say: Callable[[str], None]) -> None:
    """Fit the clip memory of ``best.pt`` on the validation pieces (unless it has one)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.likelihood import fit_memory, write_memory

    if valid.notes == 0 or not best.exists():
        return
    loaded = load_checkpoint(best)
    if loaded.config.memory:
        return
    fit = fit_memory(loaded.model, valid)
    write_memory(best, best, fit, dataset, "valid")
    say(f"clip memory fitted on the validation split, {fit.summary()}")


def _opening(job: _Run, threads: int) -> str:
    cfg, fp = job.config, job.fingerprint
    where = f"{job.device}" + (f" ({threads} threads)" if job.device.type == "cpu" else "")
    if job.procs.world > 1:
        where += f" x {job.procs.world} processes"
    if job.amp is not None:
        where += f", {str(job.amp).removeprefix('torch.')}"
    count = batches_per_epoch(job.train_data, cfg.window, cfg.batch_size, job.procs.world,
                              cfg.steps_per_epoch)
    start = (f"resuming at epoch {job.epoch + 1}" + (f", batch {job.batch}" if job.batch else "")
             if job.epoch or job.batch else "training")
    return (f"{start}: {fp['train_notes']:,} notes in {fp['train_pieces']:,} pieces "
            f"(valid {fp['valid_notes']:,} in {fp['valid_pieces']:,}); "
            f"{count_parameters(job.model):,} parameters on {where}; "
            f"{count} batches of {cfg.batch_size} x {cfg.window} steps per epoch; seed {job.seed}")


def _print(message: str) -> None:
    from tqdm import tqdm

    tqdm.write(message, file=sys.stdout)
    sys.stdout.flush()


def _quiet(message: str) -> None:
    pass
