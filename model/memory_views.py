"""The clip memory's other views: the same intervals, the same rhythm.

The clip memory (``segue.model.memory``) copies a note that followed the same
notes earlier in the clip. Music also repeats itself less literally. A fiddle
tune plays its opening figure again a third higher (a sequence); a bassline
keeps its pattern and follows the chords; a melody's second phrase keeps the
first one's rhythm with new pitches. Each view here is a memory of its own,
matching the clip's notes with one thing left out, and proposing what followed:

- ``intervals``: notes as offset, step from the pitch before, and duration. A
  copy plays the proposed step from the note just played: the figure transposed.
- ``rhythm``: notes as offset and duration. A copy takes the proposed onset and
  length; the network chooses the pitch for that onset.

The views stack on the memory as mixtures do (:data:`VIEWS`, in order)::

    q_notes = (1 - w) * p_network + w * p_notes
    q_view  = (1 - w_view) * q_before + w_view * p_view      (each view in turn)

with each view's weight by its own match length (the buckets of
``segue.model.memory.ORDERS``), fitted by EM on the same split as the memory's
(:func:`fit_views`), each view on top of those before it. Generation draws each
source independently, notes first, a later view's copy replacing an earlier one:
that samples exactly the stacked mixture. A model whose views are not fitted
(every bundled model until it is refitted) generates and scores as before, at no
cost.

The views are fitted only for models without a loop (``segue.model.loop``): a
loop's likelihood and its takes already decide where a variation keeps the
clip's rhythm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from segue.model.memory import (
    TOKEN_FIELDS,
    Matcher,
    Recall,
    Recollection,
    bucket_weights,
    check_weights,
    fit_mixture,
    length_weights,
    recall,
    recollect,
    strengthened,
)


@dataclass(frozen=True)
class View:
    """One way of matching the clip: which of a note's pitch it keeps."""

    name: str
    intervals: bool
    """Pitch as the step from the note before (True) or left out (False)."""

    @property
    def copies_pitch(self) -> bool:
        """Whether a copy brings its pitch (a step) or leaves it to the network."""
        return self.intervals


VIEWS: tuple[View, ...] = (
    View("intervals", True),  # the same steps from note to note: a figure transposed
    View("rhythm", False),  # the same onsets and lengths: the network chooses the pitches
)
"""The views, in the order they stack on the memory (and are fitted)."""
VIEW_NAMES = tuple(v.name for v in VIEWS)
NO_STEP = 0
"""The interval class of a note with no note before it (a step is 1 ... 255: 128 + step)."""


def view_of(name: str) -> View:
    for view in VIEWS:
        if view.name == name:
            return view
    raise ValueError(
        f"unknown memory view {name!r} (this segue knows {', '.join(VIEW_NAMES)}); "
        "the checkpoint may come from a newer segue"
    )


def check_views(views: Mapping[str, object]) -> dict[str, tuple[float, ...]]:
    """A stored view table, checked: names :data:`VIEW_NAMES` knows, weights as the
    memory's (``segue.model.memory.check_weights``); views without weights dropped."""
    out: dict[str, tuple[float, ...]] = {}
    for name, weights in dict(views).items():
        view_of(name)
        if not isinstance(weights, list | tuple):
            raise ValueError(f"memory view {name!r} needs a list of weights, got {weights!r}")
        checked = check_weights(weights)
        if checked:
            out[name] = checked
    return {v.name: out[v.name] for v in VIEWS if v.name in out}


def intervals_of(pitches: np.ndarray, before: np.ndarray | int | None = None) -> np.ndarray:
    """The interval class of each pitch: ``128 + pitch - previous``, along the last axis
    (``before``: the pitch before the first; None, or below 0: the first has
    :data:`NO_STEP`)."""
    p = np.asarray(pitches, dtype=np.int64)
    out = np.empty_like(p)
    out[..., 1:] = 128 + p[..., 1:] - p[..., :-1]
    if p.shape[-1]:
        first = np.full(p.shape[:-1], -1) if before is None else np.asarray(before)
        out[..., 0] = np.where(first >= 0, 128 + p[..., 0] - first, NO_STEP)
    return out


def view_fields(
    view: View, fields: np.ndarray, before: np.ndarray | int | None = None
) -> np.ndarray:
    """Notes (n, >=3: offset, pitch and duration classes) as ``view`` matches them (n, 3):
    the pitch replaced by its step from the note before (``before``: the pitch before the
    first, see :func:`intervals_of`) or by 0."""
    f = np.array(np.asarray(fields, dtype=np.int64)[..., :TOKEN_FIELDS])
    f[..., 1] = intervals_of(f[..., 1], before) if view.intervals else 0
    return f


# ---------------------------------------------------------------------------
# the likelihood and the fit
# ---------------------------------------------------------------------------
def view_recalls(fields: np.ndarray) -> dict[str, Recall]:
    """Each view's memory of every note of one piece (fields (n, >=3))."""
    return {v.name: recall(view_fields(v, fields)) for v in VIEWS}


def view_joint(view: View, memory: Recall, log_probs: np.ndarray) -> np.ndarray:
    """(n, 3) the view's probability of each note's offset; offset and pitch; offset,
    pitch and duration, from its agreeing shares and, for a view that leaves the pitch to
    the network, the network's log-probability of the true pitch (``log_probs`` (n, >=2))."""
    if view.copies_pitch:
        return memory.agree
    pitch = np.exp(np.asarray(log_probs, dtype=np.float64)[:, 1])
    a = memory.agree
    return np.stack([a[:, 0], a[:, 0] * pitch, a[:, 2] * pitch], axis=1)


def stacked(
    joint: np.ndarray,
    log_probs: np.ndarray,
    views: Mapping[str, Recall],
    weights: Mapping[str, tuple[float, ...]],
    strength: float = 1.0,
) -> np.ndarray:
    """The joint (n, 3) of :func:`view_joint`'s form with each fitted view stacked on
    (``joint``: the memory's mixture, or the network's own)."""
    out = np.asarray(joint, dtype=np.float64)
    for view in VIEWS:
        if view.name not in weights or view.name not in views:
            continue
        w = strengthened(np.asarray(weights[view.name], dtype=np.float64), strength)
        memory = views[view.name]
        weight = bucket_weights(memory.bucket, w)[:, None]
        out = (1.0 - weight) * out + weight * view_joint(view, memory, log_probs)
    return out


def fit_views(
    joint: np.ndarray, log_probs: np.ndarray, views: Mapping[str, Recall]
) -> dict[str, tuple[float, ...]]:
    """Each view's weight per bucket by EM, in :data:`VIEWS`'s order, each on the
    mixture of the memory and the views before it (``joint``, (n, 3) as
    :func:`view_joint`'s); a view that does not help gets no weights (it is left out)."""
    out: dict[str, tuple[float, ...]] = {}
    current = np.asarray(joint, dtype=np.float64)
    for view in VIEWS:
        memory = views[view.name]
        theirs = view_joint(view, memory, log_probs)
        weights = fit_mixture(current[:, 2], theirs[:, 2], memory.bucket)
        if not any(weights):
            continue
        out[view.name] = weights
        weight = bucket_weights(memory.bucket, np.asarray(weights))[:, None]
        current = (1.0 - weight) * current + weight * theirs
    return out


# ---------------------------------------------------------------------------
# generation
# ---------------------------------------------------------------------------
class ViewMemory:
    """The fitted views of a batch of variations, growing a note per step: one matcher
    whose rows are each view's rows in turn (a view's notes as it matches them)."""

    def __init__(
        self,
        weights: Mapping[str, tuple[float, ...]],
        strength: float,
        seed_fields: np.ndarray,
        rows: int,
        capacity: int,
    ) -> None:
        seed = np.asarray(seed_fields, dtype=np.int64).reshape(-1, np.shape(seed_fields)[-1])
        self.views = [view_of(name) for name in VIEW_NAMES if name in weights]
        self.rows = rows
        self.by_length = np.repeat(
            np.stack(
                [
                    length_weights(strengthened(np.asarray(weights[v.name]), strength))
                    for v in self.views
                ]
            ),
            rows,
            axis=0,
        )
        self.matcher = Matcher.stacked([view_fields(v, seed) for v in self.views], rows, capacity)
        last = int(seed[-1, 1]) if len(seed) else -1
        self.last_pitch = np.full(rows, last, dtype=np.int64)

    @classmethod
    def of(
        cls,
        weights: Mapping[str, tuple[float, ...]],
        strength: float,
        seed_fields: np.ndarray,
        rows: int,
        capacity: int,
    ) -> ViewMemory | None:
        """The views with weights, or None when there are none (or strength is 0)."""
        if not weights or strength <= 0:
            return None
        return cls(weights, strength, seed_fields, rows, capacity)

    def recollect(
        self, copy: Recollection | None, rng: np.random.Generator, greedy: bool = False
    ) -> Recollection | None:
        """The memory's ``copy``, each view's copy (drawn as its weights say) replacing it
        in turn: a copied step becomes the pitch that far from the row's last note (a
        pitch out of 0-127 is not copied); a rhythm copy leaves the pitch to the network
        (``Recollection.network_pitch``)."""
        theirs = recollect(self.matcher, self.by_length, rng, greedy)
        if theirs is None:
            return copy
        rows = self.rows
        if copy is None:
            copy = Recollection(np.zeros(rows, dtype=bool), np.zeros((rows, 3), np.int64))
        network = np.zeros(rows, dtype=bool) if copy.network_pitch is None else copy.network_pitch
        for k, view in enumerate(self.views):
            use = theirs.use[k * rows : (k + 1) * rows]
            fields = theirs.fields[k * rows : (k + 1) * rows].copy()
            if view.intervals:
                fields[:, 1] = self.last_pitch + fields[:, 1] - 128
                use = use & (self.last_pitch >= 0) & (fields[:, 1] >= 0) & (fields[:, 1] < 128)
            copy.fields = np.where(use[:, None], fields, copy.fields)
            copy.use = copy.use | use
            network = np.where(use, not view.copies_pitch, network)
        copy.network_pitch = network
        return copy

    def push(self, fields: np.ndarray) -> None:
        """Append one note per row: fields (rows, >=3) offset, pitch and duration classes."""
        f = np.asarray(fields, dtype=np.int64)[:, :TOKEN_FIELDS]
        matched = [view_fields(view, f[:, None], self.last_pitch)[:, 0] for view in self.views]
        self.matcher.push(np.concatenate(matched))
        self.last_pitch = f[:, 1].copy()
