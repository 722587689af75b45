"""Baselines for the evaluation: the seed projects' simpler ways of continuing music.

* :class:`NGramModel`: one Markov chain per note field (offset, pitch, duration,
  velocity), each predicting its field from that field's previous values only,
  with interpolated Witten-Bell smoothing down to a uniform distribution, so
  every conditional distribution covers every class and sums to 1. The order of
  each chain is chosen on the validation split. Fitting counts a whole split
  in seconds.
* :class:`PitchOnly`: an LSTM over pitches alone (the "notes only" way of one
  seed project). It continues a seed with a fixed rhythm taken from the seed
  (its most common inter-onset interval and duration, its median velocity);
  for held-out likelihood its offset, duration and velocity come from the
  training split's smoothed unigram distributions.

Both speak in the classes of :class:`segue.model.vocab.Vocab`, so their
likelihoods sit beside segue's on one scale, and both continue seeds in the
way :func:`segue.model.generate.generate` does: the first note no earlier than
the seed clip's end, no pitch sounding twice at once, notes cut at the end.
"""

from __future__ import annotations

import copy
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from segue.errors import SegueError
from segue.files import write_file_atomically
from segue.model.sampling import Sampler
from segue.model.train import EncodedPieces, make_batch, plan_epoch, plan_validation
from segue.model.vocab import FIELDS, Vocab, encode_notes
from segue.model.voices import HARD_POLYPHONY, Voices

MAX_NOTES = 4096
_BASE = 256  # every class and BOS index fits in 8 bits
MAX_ORDER = 6  # 5 previous values and the one predicted: 56 bits of key


def _rows_of(notes: list[np.ndarray]) -> np.ndarray:
    return np.array(notes, dtype=np.int64).reshape(-1, 4)


# ---------------------------------------------------------------------------
# n-gram
# ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Counts:
    """Counts for one context length: contexts and (context, value) pairs, as sorted keys."""

    contexts: np.ndarray  # sorted context keys
    totals: np.ndarray  # notes seen after each context
    types: np.ndarray  # distinct values seen after each context
    pairs: np.ndarray  # sorted keys context * 256 + value
    pair_counts: np.ndarray


def _context_keys(contexts: np.ndarray) -> np.ndarray:
    """(M, k) previous values, oldest first -> one int64 key per row (k <= 6)."""
    keys = np.zeros(len(contexts), dtype=np.int64)
    for column in range(contexts.shape[1]):
        keys = keys * _BASE + contexts[:, column]
    return keys


def _histories(sequence: np.ndarray, bos: int, length: int) -> np.ndarray:
    """For each value after the first (a BOS step), the ``length`` values before it."""
    padded = np.concatenate([np.full(length, bos, dtype=np.int64), sequence.astype(np.int64)])
    if length == 0:
        return np.zeros((len(sequence) - 1, 0), dtype=np.int64)
    view = np.lib.stride_tricks.sliding_window_view(padded, length)
    return view[1 : len(sequence)]


class FieldNGram:
    """A smoothed n-gram model of one field: P(value | the previous order-1 values).

    Interpolated Witten-Bell: with c(h, w) the count of value w after context h,
    c(h) its total and T(h) the number of distinct values seen after h,
    ``P_k(w | h) = (c(h, w) + T(h) P_{k-1}(w | h')) / (c(h) + T(h))`` where h' is h
    without its oldest value, ``P_k = P_{k-1}`` for an unseen h, and ``P_{-1}`` is
    uniform over the ``size`` classes. Each step keeps the sum at 1.
    """

    def __init__(self, size: int, order: int, counts: list[_Counts]) -> None:
        self.size, self.order, self.counts = size, order, counts

    @property
    def bos(self) -> int:
        return self.size

    @classmethod
    def fit(cls, sequences: Sequence[np.ndarray], size: int, order: int) -> FieldNGram:
        """Count each sequence (BOS first, then its values) for contexts up to order-1 values."""
        if not 1 <= order <= MAX_ORDER:
            raise ValueError(f"n-gram order must be from 1 to {MAX_ORDER}, got {order}")
        counts = []
        for length in range(order):
            contexts = [_histories(s, size, length) for s in sequences if len(s) > 1]
            targets = [np.asarray(s[1:], dtype=np.int64) for s in sequences if len(s) > 1]
            ctx = _context_keys(np.concatenate(contexts)) if contexts else np.zeros(0, np.int64)
            val = np.concatenate(targets) if targets else np.zeros(0, np.int64)
            pairs, pair_counts = np.unique(ctx * _BASE + val, return_counts=True)
            contexts_, totals = np.unique(ctx, return_counts=True)
            owners = pairs // _BASE
            types = np.bincount(np.searchsorted(contexts_, owners), minlength=len(contexts_))
            counts.append(_Counts(contexts_, totals, types, pairs, pair_counts))
        return cls(size, order, counts)

    def truncated(self, order: int) -> FieldNGram:
        """The same counts used up to a lower order."""
        return FieldNGram(self.size, order, self.counts[:order])

    def distributions(self, histories: np.ndarray, every_order: bool = False) -> Any:
        """(M, V) distributions after (M, >= order-1) histories (oldest first, BOS-padded).

        With ``every_order`` a list of the distributions after each order 1..order.
        """
        histories = np.asarray(histories, dtype=np.int64).reshape(len(histories), -1)
        probs = np.full((len(histories), self.size), 1.0 / self.size)
        stages = []
        for length, table in enumerate(self.counts):
            context = histories[:, histories.shape[1] - length :] if length else histories[:, :0]
            keys = _context_keys(context)
            if len(table.contexts) == 0:
                stages.append(probs)
                continue
            where = np.minimum(np.searchsorted(table.contexts, keys), len(table.contexts) - 1)
            seen = table.contexts[where] == keys
            if seen.any():
                rows = np.flatnonzero(seen)
                first = np.searchsorted(table.pairs, keys[rows] * _BASE)
                last = np.searchsorted(table.pairs, keys[rows] * _BASE + _BASE)
                spans = last - first
                owner = np.repeat(np.arange(len(rows)), spans)
                index = np.repeat(first - np.cumsum(spans) + spans, spans) + np.arange(spans.sum())
                counts = np.zeros((len(rows), self.size))
                counts[owner, table.pairs[index] % _BASE] = table.pair_counts[index]
                total = table.totals[where[rows]][:, None].astype(np.float64)
                types = table.types[where[rows]][:, None].astype(np.float64)
                probs = probs.copy()
                probs[rows] = (counts + types * probs[rows]) / (total + types)
            stages.append(probs)
        return stages if every_order else probs

    def log_likelihood(self, sequences: Sequence[np.ndarray]) -> tuple[np.ndarray, int]:
        """Summed log-probability (nats) of each sequence's values under each order, and count."""
        sums = np.zeros(self.order)
        count = 0
        width = max(self.order - 1, 0)
        histories = [_histories(s, self.bos, width) for s in sequences if len(s) > 1]
        targets = [np.asarray(s[1:], dtype=np.int64) for s in sequences if len(s) > 1]
        if not targets:
            return sums, 0
        history, target = np.concatenate(histories), np.concatenate(targets)
        for start in range(0, len(target), 8192):
            chunk = slice(start, start + 8192)
            stages = self.distributions(history[chunk], every_order=True)
            rows = np.arange(len(target[chunk]))
            for k, probs in enumerate(stages):
                sums[k] += np.log(probs[rows, target[chunk]]).sum()
        count = len(target)
        return sums, count


def _field_sequences(data: EncodedPieces, column: int) -> list[np.ndarray]:
    return [data.piece_steps(i)[:, column] for i in range(data.pieces)]


def _field_nll(model: FieldNGram, data: EncodedPieces, column: int) -> float:
    """Negative log-likelihood per note (nats) of one field under ``model`` at its order."""
    sums, count = model.log_likelihood(_field_sequences(data, column))
    return -float(sums[-1]) / count if count else math.nan


class NGramModel:
    """One :class:`FieldNGram` per note field; fields are sampled independently."""

    def __init__(self, vocab: Vocab, fields: dict[str, FieldNGram]) -> None:
        self.vocab, self.fields = vocab, fields

    @property
    def orders(self) -> dict[str, int]:
        return {name: model.order for name, model in self.fields.items()}

    @classmethod
    def fit(
        cls,
        train: EncodedPieces,
        vocab: Vocab,
        order: int | None = None,
        valid: EncodedPieces | None = None,
    ) -> NGramModel:
        """Count the training pieces. ``order`` None: each field's order from 1 to
        :data:`MAX_ORDER`, whichever gives the validation pieces the highest likelihood."""
        sizes = vocab.sizes()
        fields = {}
        for column, name in enumerate(FIELDS):
            sequences = _field_sequences(train, column)
            full = FieldNGram.fit(sequences, sizes[name], order or MAX_ORDER)
            if order is None and valid is not None and valid.notes > 0:
                sums, _ = full.log_likelihood(_field_sequences(valid, column))
                full = full.truncated(int(np.argmax(sums)) + 1)
            elif order is None:
                full = full.truncated(3)
            fields[name] = full
        return cls(vocab, fields)

    def nll(self, data: EncodedPieces) -> dict[str, float]:
        """Negative log-likelihood per note of each field (nats) and ``notes``."""
        out: dict[str, float] = {}
        for column, name in enumerate(FIELDS):
            out[name] = _field_nll(self.fields[name], data, column)
        out["notes"] = float(data.notes)
        return out

    def continuations(
        self,
        seed: np.ndarray,
        seed_ticks: int,
        bar_ticks: int,
        span_ticks: int,
        temperature: float,
        top_p: float,
        samples: int,
        rng_seed: int,
    ) -> list[np.ndarray]:
        """``samples`` continuations of the seed rows, as rows starting at 0 (the seed's end)."""
        rng = np.random.default_rng(rng_seed)
        vocab = self.vocab
        seed = np.asarray(seed, dtype=np.int64).reshape(-1, 4)
        steps = encode_notes(seed, bar_ticks, vocab)
        width = max(model.order for model in self.fields.values()) - 1
        pad = np.array([vocab.n_offset, vocab.n_pitch, vocab.n_duration, vocab.n_velocity])
        history = np.concatenate([np.repeat(pad[None, :], width, axis=0), steps[:, :4]])
        histories = np.repeat(history[None, -max(width, 1) :], samples, axis=0)
        time_values = np.asarray(vocab.time_values)
        end = seed_ticks + span_ticks
        voices = Voices(samples, seed)
        sample = Sampler(temperature, top_p)
        every_pitch = np.ones(128, dtype=bool)
        last_onset = np.full(samples, int(seed[-1, 0]) if len(seed) else 0, dtype=np.int64)
        live = np.ones(samples, dtype=bool)
        made = np.zeros(samples, dtype=np.int64)
        notes: list[list[np.ndarray]] = [[] for _ in range(samples)]

        def draw(name: str, column: int, allowed: np.ndarray | None) -> np.ndarray:
            model = self.fields[name]
            context = (
                histories[:, histories.shape[1] - (model.order - 1) :, column]
                if model.order > 1
                else histories[:, :0, column]
            )
            probs = model.distributions(context)
            with np.errstate(divide="ignore"):
                return sample(np.log(probs), allowed, rng)

        for _ in range(MAX_NOTES):
            onsets = last_onset[:, None] + time_values[None, :]
            allowed = voices.offset_mask(last_onset, onsets, HARD_POLYPHONY)
            late_enough = (made[:, None] > 0) | (onsets >= seed_ticks)
            allowed = late_enough if allowed is None else allowed & late_enough
            allowed[~allowed.any(axis=1), -1] = True
            offset = draw("offset", 0, allowed)
            onset = last_onset + time_values[offset]
            onset = np.where(made == 0, np.maximum(onset, seed_ticks), onset)
            pitch = draw("pitch", 1, voices.pitch_mask(onset, every_pitch))
            duration = draw("duration", 2, None)
            velocity = draw("velocity", 3, None)
            live &= onset < end
            if not live.any():
                break
            length = np.minimum(vocab.duration_ticks(duration), end - onset)
            for s in np.flatnonzero(live):
                notes[s].append(
                    np.array(
                        [
                            onset[s] - seed_ticks,
                            pitch[s],
                            length[s],
                            vocab.velocity_value(velocity[s]),
                        ]
                    )
                )
            voices.add(onset + length, pitch, live)
            made += live
            last_onset = onset
            new = np.stack([offset, pitch, duration, velocity], axis=1)
            histories = np.concatenate([histories[:, 1:], new[:, None, :]], axis=1)
        return [_rows_of(n) for n in notes]


# ---------------------------------------------------------------------------
# pitch-only LSTM
# ---------------------------------------------------------------------------
PITCH_FORMAT = "segue-pitch-lstm"
PITCH_VERSION = 1
BOS_PITCH = 128


@dataclass(frozen=True)
class PitchLSTMConfig:
    embed: int = 64
    hidden: int = 256
    layers: int = 2
    dropout: float = 0.1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PitchLSTMConfig:
        return cls(**{k: d[k] for k in ("embed", "hidden", "layers", "dropout")})


class PitchLSTM(nn.Module):
    """Pitches in (BOS = 128), the next pitch's logits out."""

    def __init__(self, config: PitchLSTMConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(BOS_PITCH + 1, config.embed)
        self.lstm = nn.LSTM(
            config.embed,
            config.hidden,
            config.layers,
            batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden, 128)

    def forward(
        self, pitches: Tensor, state: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Tensor, Any]:
        out, state = self.lstm(self.embed(pitches), state)
        return self.head(self.drop(out)), state


def _pitch_batch(
    data: EncodedPieces,
    batches: list[Any],
    window: int,
    device: torch.device,
    transpose: tuple[int, int] = (0, 0),
) -> Any:
    for windows in batches:
        batch = make_batch(data, windows, window, transpose)
        inputs = torch.from_numpy(np.ascontiguousarray(batch.inputs[..., 1])).to(device)
        targets = torch.from_numpy(np.ascontiguousarray(batch.targets[..., 1])).to(device)
        mask = torch.from_numpy(batch.mask).to(device)
        yield inputs, targets, mask


@torch.no_grad()
def pitch_nll(model: PitchLSTM, data: EncodedPieces, batch_size: int = 16) -> tuple[float, int]:
    """Summed pitch NLL (nats) over every note of the pieces, each read from its start."""
    if data.notes == 0:
        return 0.0, 0
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    window = int(data.lengths.max())
    total = 0.0
    try:
        for inputs, targets, mask in _pitch_batch(
            data, plan_validation(data, window, batch_size), window, device
        ):
            logits, _ = model(inputs)
            total += float(F.cross_entropy(logits[mask].float(), targets[mask], reduction="sum"))
    finally:
        model.train(was_training)
    return total, data.notes


@dataclass
class PitchTraining:
    """How a pitch-only LSTM was trained."""

    epochs: float
    seconds: float
    best_valid: float | None  # nats per note
    stopped: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def train_pitch_lstm(
    train: EncodedPieces,
    valid: EncodedPieces,
    config: PitchLSTMConfig,
    *,
    seconds: float = 600.0,
    epochs: int = 30,
    patience: int = 3,
    seed: int = 0,
    batch_size: int = 32,
    window: int = 128,
    lr: float = 2e-3,
    transpose: tuple[int, int] = (-5, 6),
    device: str | torch.device = "cpu",
    log: Callable[[str], None] | None = None,
    progress: bool = False,
) -> tuple[PitchLSTM, PitchTraining]:
    """Fit a :class:`PitchLSTM` on the training pieces (windows and transpositions as segue's
    own training draws them) until ``epochs``, ``patience`` epochs without a better
    validation loss, or ``seconds``; returns the weights with the best validation loss."""
    from tqdm import tqdm

    if train.notes == 0:
        raise SegueError("the dataset has no training notes for the pitch-only LSTM")
    device = torch.device(device)
    torch.manual_seed(seed)
    model = PitchLSTM(config).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    say = log or (lambda _: None)
    began = time.monotonic()
    best: tuple[float, dict[str, Tensor]] | None = None
    bad, done, stopped = 0, 0.0, "epochs"
    for epoch in range(epochs):
        plan = plan_epoch(train, window, batch_size, seed=seed, epoch=epoch)
        out_of_time = False
        bar = tqdm(
            total=len(plan),
            desc=f"pitch-only LSTM, epoch {epoch + 1}",
            leave=False,
            disable=not progress,
            file=sys.stderr,
            dynamic_ncols=True,
        )
        with bar:
            model.train()
            for b, (inputs, targets, mask) in enumerate(
                _pitch_batch(train, plan, window, device, transpose)
            ):
                logits, _ = model(inputs)
                loss = F.cross_entropy(logits[mask], targets[mask])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                bar.update(1)
                if time.monotonic() - began > seconds:
                    out_of_time = True
                    done += (b + 1) / len(plan)
                    break
            else:
                done += 1
        total, count = pitch_nll(model, valid) if valid.notes else pitch_nll(model, train)
        score = total / count
        say(f"pitch-only LSTM: epoch {done:.2f}, validation pitch loss {score:.3f} nats/note")
        if best is None or score < best[0]:
            best, bad = (score, copy.deepcopy(model.state_dict())), 0
        else:
            bad += 1
        if out_of_time:
            stopped = "time"
            break
        if patience and bad >= patience:
            stopped = "patience"
            break
    assert best is not None
    model.load_state_dict(best[1])
    model.cpu().eval()
    return model, PitchTraining(
        round(done, 3), round(time.monotonic() - began, 1), best[0], stopped
    )


def save_pitch_lstm(
    path: str | os.PathLike[str], model: PitchLSTM, info: dict[str, Any] | None = None
) -> Path:
    """Weights and configuration as plain data (readable with ``weights_only=True``)."""
    payload = {
        "format": PITCH_FORMAT,
        "version": PITCH_VERSION,
        "config": model.config.to_dict(),
        "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
        "info": info or {},
    }
    return write_file_atomically(Path(path), lambda tmp: torch.save(payload, tmp))


def load_pitch_lstm(path: str | os.PathLike[str]) -> tuple[PitchLSTM, dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        raise SegueError(f"{p}: no such pitch-only LSTM file")
    try:
        payload = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch.load raises many kinds on a foreign or damaged file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SegueError(f"{p}: not a readable pitch-only LSTM ({first})") from None
    if not isinstance(payload, dict) or payload.get("format") != PITCH_FORMAT:
        raise SegueError(f"{p}: not a pitch-only LSTM saved by segue eval")
    if payload.get("version") != PITCH_VERSION:
        raise SegueError(
            f"{p}: pitch-only LSTM format version {payload.get('version')!r} is not {PITCH_VERSION}"
        )
    try:
        model = PitchLSTM(PitchLSTMConfig.from_dict(payload["config"]))
        model.load_state_dict(payload["state_dict"])
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise SegueError(f"{p}: damaged pitch-only LSTM ({exc})") from None
    return model.eval(), dict(payload.get("info", {}))


def fixed_rhythm(seed: np.ndarray, ticks_per_beat: int = 24) -> tuple[int, int, int]:
    """The seed's most common inter-onset interval and duration (ticks; the shorter on a tie)
    and its median velocity: the one rhythm a pitch-only continuation repeats."""
    seed = np.asarray(seed, dtype=np.int64).reshape(-1, 4)
    if len(seed) == 0:
        return ticks_per_beat, ticks_per_beat, 100
    gaps = np.diff(np.unique(seed[:, 0]))
    ioi = int(np.bincount(gaps).argmax()) if len(gaps) else ticks_per_beat
    duration = int(np.bincount(seed[:, 2]).argmax())
    return max(ioi, 1), max(duration, 1), int(np.median(seed[:, 3]))


class PitchOnly:
    """The pitch-only LSTM with a fixed rhythm, and unigram distributions for the other fields."""

    def __init__(self, model: PitchLSTM, vocab: Vocab, unigrams: dict[str, FieldNGram]) -> None:
        self.model, self.vocab, self.unigrams = model.cpu().eval(), vocab, unigrams

    @classmethod
    def with_unigrams(cls, model: PitchLSTM, vocab: Vocab, train: EncodedPieces) -> PitchOnly:
        sizes = vocab.sizes()
        unigrams = {
            name: FieldNGram.fit(_field_sequences(train, column), sizes[name], 1)
            for column, name in enumerate(FIELDS)
            if name != "pitch"
        }
        return cls(model, vocab, unigrams)

    def nll(self, data: EncodedPieces) -> dict[str, float]:
        """Per-note NLL of each field (nats): pitch from the LSTM, the rest from unigrams."""
        out: dict[str, float] = {}
        total, count = pitch_nll(self.model, data)
        for column, name in enumerate(FIELDS):
            if name == "pitch":
                out[name] = total / count if count else math.nan
            else:
                out[name] = _field_nll(self.unigrams[name], data, column)
        out["notes"] = float(data.notes)
        return out

    @torch.no_grad()
    def continuations(
        self,
        seed: np.ndarray,
        seed_ticks: int,
        bar_ticks: int,
        span_ticks: int,
        temperature: float,
        top_p: float,
        samples: int,
        rng_seed: int,
    ) -> list[np.ndarray]:
        """Pitches from the LSTM on the seed's fixed rhythm, from the seed's end."""
        rng = np.random.default_rng(rng_seed)
        sample = Sampler(temperature, top_p)
        seed = np.asarray(seed, dtype=np.int64).reshape(-1, 4)
        ioi, duration, velocity = fixed_rhythm(seed, self.vocab.ticks_per_beat)
        onsets = np.arange(seed_ticks, seed_ticks + span_ticks, ioi)
        pitches = np.concatenate([[BOS_PITCH], seed[:, 1]]).astype(np.int64)
        logits, state = self.model(torch.from_numpy(pitches)[None].expand(samples, -1))
        last = logits[:, -1]
        chosen = np.zeros((samples, len(onsets)), dtype=np.int64)
        for i in range(len(onsets)):
            pitch = sample(torch.log_softmax(last.float(), -1).numpy(), None, rng)
            chosen[:, i] = pitch
            if i + 1 < len(onsets):
                logits, state = self.model(torch.from_numpy(pitch)[:, None], state)
                last = logits[:, -1]
        end = seed_ticks + span_ticks
        length = np.minimum(duration, end - onsets)
        return [
            np.stack(
                [onsets - seed_ticks, chosen[s], length, np.full(len(onsets), velocity)], axis=1
            ).astype(np.int64)
            for s in range(samples)
        ]
