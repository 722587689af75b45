"""Which model continues a clip when the musician leaves it to segue ("auto").

A drum clip goes to the drum model. A clip that repeats itself almost entirely (at least
:data:`LOOPING` of its notes repeat the note 1 or 2 bars earlier: a bassline, a
chord loop, an arpeggio) is a loop, and goes to a model that keeps loops (one with
a fitted loop, ``segue.model.loop``). Among the candidates left, the one that finds
the clip least surprising continues it: each reads the clip once, teacher-forced,
and the lowest loss per note wins (offset, pitch and duration: velocities say more
about a mixer than about a style). So a folk tune goes to the melody model and a
chorale to the polyphonic one, without a rule per style. An empty clip goes to
:data:`EMPTY`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
import torch
import torch.nn.functional as F

from segue.grid import clip_rows, to_ticks
from segue.model.checkpoint import LoadedModel, load_checkpoint
from segue.model.generate import intra_op_threads
from segue.model.loop import SELF_EDGES, self_repetition
from segue.model.registry import AUTO, DRUMS, find_model, list_models
from segue.model.vocab import steps_of
from segue.notes import Clip

EMPTY = "producer"
"""The model for a clip with no notes (generating from nothing), when installed."""
SCORED_FIELDS = ("offset", "pitch", "duration")
SCORED_NOTES = 32
"""A clip's last notes that decide (enough to tell a reel from a chorale; the choice costs
one pass of each candidate over them, about 2-5 ms)."""
LOOPING = SELF_EDGES[2]
"""A clip whose self-repetition reaches this share is a loop: it repeats itself almost entirely
(the loop's own top bucket)."""


def is_drum_model(loaded: LoadedModel) -> bool:
    return bool(loaded.info.get("drums"))


@torch.inference_mode()
def surprise(loaded: LoadedModel, clip: Clip) -> float:
    """The model's mean loss per note of ``clip`` (nats, offset + pitch + duration), over
    its last :data:`SCORED_NOTES` notes at most."""
    model = loaded.model
    rows = clip_rows(clip)[-SCORED_NOTES:]
    if not len(rows):
        return float("inf")
    steps = torch.from_numpy(
        steps_of(rows, to_ticks(clip.time_signature.beats_per_bar), loaded.config.vocab)
    )[None]
    was_training = model.training
    if was_training:  # loaded models are in eval mode already; switching costs milliseconds
        model.eval()
    try:
        logits = model(steps[:, :-1], steps[:, 1:])
    finally:
        if was_training:
            model.train()
    total = sum(
        F.cross_entropy(logits[field][0].float(), steps[0, 1:, column], reduction="sum").item()
        for column, field in enumerate(SCORED_FIELDS)
    )
    return total / len(rows)


class ModelChooser:
    """The model for each clip: a named one always, or for ``auto`` the least surprised
    of the installed melodic models (loaded once), the drum model for drum clips."""

    def __init__(
        self,
        name: str | None,
        models_dir: str | os.PathLike[str] | None = None,
        allow_path: bool = False,
    ) -> None:
        self.name = name or AUTO
        self.models_dir = models_dir
        self._fixed: LoadedModel | None = None
        self._candidates: dict[str, LoadedModel] | None = None
        if self.name != AUTO:
            self._fixed = load_checkpoint(find_model(self.name, models_dir, allow_path))

    def candidates(self) -> dict[str, LoadedModel]:
        """The installed models auto chooses among, by name (drum models apart)."""
        if self._candidates is None:
            loaded = {e.name: load_checkpoint(e.path) for e in list_models(self.models_dir)}
            self._candidates = loaded
        return self._candidates

    def choose(self, clip: Clip, drums: bool = False) -> tuple[str, LoadedModel]:
        """The name and model that continue ``clip`` (``drums``: it is a drum clip)."""
        if self._fixed is not None:
            return self.name, self._fixed
        models = self.candidates()
        if drums and DRUMS in models:
            return DRUMS, models[DRUMS]
        melodic = {n: m for n, m in models.items() if not is_drum_model(m)}
        if is_loop(clip):
            loopers = {n: m for n, m in melodic.items() if m.config.loop_table() is not None}
            melodic = loopers or melodic
        return best_of(melodic.items(), clip)

    def __call__(self, clip: Clip, drums: bool = False) -> LoadedModel:
        return self.choose(clip, drums)[1]


def is_loop(clip: Clip) -> bool:
    """Whether a clip repeats itself as a loop does (see :data:`LOOPING`)."""
    rows = clip_rows(clip)
    bar = to_ticks(clip.time_signature.beats_per_bar)
    return len(rows) > 0 and self_repetition(rows[:, 0], rows[:, 1], bar) >= LOOPING


def best_of(models: Iterable[tuple[str, LoadedModel]], clip: Clip) -> tuple[str, LoadedModel]:
    """The least surprised of ``models`` by ``clip`` (an empty clip: :data:`EMPTY`, or the
    first)."""
    pairs = list(models)
    if not pairs:
        raise ValueError("no model to choose from")
    if len(pairs) == 1:
        return pairs[0]
    if not clip.notes:
        return next(((n, m) for n, m in pairs if n == EMPTY), pairs[0])
    with intra_op_threads(1):  # as generation does: more threads wait on busy cores
        scores = [surprise(m, clip) for _, m in pairs]
    return pairs[int(np.argmin(scores))]


def choose_model(
    name: str | None, models_dir: str | os.PathLike[str] | None = None
) -> ModelChooser:
    """A chooser for a model name, a checkpoint path or ``auto`` (the default)."""
    return ModelChooser(name, models_dir, allow_path=True)
