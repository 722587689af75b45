"""The loop's likelihood on continuations, and fitting it to a dataset (``segue.model.loop``).

A continuation window is a clip (its first ``seed_notes`` notes, up to ``clip_end``)
and what really came next. For every note after the clip, the loop proposes a note
and the network gives its distribution; :func:`continuation_losses` gives each
field's loss (nats) under the model that generation samples from:

* with probability ``phi`` the note repeats the proposal: its onset and pitch; its
  duration and velocity too, except for slips, where the network's are taken;
* otherwise, with the clip memory's weight, a copy of what followed the latest notes
  earlier in the clip (``segue.model.memory``); a copy of the proposed onset-and-pitch,
  and the rest of the weight, leave it to the network's note, the proposed
  onset-and-pitch excluded (renormalised). ``phi`` depends on whether the notes
  before repeated the loop (``segue.model.loop``).

``phi`` here is the fitted rate: generation sharpens it inside a phrase (the loop's
strength), as top-p shapes what it draws from the network, and neither enters a
likelihood.

Without a loop, the clip memory's mixture (``segue.model.likelihood``) scores the
notes. :func:`fit_loop` measures ``phi`` per cell and the slips (maximum-likelihood
rates: no network needed) on windows cut every 4 bars from a dataset's split, and
chooses the strength the continuation keeps the loop with: the smallest of
:data:`STRENGTHS` at which continuations of those windows score at least
:data:`KEEP` of the note F1 of repeating the clip (against the real continuation).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F

from segue.errors import SegueError
from segue.grid import clip_rows, to_beats, to_ticks

if TYPE_CHECKING:
    from segue.dataset.loading import Dataset

from segue.model.architecture import ModelConfig, Network
from segue.model.likelihood import (
    note_log_probs,
    note_losses,
    recalls,
    recurrent_outputs,
    views_of,
)
from segue.model.loop import (
    BEFORE,
    CELLS,
    STATE_CELLS,
    STATES,
    LoopHistory,
    LoopTable,
)
from segue.model.memory import Recall, bucket_weights, strengthened
from segue.model.metrics import as_notes, diversity, f1, note_keys, replay
from segue.model.note_values import halved, halvings, shorter_metre
from segue.model.palette import mixed_log_probs, palette_log_probs, seed_weights
from segue.model.training.batches import EncodedPieces, encode_pieces
from segue.model.transpositions import impossible, mixture_losses, shifted_rows
from segue.model.turn_sizes import varies_by_takes
from segue.model.vocab import Vocab
from segue.notes import Clip, TimeSignature

STRENGTHS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
KEEP = 0.9
DIVERSITY = 0.15
WINDOW_BARS = 4  # bars of clip, and bars after it
FIT_WINDOWS = 200  # windows continued to choose the strength


@dataclass(frozen=True)
class ContinuationWindow:
    """A clip and its real continuation as grid rows in time order, on one timeline."""

    rows: np.ndarray
    time_signature: TimeSignature
    seed_notes: int  # rows of the clip
    clip_end: int  # ticks

    @property
    def bar_ticks(self) -> int:
        return to_ticks(self.time_signature.beats_per_bar)

    def clip(self) -> Clip:
        """The clip, as generation takes it."""
        return Clip(
            as_notes(self.rows[: self.seed_notes]), to_beats(self.clip_end), self.time_signature
        )

    def real(self) -> np.ndarray:
        """The real continuation's rows, from 0 where the clip ends."""
        return self.rows[self.seed_notes :] - np.array([self.clip_end, 0, 0, 0])


def windows_of(
    rows: np.ndarray,
    time_signature: TimeSignature,
    clip_bars: int = WINDOW_BARS,
    bars: int = WINDOW_BARS,
    every: int = WINDOW_BARS,
) -> list[ContinuationWindow]:
    """Windows of a piece (grid rows): a clip of ``clip_bars`` bars starting every
    ``every`` bars, and the ``bars`` after it; windows without notes in both are left out.
    A piece whose bar is longer than a model's gives its windows in shorter note values and
    metre (``segue.model.note_values``), as generation and encoding read it."""
    rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    bar_ticks = to_ticks(time_signature.beats_per_bar)
    if not len(rows) or bar_ticks <= 0:
        return []
    times = halvings(bar_ticks, Vocab().max_bar_ticks)  # a bar too long: shorter note values
    if times:
        rows, time_signature = halved(rows, times), shorter_metre(time_signature, times)
        bar_ticks = to_ticks(time_signature.beats_per_bar)
    last = int((rows[:, 0] + rows[:, 2]).max())
    out = []
    for start_bar in range(0, -(-last // bar_ticks) - clip_bars - bars + 1, every):
        start, clip_end = start_bar * bar_ticks, (start_bar + clip_bars) * bar_ticks
        stop = clip_end + bars * bar_ticks
        inside = rows[(rows[:, 0] >= start) & (rows[:, 0] < stop)].copy()
        inside[:, 0] -= start
        inside[:, 2] = np.minimum(inside[:, 0] + inside[:, 2], stop - start) - inside[:, 0]
        seed_notes = int((inside[:, 0] < clip_end - start).sum())
        clip = inside[:seed_notes]  # a clip's notes end where it ends
        clip[:, 2] = np.minimum(clip[:, 0] + clip[:, 2], clip_end - start) - clip[:, 0]
        if seed_notes and seed_notes < len(inside):
            out.append(ContinuationWindow(inside, time_signature, seed_notes, clip_end - start))
    return out


@dataclass
class _Terms:
    """What the loop's likelihood needs of one window's continuation notes."""

    cell: np.ndarray  # (n,) -1 where the loop proposes nothing
    same_onset: np.ndarray  # proposal's offset == the note's
    same_pitch: np.ndarray
    same_duration: np.ndarray
    same_velocity: np.ndarray
    log_probs: np.ndarray  # (n, 4) the network's, true fields
    proposed: np.ndarray  # (n,) log p_net(o*) + log p_net(p* | o*)
    proposed_offset: np.ndarray  # (n,) log p_net(o*)
    proposal: np.ndarray  # (n, 4) the proposed classes (o*, p*, d*, v*)


def _proposals(
    window: ContinuationWindow, steps: np.ndarray, vocab: Vocab
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each note: the loop's cell (-1: none), its proposal (offset, pitch, duration,
    velocity classes) and the proposal's bar position."""
    n = len(steps)
    cell = np.full(n, -1, dtype=np.int64)
    fields = np.zeros((n, 4), dtype=np.int64)
    position = np.zeros(n, dtype=np.int64)
    k = window.seed_notes
    history = LoopHistory.of_seed(window.rows[:k], steps[:k], window.bar_ticks, window.clip_end)
    if history is None:
        return cell, fields, position
    for t in range(k, n):
        p = history.proposal(vocab)
        if p is not None:
            cell[t] = p.cell
            fields[t] = (p.offset, p.pitch, p.duration, p.velocity)
            position[t] = min(p.onset % window.bar_ticks, vocab.max_bar_ticks - 1)
        history.push(
            int(window.rows[t, 0]), int(window.rows[t, 1]), int(steps[t, 2]), int(steps[t, 3])
        )
    return cell, fields, position


_Proposals = tuple[np.ndarray, np.ndarray, np.ndarray]
"""What :func:`_proposals` gives a window's notes: cells, proposals and their positions."""


@torch.inference_mode()
def _terms(
    model: Network,
    data: EncodedPieces,
    log_probs: list[np.ndarray],
    proposals: list[_Proposals],
    outputs: list[torch.Tensor],
) -> list[_Terms]:
    """Each window's :class:`_Terms`, the network's heads reading its recurrent
    ``outputs`` (``segue.model.likelihood.recurrent_outputs``)."""
    out = []
    for i, (lp, (cell, fields, position)) in enumerate(zip(log_probs, proposals, strict=True)):
        notes = data.piece_steps(i)[1:]
        has = cell >= 0
        proposed = np.zeros(len(notes))
        proposed_offset = np.zeros(len(notes))
        if has.any():
            where = torch.from_numpy(np.flatnonzero(has))
            offset = torch.from_numpy(fields[has, 0])
            pitch = torch.from_numpy(fields[has, 1])
            hh = outputs[i][where]
            lo = F.log_softmax(model.offset_logits(hh).float(), -1).gather(1, offset[:, None])
            ctx = model.after_offset(hh, offset, torch.from_numpy(position[has]))
            lpit = F.log_softmax(model.pitch_logits(ctx).float(), -1).gather(1, pitch[:, None])
            proposed_offset[has] = lo[:, 0].numpy()
            proposed[has] = (lo[:, 0] + lpit[:, 0]).numpy()
        same = notes[:, :4] == fields
        out.append(
            _Terms(
                cell,
                same[:, 0] & has,
                same[:, 1] & has,
                same[:, 2],
                same[:, 3],
                np.asarray(lp[:, :4], dtype=np.float64),
                proposed,
                proposed_offset,
                fields,
            )
        )
    return out


@dataclass(frozen=True)
class _Recalled:
    """What the clip memory offers one window's notes where they do not repeat the loop:
    its weight, the share of its copies that agree with each note (offset; offset and
    pitch; and duration), and the share that is the loop's proposal (offset and pitch)."""

    weight: np.ndarray  # (n,)
    agree: np.ndarray  # (n, 3)
    proposal: np.ndarray  # (n,)


def _loop_losses(
    t: _Terms, table: LoopTable, strength: float, memory: _Recalled | None = None
) -> np.ndarray:
    """(n, 4) per-field losses of one window's notes under the loop (rows without a
    proposal: nan, for the caller to fill)."""
    rates = table.likely(strength)
    phi = np.where(t.cell >= 0, rates[np.maximum(t.cell, 0)], 0.0)
    net = np.exp(np.cumsum(t.log_probs[:, :3], axis=1))  # p(o), p(o, p), p(o, p, d)
    z = np.maximum(1.0 - np.exp(t.proposed), 1e-9)  # the network's mass left after exclusion
    repeat = t.same_onset & t.same_pitch
    p_dur = np.exp(t.log_probs[:, 2])
    p_vel = np.exp(t.log_probs[:, 3])
    slip = table.slip
    # a note of its own: the network's, the proposal excluded (o, (o, p), (o, p, d)) ...
    own = net / z[:, None]
    own[:, 0] = np.where(
        t.same_onset, (np.exp(t.proposed_offset) - np.exp(t.proposed)) / z, own[:, 0]
    )
    if memory is not None:  # ... or memory's copy, where it is not the proposal
        w = memory.weight[:, None]
        copies = memory.agree.copy()
        copies[:, 0] = np.maximum(copies[:, 0] - t.same_onset * memory.proposal, 0.0)
        own = w * copies + (1 - w + w * memory.proposal[:, None]) * own
    # joint probabilities of o, (o, p), (o, p, d) under the mixture, case by case
    onset = np.where(t.same_onset, phi, 0.0) + (1 - phi) * own[:, 0]
    onset_pitch = np.where(repeat, phi, (1 - phi) * own[:, 1])
    full = np.where(
        repeat, phi * ((1 - slip) * t.same_duration + slip * p_dur), (1 - phi) * own[:, 2]
    )
    v_slip = table.velocity_slip
    velocity = np.where(repeat, (1 - v_slip) * t.same_velocity + v_slip * p_vel, p_vel)
    joint = np.maximum(np.stack([onset, onset_pitch, full], axis=1), 1e-300)
    out = np.empty((len(joint), 4))
    out[:, 0] = -np.log(joint[:, 0])
    out[:, 1:3] = -(np.log(joint[:, 1:]) - np.log(joint[:, :-1]))
    out[:, 3] = -np.log(np.maximum(velocity, 1e-300))
    return out


@dataclass(frozen=True)
class Continuations:
    """Windows made ready to score (:func:`prepare_continuations`): everything
    :func:`continuation_losses` needs but the network's heads, which may change in between
    (a calibration's temperatures) while its recurrent part and configuration do not."""

    windows: list[ContinuationWindow]
    strength: float
    data: EncodedPieces
    outputs: list[torch.Tensor]  # the network's recurrent outputs, (n, H) per window
    proposals: list[_Proposals] | None  # the loop's, None without a loop
    memories: list[Recall]
    views: list[dict[str, Recall]] | None


def prepare_continuations(
    model: Network, windows: list[ContinuationWindow], strength: float = 1.0
) -> Continuations:
    """``windows`` ready to score at ``strength`` (:func:`score_continuations`), the
    network's recurrent part run once over each."""
    config = model.config
    data = encode_pieces([w.rows for w in windows], [w.bar_ticks for w in windows], config.vocab)
    table = config.loop_table() if strength > 0 else None
    proposals = (
        [_proposals(w, data.piece_steps(i)[1:], config.vocab) for i, w in enumerate(windows)]
        if table
        else None
    )
    # with the share of memory's copies that are the loop's proposal
    memories = recalls(data, [p[1] for p in proposals] if proposals is not None else None)
    # a model without a loop: the memory's views too, as its generation draws on them
    view_weights = config.memory_views if strength > 0 and not config.loop else {}
    return Continuations(
        windows,
        strength,
        data,
        recurrent_outputs(model, data),
        proposals,
        memories,
        views_of(data) if view_weights else None,
    )


def score_continuations(model: Network, ready: Continuations) -> list[np.ndarray]:
    """(n, 4) per-field losses (nats) of each of ``ready``'s windows' continuation notes
    (:func:`continuation_losses`), the network's heads run on its recurrent outputs."""
    return [
        losses[window.seed_notes :]
        for losses, window in zip(_window_losses(model, ready), ready.windows, strict=True)
    ]


def _window_losses(model: Network, ready: Continuations) -> list[np.ndarray]:
    """(n, 4) per-field losses (nats) of every note of each of ``ready``'s windows, the
    clip's and its continuation's (the loop scores the continuation's alone)."""
    if not ready.windows:
        return []
    config, data, strength = model.config, ready.data, ready.strength
    log_probs = note_log_probs(model, data, outputs=ready.outputs)
    table = config.loop_table() if strength > 0 else None
    terms = (
        _terms(model, data, log_probs, ready.proposals, ready.outputs)
        if table and ready.proposals is not None
        else None
    )
    view_weights = config.memory_views if ready.views is not None else {}
    out = []
    for i, window in enumerate(ready.windows):
        lp = log_probs[i]
        term = terms[i] if terms is not None else None
        if config.palette and strength > 0:
            lp, term = _with_palette(data.piece_steps(i)[1:], window.seed_notes, lp, term, config)
        memory = note_losses(
            lp,
            ready.memories[i],
            config.memory,
            strength,
            config.pitch_class_weight,
            ready.views[i] if ready.views is not None else None,
            view_weights,
        )
        if term is not None and table is not None:
            recalled = _recalled(ready.memories[i], config.memory, strength)
            looped = _loop_losses(term, table, strength, recalled)
            memory = np.where((term.cell >= 0)[:, None], looped, memory)
        out.append(memory)
    return out


def continuation_losses(
    model: Network, windows: list[ContinuationWindow], strength: float = 1.0
) -> list[np.ndarray]:
    """(n, 4) per-field losses (nats) of each window's continuation notes given its clip:
    the loop where the model has one (and ``strength`` > 0), its variations drawing on the
    clip memory at ``strength``; else the clip memory's mixture and the pitch-class pull at
    ``strength``; the network's own choices with the clip's palette mixed in where the model
    has one (``segue.model.palette``). A model with :attr:`transpositions
    <segue.model.architecture.ModelConfig.transpositions>` is the mixture over them, the
    clip heard first: each window, clip and continuation, moved together by every one."""
    if not windows:
        return []
    shifts = model.config.transpositions
    if not shifts:
        return score_continuations(model, prepare_continuations(model, windows, strength))

    def at(shift: int) -> list[np.ndarray]:
        moved = [shifted_rows(w.rows, shift) for w in windows]
        ready = prepare_continuations(
            model, [replace(w, rows=m[0]) for w, m in zip(windows, moved, strict=True)], strength
        )
        losses = _window_losses(model, ready)
        return [impossible(x, m[1]) for x, m in zip(losses, moved, strict=True)]

    return [
        losses[window.seed_notes :]
        for losses, window in zip(mixture_losses(shifts, at), windows, strict=True)
    ]


def _recalled(memory: Recall, weights: tuple[float, ...], strength: float) -> _Recalled | None:
    """The clip memory's offer (its ``weights`` at ``strength``) to a window's notes where
    they do not repeat the loop (``memory`` recalled with the loop's proposals); None
    without weights."""
    if not weights:
        return None
    w = strengthened(np.asarray(weights), strength)
    weight = bucket_weights(memory.bucket, w)
    return _Recalled(weight, memory.agree, memory.loop)


def mean_continuation_nats(model: Network, windows: list[ContinuationWindow]) -> float:
    """Mean loss per continuation note of ``windows`` (nats, offset + pitch + duration, as
    :func:`continuation_losses` gives them); NaN without notes."""
    return mean_nats(continuation_losses(model, windows))


def mean_nats(losses: list[np.ndarray]) -> float:
    """Mean loss per note of :func:`continuation_losses`' (nats, offset + pitch +
    duration); NaN without notes."""
    flat = np.concatenate(losses)[:, :3].sum(axis=1) if losses else np.zeros(0)
    return float(flat.mean()) if len(flat) else math.nan


def _with_palette(
    notes: np.ndarray,
    seed_notes: int,
    log_probs: np.ndarray,
    term: _Terms | None,
    config: ModelConfig,
) -> tuple[np.ndarray, _Terms | None]:
    """A window's log-probabilities (and loop terms) with the clip's palette mixed into the
    network's, weighted as its seed says (``segue.model.palette``)."""
    weights = seed_weights(notes[:seed_notes], np.exp(log_probs[:seed_notes, :3]), config.vocab)
    lp = np.array(log_probs, dtype=np.float64)
    lp[:, :3] = mixed_log_probs(notes, log_probs[:, :3], weights, config.vocab)
    if term is None:
        return lp, None
    vocab, proposal = config.vocab, term.proposal
    offset = palette_log_probs(notes, proposal[:, 0], 0, weights[0], term.proposed_offset, vocab)
    given = term.proposed - term.proposed_offset  # log p_net(p* | o*)
    pitch = palette_log_probs(notes, proposal[:, 1], 1, weights[1], given, vocab)
    return lp, replace(term, log_probs=lp[:, :4], proposed=offset + pitch, proposed_offset=offset)


@dataclass(frozen=True)
class LoopFit:
    """A fitted loop and what it does on the windows it was fitted on."""

    table: LoopTable
    windows: int  # the rates were counted on these
    notes: int
    counts: tuple[int, ...]  # notes per cell of STATE_CELLS
    scores: dict[float, LoopScore]  # strength -> how its continuations keep the loop
    continued: int  # windows continued to score the strengths
    takes: bool = False  # each take has a turn of its own (segue.model.takes)

    def summary(self) -> str:
        scores = self.scores[self.table.strength]
        return (
            f"{self.windows:,} windows, {self.notes:,} notes: kept with strength "
            f"{self.table.strength:g}, its continuations (of {self.continued:,} windows) "
            f"keep {scores.keep:.0%} of what "
            f"repeating the clip gets right, differ by {scores.diversity:.2f} and repeat the "
            f"clip exactly {scores.exact:.0%} of the time (the real ones {scores.real_exact:.0%})"
        )

    def markdown(self) -> str:
        """The fitted rates as a markdown table (:func:`rates_markdown`)."""
        return rates_markdown(self.table.phi, self.table.after, self.counts)

    def to_info(self, **where: object) -> dict[str, object]:
        return {
            **where,
            "phi": list(self.table.phi),
            "after": list(self.table.after),
            "slip": self.table.slip,
            "velocity_slip": self.table.velocity_slip,
            "strength": self.table.strength,
            "windows": self.windows,
            "notes": self.notes,
            "counts": list(self.counts),
            "continued": self.continued,
            "takes": self.takes,
            "scores": {
                f"{k:g}": {f: round(float(x), 4) for f, x in asdict(v).items()}
                for k, v in self.scores.items()
            },
        }


@dataclass(frozen=True)
class LoopRates:
    """The loop's rates as counted on windows: ``phi`` per cell of :data:`CELLS`, ``after``
    per cell of :data:`STATE_CELLS` (by the notes before), the slips, and the notes counted
    per cell of :data:`STATE_CELLS`."""

    phi: tuple[float, ...]
    after: tuple[float, ...]
    slip: float
    velocity_slip: float
    counts: tuple[int, ...]


def _rate(repeats: np.ndarray, counts: np.ndarray) -> tuple[float, ...]:
    """Rates with a half count of prior on each side (a rare cell stays away from 0 and 1)."""
    return tuple(float(x) for x in np.clip((repeats + 0.5) / (counts + 1), 0.001, 0.999))


def rates_markdown(phi: Sequence[float], after: Sequence[float], counts: Sequence[int]) -> str:
    """A loop's rates as a markdown table: a row per cell of :data:`CELLS`, with its notes
    and ``phi``, then (when there are rates by the notes before) the rate and the notes
    after each kind of notes before, in time order ("own, loop": the note two before was
    the continuation's own, the note before repeated the loop). ``counts``: notes per cell,
    of :data:`STATE_CELLS` (or of :data:`CELLS`, as fits before the notes before counted)."""
    states = STATES if len(counts) == STATE_CELLS else 1
    kinds = [
        ", ".join("own" if state >> k & 1 else "loop" for k in reversed(range(BEFORE)))
        for state in range(STATES)
    ]
    by_state = [f"after {kind}" for kind in kinds] if after else []
    lines = [
        "| the clip repeats itself | last bar of a phrase | notes | repeats | "
        + "".join(f"{k} | " for k in by_state),
        "|---|---|---:|---:|" + "---:|" * len(by_state),
    ]
    for cell, rate in enumerate(phi):
        group = ("under 0.3", "0.3-0.8", "0.8 or more")[cell // 2]
        notes = [int(counts[cell + CELLS * state]) for state in range(states)]
        extra = "".join(
            f"{after[cell + CELLS * state]:.3f} ({notes[state]:,}) | "
            for state in range(len(by_state))
        )
        lines.append(
            f"| {group} of its notes | {'yes' if cell % 2 else 'no'} | {sum(notes):,} | "
            f"{rate:.3f} | {extra}"
        )
    return "\n".join(line.rstrip() for line in lines)


def fit_rates(windows: list[ContinuationWindow], vocab: Vocab) -> LoopRates:
    """How often the windows' continuation notes repeat the loop, per cell and by the notes
    before, and how often a repeated note takes another duration or velocity."""
    repeats = np.zeros(STATE_CELLS)
    counts = np.zeros(STATE_CELLS, dtype=np.int64)
    kept = slipped = velocity_slipped = 0
    for window in windows:
        data = encode_pieces([window.rows], [window.bar_ticks], vocab)
        notes = data.piece_steps(0)[1:]
        cell, fields, _ = _proposals(window, notes, vocab)
        has = cell >= 0
        repeat = has & (notes[:, 0] == fields[:, 0]) & (notes[:, 1] == fields[:, 1])
        np.add.at(counts, cell[has], 1)
        np.add.at(repeats, cell[repeat], 1)
        kept += int(repeat.sum())
        slipped += int((repeat & (notes[:, 2] != fields[:, 2])).sum())
        velocity_slipped += int((repeat & (notes[:, 3] != fields[:, 3])).sum())
    slips = [min((n + 0.5) / (kept + 1), 0.5) for n in (slipped, velocity_slipped)]
    return LoopRates(
        _rate(repeats.reshape(STATES, CELLS).sum(0), counts.reshape(STATES, CELLS).sum(0)),
        _rate(repeats, counts),
        slips[0],
        slips[1],
        tuple(int(c) for c in counts),
    )


@dataclass(frozen=True)
class LoopScore:
    """How continuations of fitting windows (4 per window) keep the loop: their note F1
    against the real continuations relative to repeating the clip's (``keep``), their
    ``diversity``, and how often they, and the real continuations, repeat the clip exactly."""

    keep: float
    diversity: float
    exact: float
    real_exact: float

    def differs(self) -> bool:
        """Whether the continuations differ from each other and repeat the clip exactly no
        more often than the real ones."""
        return self.diversity >= DIVERSITY and self.exact <= self.real_exact + 1e-9

    def meets(self) -> bool:
        return self.keep >= KEEP and self.differs()


def loop_score(model: Network, windows: list[ContinuationWindow], rng_seed: int = 0) -> LoopScore:
    """:class:`LoopScore` of ``model``'s continuations of ``windows``."""
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    ours, repeat, spread, exact, real_exact = [], [], [], [], []
    for i, window in enumerate(windows):
        real = window.real()
        truth = note_keys(real)
        again = note_keys(
            replay(
                window.rows[: window.seed_notes], window.clip_end, WINDOW_BARS * window.bar_ticks
            )
        )
        params = GenerationParams(bars=WINDOW_BARS, variations=4, rng_seed=rng_seed + i)
        rows = [clip_rows(v.clip) for v in generate(model, window.clip(), params).variations]
        ours += [f1(note_keys(r), truth) for r in rows]
        exact += [note_keys(r) == again for r in rows]
        spread.append(diversity(rows))
        repeat.append(f1(again, truth))
        real_exact.append(truth == again)
    base = float(np.mean(repeat)) if repeat else math.nan
    keep = float(np.mean(ours)) / base if base > 0 else math.nan
    return LoopScore(
        keep, float(np.nanmean(spread)), float(np.mean(exact)), float(np.mean(real_exact))
    )


def fit_loop(
    model: Network,
    windows: list[ContinuationWindow],
    strengths: Sequence[float] = STRENGTHS,
    scored: int = FIT_WINDOWS,
    counted: Sequence[ContinuationWindow] | None = None,
) -> LoopFit:
    """The loop's rates on ``windows`` (a validation split's; or on ``counted``, when
    given), and its strength: the smallest of ``strengths`` whose continuations of (up to
    ``scored`` of) ``windows`` keep :data:`KEEP` of the repeat's note F1 while they differ
    from each other (:data:`DIVERSITY`) and repeat the clip exactly no more often than the
    real continuations do; failing that, as :func:`choose_strength` says. (One strength:
    the rates fitted, and how continuations keep the loop at that strength.)

    A model whose takes each vary a beat of their own (``segue.model.takes``) keeps the
    strongest of ``strengths`` that meets (tried strongest first): those beats make the
    takes differ, and the rest of the loop is kept as faithfully as they still do.

    The rates are counts of the windows' notes, without the network: a tuning counts them
    on all its pieces and continues only held-out ones, which the network has not
    learned."""
    rated = list(windows if counted is None else counted)
    if not windows or not rated:
        raise SegueError(
            "no continuation windows to fit the loop on (pieces shorter than "
            f"{2 * WINDOW_BARS} bars?)"
        )
    rates = fit_rates(rated, model.config.vocab)
    chosen = windows[:: max(1, len(windows) // scored)][:scored]
    original = model.config
    strongest = varies_by_takes(original)
    scores: dict[float, LoopScore] = {}
    try:
        for s in sorted(strengths, reverse=strongest):
            model.config = replace(
                original,
                loop=rates.phi,
                loop_slip=rates.slip,
                loop_velocity_slip=rates.velocity_slip,
                loop_strength=s,
                loop_after=rates.after,
            )
            scores[s] = loop_score(model, chosen)
            if scores[s].meets():
                break
    finally:
        model.config = original
    notes = sum(len(w.rows) - w.seed_notes for w in rated)
    return LoopFit(
        LoopTable(
            rates.phi,
            rates.slip,
            rates.velocity_slip,
            choose_strength(scores, strongest),
            rates.after,
        ),
        len(rated),
        notes,
        rates.counts,
        scores,
        len(chosen),
        strongest,
    )


def choose_strength(scores: dict[float, LoopScore], strongest: bool = False) -> float:
    """Of the strengths tried: the weakest that meets :meth:`LoopScore.meets` (the most
    variety that keeps the loop well enough), or the strongest (``strongest``: where each
    take has a turn of its own, ``segue.model.takes``, the takes differ by those, and
    the rest of the loop is kept as faithfully as the takes still differ); failing that,
    the one that keeps most of those whose continuations still differ
    (:meth:`LoopScore.differs`: four takes alike are worth less than a little F1); failing
    that, the one that keeps most."""
    meeting = sorted(s for s, v in scores.items() if v.meets())
    if meeting:
        return meeting[-1] if strongest else meeting[0]
    differing = [s for s, v in scores.items() if v.differs()] or list(scores)
    return max(differing, key=lambda s: scores[s].keep)


def split_windows(dataset: Dataset, split: str = "valid") -> list[ContinuationWindow]:
    """Windows of every piece of a dataset's split (see :func:`windows_of`)."""
    out: list[ContinuationWindow] = []
    for i in dataset.indices(split):
        piece = dataset.piece(int(i))
        out += windows_of(np.asarray(piece.notes, dtype=np.int64), piece.time_signature)
    return out


def write_loop(
    checkpoint: str | os.PathLike[str],
    output: str | os.PathLike[str],
    fit: LoopFit,
    dataset: str,
    split: str,
) -> None:
    """``checkpoint`` with ``fit``'s loop in its configuration and the fit in its info."""
    from segue.model.checkpoint import rewrite_checkpoint

    rewrite_checkpoint(
        checkpoint,
        output,
        config={
            "loop": list(fit.table.phi),
            "loop_slip": fit.table.slip,
            "loop_velocity_slip": fit.table.velocity_slip,
            "loop_strength": fit.table.strength,
            "loop_after": list(fit.table.after),
            "memory_views": {},  # a loop's takes keep the clip's rhythm (memory_views)
        },
        info={"loop": fit.to_info(dataset=Path(dataset).name, split=split)},
    )


def fit_loop_file(
    checkpoint: str | os.PathLike[str],
    dataset: str | os.PathLike[str],
    output: str | os.PathLike[str],
    split: str = "valid",
) -> LoopFit:
    """Fit a checkpoint's loop on windows of a split of a prepared dataset; write the
    checkpoint, weights unchanged, with the fitted loop to ``output`` (may be the same)."""
    from segue.dataset.loading import load_dataset
    from segue.model.checkpoint import load_checkpoint

    loaded = load_checkpoint(checkpoint)
    fit = fit_loop(loaded.model, split_windows(load_dataset(dataset), split))
    write_loop(checkpoint, output, fit, str(dataset), split)
    return fit
