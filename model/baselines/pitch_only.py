"""The pitch-only baseline: an LSTM over pitches alone (the "notes only" way of one
predecessor project).

It continues a seed on a fixed rhythm taken from the seed (its most common
inter-onset interval and duration, its median velocity); for held-out
likelihood its offset, duration and velocity come from the training split's
smoothed unigram distributions (order-1 :class:`~.ngram.FieldNGram`). The LSTM
trains in the evaluation run on windows and transpositions drawn as segue's own
training draws them, and can be saved beside the report and loaded again.
"""

from __future__ import annotations

import copy
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from segue.errors import SegueError
from segue.files import write_file_atomically
from segue.grid import TICKS_PER_BEAT
from segue.model.baselines.ngram import FieldNGram, field_nll, field_sequences
from segue.model.checkpoint import unreadable_reason
from segue.model.sampling import Sampler
from segue.model.training.batches import (
    EncodedPieces,
    Windows,
    make_batch,
    plan_epoch,
    plan_validation,
)
from segue.model.vocab import FIELDS, Vocab

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
    batches: list[Windows],
    window: int,
    device: torch.device,
    transpose: tuple[int, int] = (0, 0),
) -> Iterator[tuple[Tensor, Tensor, Tensor]]:
    """Pitch inputs, pitch targets and the mask of each batch of windows."""
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
    rng_seed: int = 0,
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
    torch.manual_seed(rng_seed)
    model = PitchLSTM(config).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    say = log or (lambda _: None)
    began = time.monotonic()
    best: tuple[float, dict[str, Tensor]] | None = None
    bad, done, stopped = 0, 0.0, "epochs"
    for epoch in range(epochs):
        plan = plan_epoch(train, window, batch_size, rng_seed=rng_seed, epoch=epoch)
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
    if p.is_dir():
        raise SegueError(f"{p}: is a folder; name the pitch_only.pt inside it")
    if not p.is_file():
        raise SegueError(f"{p}: no such pitch-only LSTM file")
    try:
        payload = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch.load raises many kinds on a foreign or damaged file
        reason = unreadable_reason(exc)
        raise SegueError(f"{p}: not a readable pitch-only LSTM ({reason})") from None
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


def fixed_rhythm(seed: np.ndarray, ticks_per_beat: int = TICKS_PER_BEAT) -> tuple[int, int, int]:
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
            name: FieldNGram.fit(field_sequences(train, column), sizes[name], 1)
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
                out[name] = field_nll(self.unigrams[name], data, column)
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
