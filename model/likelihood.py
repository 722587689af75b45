"""Held-out likelihood note by note, with the clip memory, and fitting the memory.

:func:`note_log_probs` runs the network teacher-forced over whole pieces and
keeps, for every note, the log-probability of its true offset, pitch, duration
and velocity given everything before it (and how its pitch distribution falls
into pitch classes). From those, :func:`memory_losses` gives the per-field loss
with the clip memory mixed in and the clip's pitch classes pulling, and
:func:`fit_memory` chooses the memory's weights and the pull on a split (usually
validation) of a dataset.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from segue.dataset.loading import load_dataset
from segue.errors import SegueError
from segue.model.architecture import Network
from segue.model.checkpoint import load_checkpoint, rewrite_checkpoint
from segue.model.memory import ORDERS, Recall, fit_weights, joint_losses, mixed_joint, recall
from segue.model.memory_views import VIEW_NAMES, fit_views, stacked, view_recalls
from segue.model.pitch_classes import GRID, PITCH_CLASSES, biased_log_probs, class_probabilities
from segue.model.training.batches import EncodedPieces, encode_split
from segue.model.transpositions import impossible, mixture_losses, shifted_data
from segue.model.vocab import FIELDS

COLUMNS = {"offset": 0, "pitch": 1, "duration": 2, "velocity": 3}
CLASSES = slice(4, 4 + PITCH_CLASSES)
"""Columns of :func:`note_log_probs` that hold the network's pitch-class probabilities."""


def _length_batches(lengths: np.ndarray, batch_notes: int) -> list[np.ndarray]:
    """Piece indices in batches of similar length, each at most ``batch_notes`` padded notes
    (a single longer piece makes a batch of its own)."""
    order = np.argsort(lengths, kind="stable")
    batches, start = [], 0
    while start < len(order):
        stop = start + 1  # sorted: the last piece of a batch is its longest
        while stop < len(order) and (stop - start + 1) * int(lengths[order[stop]]) <= batch_notes:
            stop += 1
        batches.append(order[start:stop])
        start = stop
    return batches


def _padded_batches(data: EncodedPieces, batch_notes: int) -> Iterator[tuple[np.ndarray, Tensor]]:
    """The pieces in batches of similar length (:func:`_length_batches`): each batch's piece
    indices and their steps, padded after each piece's notes (B, width + 1, 5)."""
    for chosen in _length_batches(data.lengths, batch_notes):
        width = int(data.lengths[chosen].max())
        steps = np.zeros((len(chosen), width + 1, 5), dtype=np.int64)
        for row, piece in enumerate(chosen):
            piece_steps = data.piece_steps(int(piece))
            steps[row, : len(piece_steps)] = piece_steps
        yield chosen, torch.from_numpy(steps)


def _true_log_probs(logits: dict[str, Tensor], targets: Tensor) -> np.ndarray:
    """(..., 16) the log-probabilities of the true fields, then the pitch classes' shares."""
    lp = (
        torch.stack(
            [
                F.log_softmax(logits[f].float(), dim=-1).gather(-1, targets[..., c : c + 1])[..., 0]
                for f, c in COLUMNS.items()
            ],
            dim=-1,
        )
        .numpy()
        .astype(np.float64)
    )
    classes = class_probabilities(F.softmax(logits["pitch"].float(), dim=-1).numpy())
    return np.concatenate([lp, classes], axis=-1)


def recurrent_outputs(model: Network, data: EncodedPieces, batch_notes: int = 8192) -> list[Tensor]:
    """(n, H) for each piece, note by note, in eval mode: the network's recurrent outputs
    (:meth:`~segue.model.architecture.Network.encode`) its heads read, whole pieces batched
    as :func:`note_log_probs` runs them. They stay right while only the heads change (a
    calibration's temperatures): :func:`note_log_probs` then runs the heads alone."""
    was_training = model.training
    model.eval()
    out: list[Tensor] = [torch.zeros(0)] * data.pieces
    try:
        with torch.inference_mode():
            for chosen, steps in _padded_batches(data, batch_notes):
                h, _ = model.encode(steps[:, :-1])
                for row, piece in enumerate(chosen):
                    out[int(piece)] = h[row, : int(data.lengths[piece])]
    finally:
        model.train(was_training)
    return out


def note_log_probs(
    model: Network,
    data: EncodedPieces,
    batch_notes: int = 8192,
    outputs: list[Tensor] | None = None,
) -> list[np.ndarray]:
    """(n, 16) for each piece, note by note, in eval mode: the log-probabilities of its
    true fields (columns :data:`COLUMNS`), then the probability the network gives each
    pitch class (columns :data:`CLASSES`, given the true offset).

    Pieces run whole (no window), batched by length so padding stays small; padding
    follows each piece's notes, so it cannot change them (networks read forwards). Given
    the pieces' ``outputs`` (:func:`recurrent_outputs`, of this network's recurrent part),
    only the heads run, on all the notes at once.
    """
    was_training = model.training
    model.eval()
    out: list[np.ndarray] = [np.zeros((0, 4))] * data.pieces
    try:
        with torch.inference_mode():
            if outputs is not None:
                return _head_log_probs(model, data, outputs) if data.pieces else []
            for chosen, tensor in _padded_batches(data, batch_notes):
                inputs, targets = tensor[:, :-1], tensor[:, 1:]
                lp = _true_log_probs(model(inputs, targets), targets)
                for row, piece in enumerate(chosen):
                    out[int(piece)] = lp[row, : int(data.lengths[piece])]
    finally:
        model.train(was_training)
    return out


def _head_log_probs(model: Network, data: EncodedPieces, outputs: list[Tensor]) -> list[np.ndarray]:
    """:func:`note_log_probs` from the pieces' recurrent outputs: the heads, as
    :meth:`~segue.model.architecture.Network.forward` chains them, on every note at once."""
    steps = [torch.from_numpy(data.piece_steps(i)) for i in range(data.pieces)]
    before = torch.cat([s[:-1] for s in steps])
    after = torch.cat([s[1:] for s in steps])
    lp = _true_log_probs(model.heads(torch.cat(outputs), before, after), after)
    return list(np.split(lp, np.cumsum(data.lengths)[:-1]))


def recalls(data: EncodedPieces, loops: list[np.ndarray] | None = None) -> list[Recall]:
    """The memory's view of every note of every piece (and of the loop's proposals for
    them, ``loops``: one (n, >=2) array per piece; see :func:`segue.model.memory.recall`)."""
    return [
        recall(data.piece_steps(i)[1:], loops[i] if loops is not None else None)
        for i in range(data.pieces)
    ]


def views_of(data: EncodedPieces) -> list[dict[str, Recall]]:
    """Each memory view's view of every note of every piece (``segue.model.memory_views``)."""
    return [view_recalls(data.piece_steps(i)[1:]) for i in range(data.pieces)]


def _joined(views: list[dict[str, Recall]]) -> dict[str, Recall]:
    return {name: Recall.concat([v[name] for v in views]) for name in VIEW_NAMES} if views else {}


def pulled(log_probs: np.ndarray, memory: Recall, pitch_class_weight: float) -> np.ndarray:
    """(n, 4) log-probabilities of the true fields with the pitch pulled towards the clip's
    pitch classes (``segue.model.pitch_classes``), from :func:`note_log_probs` rows."""
    lp = np.array(log_probs[:, :4], dtype=np.float64)
    if pitch_class_weight > 0:
        lp[:, 1] = biased_log_probs(
            lp[:, 1], log_probs[:, CLASSES], memory.shares, memory.own, pitch_class_weight
        )
    return lp


def note_losses(
    log_probs: np.ndarray,
    memory: Recall | None,
    weights: tuple[float, ...],
    strength: float = 1.0,
    pitch_class_weight: float = 0.0,
    views: dict[str, Recall] | None = None,
    view_weights: dict[str, tuple[float, ...]] | None = None,
) -> np.ndarray:
    """(n, 4) loss of each note's fields (nats) with the memory and its views mixed in
    (``views``: each view's recall of the notes, ``view_weights`` its fitted weights) and
    the clip's pitch classes pulling, all at ``strength``, from :func:`note_log_probs` rows."""
    view_weights = view_weights if views else None
    if strength == 0 or memory is None or not (weights or pitch_class_weight or view_weights):
        return -np.asarray(log_probs[:, :4], dtype=np.float64)
    lp = pulled(log_probs, memory, pitch_class_weight * strength)
    if not (weights or view_weights):
        return -lp
    joint = mixed_joint(lp, memory, np.asarray(weights), strength)
    if views and view_weights:
        joint = stacked(joint, lp, views, view_weights, strength)
    return joint_losses(joint, lp)


def piece_losses(model: Network, data: EncodedPieces, strength: float = 1.0) -> list[np.ndarray]:
    """(n, 4) loss of each piece's notes' fields (nats) as ``segue eval`` scores them: the
    network with its clip memory, the memory's views (a model without a loop) and the
    pitch-class pull at ``strength``; for a model with :attr:`transpositions
    <segue.model.architecture.ModelConfig.transpositions>`, the mixture over them
    (``segue.model.transpositions``), which is the model such a tuned model is."""
    shifts = model.config.transpositions
    if not shifts:
        return _network_losses(model, data, strength)

    def at(shift: int) -> list[np.ndarray]:
        moved, off = shifted_data(data, shift)
        offs = np.split(off, np.cumsum(data.lengths)[:-1])
        losses = _network_losses(model, moved, strength)
        return [impossible(x, o) for x, o in zip(losses, offs, strict=True)]

    return mixture_losses(shifts, at)


def _network_losses(model: Network, data: EncodedPieces, strength: float) -> list[np.ndarray]:
    """:func:`piece_losses` of the network as it is (no move)."""
    config = model.config
    weights = config.memory if strength > 0 else ()
    pull = config.pitch_class_weight if strength > 0 else 0.0
    views = config.memory_views if strength > 0 and not config.loop else {}
    memories = recalls(data)
    seen = views_of(data) if views else None
    return [
        note_losses(lp, memories[i], weights, strength, pull, seen[i] if seen else None, views)
        for i, lp in enumerate(note_log_probs(model, data))
    ]


def memory_losses(
    log_probs: list[np.ndarray],
    memories: list[Recall],
    weights: tuple[float, ...],
    strength: float = 1.0,
    pitch_class_weight: float = 0.0,
    views: list[dict[str, Recall]] | None = None,
    view_weights: dict[str, tuple[float, ...]] | None = None,
) -> dict[str, float]:
    """Mean loss per field and in total (nats per note) with the memory and its views
    mixed in and the clip's pitch classes pulling (all at ``strength``)."""
    if not log_probs or not sum(len(lp) for lp in log_probs):
        return {}
    losses = note_losses(
        np.concatenate(log_probs),
        Recall.concat(memories) if memories else None,
        weights,
        strength,
        pitch_class_weight,
        _joined(views or []),
        view_weights,
    )
    means = {f: float(losses[:, COLUMNS[f]].mean()) for f in FIELDS}
    means["total"] = sum(means[f] for f in FIELDS)
    return means


@dataclass(frozen=True)
class MemoryFit:
    """Fitted weights and what they do on the split they were fitted on."""

    weights: tuple[float, ...]
    notes: int
    before: float  # nats per note, the network alone
    after: float  # with memory and the pitch-class pull
    per_bucket: tuple[tuple[int, int, float, float, float], ...]
    """(lowest match length, notes, weight, network nats, mixture nats) per bucket."""
    pitch_class_weight: float = 0.0
    views: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """The memory views' weights (``segue.model.memory_views``); empty: none helped, or the
    model has a loop."""
    without_views: float = float("nan")
    """Nats per note with the memory and the pull, before the views are stacked on."""

    def to_info(self, **where: Any) -> dict[str, Any]:
        """What a checkpoint's info records of the fit (``where``: dataset, split...)."""
        return {
            **where,
            "weights": list(self.weights),
            "pitch_class_weight": self.pitch_class_weight,
            "orders": list(ORDERS),
            "notes": self.notes,
            "nats_before": round(self.before, 4),
            "nats_after": round(self.after, 4),
            "per_bucket": [list(row) for row in self.per_bucket],
            "views": {name: list(w) for name, w in self.views.items()},
            "nats_without_views": round(self.without_views, 4),
        }

    @classmethod
    def from_info(cls, info: dict[str, Any]) -> MemoryFit:
        """The fit a checkpoint's info records (:meth:`to_info`); what an older one lacks
        (views, the loss without them) as a fit without it."""
        nan = float("nan")
        return cls(
            tuple(float(w) for w in info.get("weights", ())),
            int(info.get("notes", 0)),
            float(info.get("nats_before", nan)),
            float(info.get("nats_after", nan)),
            tuple(tuple(row) for row in info.get("per_bucket", ())),
            float(info.get("pitch_class_weight", 0.0)),
            {name: tuple(w) for name, w in (info.get("views") or {}).items()},
            float(info.get("nats_without_views", nan)),
        )

    def summary(self) -> str:
        views = (
            f" ({self.without_views:.3f} without its views of {', '.join(self.views)})"
            if self.views
            else ""
        )
        return (
            f"{self.notes:,} notes: {self.before:.3f} nats/note with the network alone, "
            f"{self.after:.3f} with the memory (pitch-class pull "
            f"{self.pitch_class_weight:g}){views}"
        )

    def table(self) -> str:
        return memory_table(self.per_bucket)


def memory_table(per_bucket: Any) -> str:
    """A fit's rows (:attr:`MemoryFit.per_bucket`, or as a checkpoint's info stores them)
    as a markdown table."""
    lines = [
        "| match (notes) | notes | weight | network nats | with memory |",
        "|---|---|---|---|---|",
    ]
    for low, count, weight, net, mixed in per_bucket:
        lines.append(f"| {low}+ | {count} | {weight:.3f} | {net:.3f} | {mixed:.3f} |")
    return "\n".join(lines)


def fit_memory(model: Network, data: EncodedPieces, views: bool = True) -> MemoryFit:
    """Fit the memory's weights and the pitch-class pull to ``data`` (give it the
    validation split): for each pull on :data:`segue.model.pitch_classes.GRID`, the
    weights by EM; the pair with the lowest loss wins. Then, with ``views``, for a model
    without a loop (nor one about to get one: ``views`` False), the memory's views on
    top (``segue.model.memory_views.fit_views``)."""
    log_probs = note_log_probs(model, data)
    memories = recalls(data)
    rows = np.concatenate(log_probs) if log_probs else np.zeros((0, 4 + PITCH_CLASSES))
    memory = Recall.concat(memories) if memories else Recall(np.zeros(0, int), np.zeros((0, 3)))
    best: tuple[float, float, tuple[float, ...], np.ndarray] | None = None
    for pull in GRID if len(rows) else (0.0,):
        lp = pulled(rows, memory, pull)
        weights = fit_weights(lp, memory)
        loss = joint_losses(mixed_joint(lp, memory, np.asarray(weights)), lp).sum(axis=1)
        total = float(loss.mean()) if len(loss) else 0.0
        if best is None or total < best[0] - 1e-9:
            best = (total, pull, weights, loss)
    assert best is not None
    _, pull, weights, mixed = best
    without_views = float(mixed.mean()) if len(rows) else float("nan")
    fitted: dict[str, tuple[float, ...]] = {}
    if len(rows) and views and not model.config.loop:
        lp = pulled(rows, memory, pull)
        joint = mixed_joint(lp, memory, np.asarray(weights))
        seen = _joined(views_of(data))
        fitted = fit_views(joint, lp, seen)
        if fitted:
            mixed = joint_losses(stacked(joint, lp, seen, fitted), lp).sum(axis=1)
    plain = -rows[:, :4].sum(axis=1)
    per_bucket = []
    for b, low in enumerate(ORDERS):
        inside = memory.bucket == b
        if inside.any():
            per_bucket.append(
                (
                    low,
                    int(inside.sum()),
                    weights[b],
                    float(plain[inside].mean()),
                    float(mixed[inside].mean()),
                )
            )
    return MemoryFit(
        weights,
        len(rows),
        float(plain.mean()) if len(rows) else float("nan"),
        float(mixed.mean()) if len(rows) else float("nan"),
        tuple(per_bucket),
        pull,
        fitted,
        without_views,
    )


def write_memory(
    checkpoint: str | os.PathLike[str],
    output: str | os.PathLike[str],
    fit: MemoryFit,
    dataset: str,
    split: str,
) -> None:
    """``checkpoint`` with ``fit``'s weights in its configuration and the fit in its info,
    to ``output`` (which may be the same file); the network's weights are kept as stored."""
    rewrite_checkpoint(
        checkpoint,
        output,
        config={
            "memory": list(fit.weights),
            "pitch_class_weight": fit.pitch_class_weight,
            "memory_views": {name: list(w) for name, w in fit.views.items()},
        },
        info={"memory": fit.to_info(dataset=dataset, split=split)},
    )


def fit_memory_file(
    checkpoint: str | os.PathLike[str],
    dataset: str | os.PathLike[str],
    output: str | os.PathLike[str],
    split: str = "valid",
    views: bool = True,
) -> MemoryFit:
    """Fit a checkpoint's memory (and its views, unless ``views`` is False: a loop is to be
    fitted next) on a split of a prepared dataset; write the checkpoint, weights unchanged,
    with the fitted memory to ``output`` (which may be the same file)."""
    loaded = load_checkpoint(checkpoint)
    data = encode_split(load_dataset(dataset), split, loaded.config.vocab)
    if data.notes == 0:
        other = "" if split == "train" else "; give --split train"
        raise SegueError(f"{dataset}: its {split} split has no notes to fit the memory on{other}")
    fit = fit_memory(loaded.model, data, views)
    write_memory(checkpoint, output, fit, Path(dataset).name, split)
    return fit
