"""The n-gram baseline: one Markov chain per note field (offset, pitch, duration,
velocity), each predicting its field from that field's previous values only.

Interpolated Witten-Bell smoothing reaches down to a uniform distribution, so
every conditional distribution covers every class and sums to 1. The order of
each chain is chosen on the validation split. Fitting counts a whole split in
seconds. Fields are sampled independently of each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from segue.model.note_values import doubled, halved, halved_tick, halvings
from segue.model.sampling import Sampler
from segue.model.training.batches import EncodedPieces
from segue.model.vocab import FIELDS, Vocab, steps_of
from segue.model.voices import HARD_POLYPHONY, Voices

MAX_NOTES = 4096
_BASE = 256  # every class and BOS index fits in 8 bits
MAX_ORDER = 6  # 5 previous values and the one predicted: 56 bits of key


def _rows_of(notes: list[np.ndarray]) -> np.ndarray:
    return np.array(notes, dtype=np.int64).reshape(-1, 4)


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


def field_sequences(data: EncodedPieces, column: int) -> list[np.ndarray]:
    """One field's classes of each piece, its BOS step first."""
    return [data.piece_steps(i)[:, column] for i in range(data.pieces)]


def field_nll(model: FieldNGram, data: EncodedPieces, column: int) -> float:
    """Negative log-likelihood per note (nats) of one field under ``model`` at its order."""
    sums, count = model.log_likelihood(field_sequences(data, column))
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
            sequences = field_sequences(train, column)
            full = FieldNGram.fit(sequences, sizes[name], order or MAX_ORDER)
            if order is None and valid is not None and valid.notes > 0:
                sums, _ = full.log_likelihood(field_sequences(valid, column))
                full = full.truncated(int(np.argmax(sums)) + 1)
            elif order is None:
                full = full.truncated(3)
            fields[name] = full
        return cls(vocab, fields)

    def nll(self, data: EncodedPieces) -> dict[str, float]:
        """Negative log-likelihood per note of each field (nats) and ``notes``."""
        out: dict[str, float] = {}
        for column, name in enumerate(FIELDS):
            out[name] = field_nll(self.fields[name], data, column)
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
        times = halvings(bar_ticks, vocab.max_bar_ticks)  # a bar too long: as generate does
        seed = halved(np.asarray(seed, dtype=np.int64).reshape(-1, 4), times)
        seed_ticks, span_ticks = halved_tick(seed_ticks, times), span_ticks >> times
        steps = steps_of(seed, bar_ticks >> times, vocab)
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
        return [doubled(_rows_of(n), times) for n in notes]  # in the clip's own note values
