"""The clip memory's other views: the same intervals, the same scale steps, the same rhythm.

The clip memory (``segue.model.memory``) copies a note that followed the same
notes earlier in the clip. Music also repeats itself less literally. A fiddle
tune plays its opening figure again a third higher (a sequence); a bassline
keeps its pattern and follows the chords; a melody's second phrase keeps the
first one's rhythm with new pitches. Each view here is a memory of its own,
matching the clip's notes with one thing left out, and proposing what followed:

- ``intervals``: notes as offset, step from the pitch before, and duration. A
  copy plays the proposed step from the note just played: the figure transposed.
- ``degrees``: notes as offset, step in scale degrees of the clip's key (and whether the
  note is the scale's or a semitone above it), and duration. A copy plays the proposed
  number of degrees from the note just played, in the key: a sequence, a figure moved up
  the scale (C D E then E F G: semitone steps 2 2 then 1 2, degree steps 1 1 both times).
  The key is the major scale (or one of its modes) that holds the most of the clip's
  first :data:`KEY_NOTES` notes (:func:`scale_tonic`).
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
from typing import Literal

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
    pitch: Literal["semitones", "degrees", ""]
    """Pitch as the step from the note before, in semitones or in degrees of the clip's
    scale, or left out ("")."""

    @property
    def copies_pitch(self) -> bool:
        """Whether a copy brings its pitch (a step) or leaves it to the network."""
        return bool(self.pitch)


VIEWS: tuple[View, ...] = (
    View("intervals", "semitones"),  # the same steps from note to note: a figure transposed
    View("degrees", "degrees"),  # the same steps along the scale: a sequence in the key
    View("rhythm", ""),  # the same onsets and lengths: the network chooses the pitches
)
"""The views, in the order they stack on the memory (and are fitted)."""
VIEW_NAMES = tuple(v.name for v in VIEWS)
NO_STEP = 0
"""The interval class of a note with no note before it (a step is 1 ... 255: 128 + step)."""
SCALE = np.array([0, 2, 4, 5, 7, 9, 11])
"""The major scale's pitch classes above its tonic (its modes share them)."""
KEY_NOTES = 16
"""The clip's first notes that choose its scale (:func:`scale_tonic`): the seed's in
generation, the piece's in the likelihood, so both read the same key from a seed this long."""
DEGREE_STEPS = 63
"""Degree steps further than this are counted as this far."""


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


def scale_tonic(pitches: np.ndarray) -> int:
    """The tonic (pitch class) of the major scale that holds the most of ``pitches``, the
    clip's first :data:`KEY_NOTES` (ties: the lowest tonic; no pitches: C)."""
    counts = np.bincount(np.asarray(pitches, dtype=np.int64)[:KEY_NOTES] % 12, minlength=12)
    return int(np.argmax([counts[(tonic + SCALE) % 12].sum() for tonic in range(12)]))


def _degrees(pitches: np.ndarray, tonic: int) -> tuple[np.ndarray, np.ndarray]:
    """Each pitch as (scale degree counted from the tonic's lowest octave, semitones above
    that degree: 0 on the scale, 1 off it)."""
    octave, above = np.divmod(np.asarray(pitches, dtype=np.int64) - tonic, 12)
    index = np.searchsorted(SCALE, above, side="right") - 1
    return 7 * octave + index, above - SCALE[index]


def degrees_of(
    pitches: np.ndarray, tonic: int, before: np.ndarray | int | None = None
) -> np.ndarray:
    """The degree-step class of each pitch in the scale on ``tonic``, along the last axis:
    ``2 * (64 + degrees from the pitch before) + 1 if off the scale`` (the step held to
    :data:`DEGREE_STEPS`); ``before`` as :func:`intervals_of`'s."""
    p = np.asarray(pitches, dtype=np.int64)
    first = np.full(p.shape[:-1], -1) if before is None else np.asarray(before, dtype=np.int64)
    degree, off = _degrees(np.concatenate([np.maximum(first, 0)[..., None], p], axis=-1), tonic)
    step = np.clip(np.diff(degree, axis=-1), -DEGREE_STEPS, DEGREE_STEPS)
    out = 2 * (64 + step) + off[..., 1:]
    if p.shape[-1]:
        out[..., 0] = np.where(first >= 0, out[..., 0], NO_STEP)
    return out


def degree_pitch(last: np.ndarray, step_class: np.ndarray, tonic: int) -> np.ndarray:
    """The pitch a degree-step class (:func:`degrees_of`) leads to from ``last``."""
    degree = _degrees(last, tonic)[0] + np.asarray(step_class) // 2 - 64
    octave, index = np.divmod(degree, 7)
    return tonic + 12 * octave + SCALE[index] + np.asarray(step_class) % 2


def view_fields(
    view: View, fields: np.ndarray, before: np.ndarray | int | None = None, tonic: int = 0
) -> np.ndarray:
    """Notes (n, >=3: offset, pitch and duration classes) as ``view`` matches them (n, 3):
    the pitch replaced by its step from the note before (``before``: the pitch before the
    first, see :func:`intervals_of`), in semitones or in degrees of the scale on ``tonic``
    (:func:`degrees_of`), or by 0."""
    f = np.array(np.asarray(fields, dtype=np.int64)[..., :TOKEN_FIELDS])
    if view.pitch == "semitones":
        f[..., 1] = intervals_of(f[..., 1], before)
    elif view.pitch == "degrees":
        f[..., 1] = degrees_of(f[..., 1], tonic, before)
    else:
        f[..., 1] = 0
    return f


# ---------------------------------------------------------------------------
# the likelihood and the fit
# ---------------------------------------------------------------------------
def view_recalls(fields: np.ndarray) -> dict[str, Recall]:
    """Each view's memory of every note of one piece (fields (n, >=3)), the scale the
    piece's first notes say (:func:`scale_tonic`)."""
    tonic = scale_tonic(np.asarray(fields)[:, 1])
    return {v.name: recall(view_fields(v, fields, tonic=tonic)) for v in VIEWS}


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
        self.tonic = scale_tonic(seed[:, 1])
        self.matcher = Matcher.stacked(
            [view_fields(v, seed, tonic=self.tonic) for v in self.views], rows, capacity
        )
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
        in turn: a copied step becomes the pitch that far from the row's last note, in
        semitones or degrees of the clip's scale (a pitch out of 0-127 is not copied); a
        rhythm copy leaves the pitch to the network
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
            if view.copies_pitch:
                fields[:, 1] = (
                    self.last_pitch + fields[:, 1] - 128
                    if view.pitch == "semitones"
                    else degree_pitch(self.last_pitch, fields[:, 1], self.tonic)
                )
                use = use & (self.last_pitch >= 0) & (fields[:, 1] >= 0) & (fields[:, 1] < 128)
            copy.fields = np.where(use[:, None], fields, copy.fields)
            copy.use = copy.use | use
            network = np.where(use, not view.copies_pitch, network)
        copy.network_pitch = network
        return copy

    def push(self, fields: np.ndarray) -> None:
        """Append one note per row: fields (rows, >=3) offset, pitch and duration classes."""
        f = np.asarray(fields, dtype=np.int64)[:, :TOKEN_FIELDS]
        matched = [
            view_fields(view, f[:, None], self.last_pitch, self.tonic)[:, 0] for view in self.views
        ]
        self.matcher.push(np.concatenate(matched))
        self.last_pitch = f[:, 1].copy()
