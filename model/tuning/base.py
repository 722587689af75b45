"""The model a tuning starts from: the one named, or the one segue would choose.

Unnamed (or ``auto``), it is one of the models bundled with segue: the drum model for
drums; for other material, the melodic model that finds the material least surprising
where it matters, continuing it: the lowest loss per note (offset, pitch and duration,
with its clip memory and its loop) on the continuation bars of windows of the pieces (at
most :data:`SCORED` of them, shared out between the pieces: :func:`scored_windows`), as
``benchmarks/bench_producer.py`` and the palette's fit measure it. A model that keeps
loops is credited with them, so a producer's parts go to the producer model, folk tunes
to the melody model and chorales or madrigals to the polyphonic one (measured on
held-out pieces of LMMS tracks, Essen songs and Palestrina: 2.85, 3.21 and 4.35 nats per note
for the model chosen, the next best 3.47, 3.58 and 6.07). Material without such windows
(pieces shorter than 8 bars) goes to the model segue's automatic choice
(:mod:`segue.model.choice`) gives most of the pieces, weighted by their notes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from segue.errors import SegueError
from segue.model.checkpoint import LoadedModel, load_checkpoint
from segue.model.choice import AUTO, DRUMS, EMPTY, ModelChooser, is_drum_model
from segue.model.loop_fit import ContinuationWindow, mean_continuation_nats, windows_of
from segue.model.registry import find_model
from segue.model.tuning.material import Piece

T = TypeVar("T")
SCORED = 32
"""At most this many pieces (voting) or windows (scored), spread over the material."""


def named_base(
    name: str, models_dir: str | os.PathLike[str] | None = None, allow_path: bool = False
) -> LoadedModel:
    """The model ``name`` names (a path too, with ``allow_path``)."""
    return load_checkpoint(find_model(name, models_dir, allow_path))


def check_kind(name: str, loaded: LoadedModel, drums: bool) -> None:
    """One line when a model of the other kind than the pieces was named."""
    if drums != is_drum_model(loaded):
        raise SegueError(
            f"every clip is drums, and {name} is a melodic model; tune a drum model "
            f"(--from {DRUMS})"
            if drums
            else f"the clips are melodic, and {name} is a drum model; tune a melodic one"
        )


def choose_base(
    pieces: Sequence[Piece],
    drums: bool,
    models_dir: str | os.PathLike[str] | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> tuple[str, LoadedModel]:
    """The name and model segue tunes when none is named: among the models bundled with
    segue, the one it would choose for ``pieces``. A model the musician tuned before is
    tuned again only when named (``--from mine``): tuned on some of the same clips, it
    would find pieces held out that it has learnt, and their loss would flatter it (and
    reading the material with every user model grew with each tuning)."""
    chooser = ModelChooser(AUTO, models_dir, bundled_only=True)
    candidates = chooser.candidates()
    if drums:
        if DRUMS not in candidates:
            raise SegueError(
                f"every clip is drums, and no drum model named {DRUMS!r} is installed; "
                "name a model to tune with --from"
            )
        return DRUMS, candidates[DRUMS]
    melodic = {n: m for n, m in candidates.items() if not is_drum_model(m)}
    if not melodic:
        raise SegueError("no melodic model is bundled to tune; name one with --from")
    name = least_surprised(melodic, pieces, stopped) or voted(chooser, melodic, pieces)
    return name, melodic[name]


def spread(items: Sequence[T], count: int) -> list[T]:
    """At most ``count`` of ``items``, evenly spread, each once."""
    if len(items) <= count:
        return list(items)
    return [items[int(i)] for i in np.linspace(0, len(items) - 1, count)]


def scored_windows(pieces: Sequence[Piece], count: int = SCORED) -> list[ContinuationWindow]:
    """At most ``count`` windows of ``pieces``, shared out between them: each piece gives
    as many as the middle piece has (or all it has, when that is fewer), spread over it,
    so that a piece counts about as much as another. Spread over all the windows at once,
    a long song among short loops gave 26 of the 32 windows, and the base was the one
    for that song."""
    have = [w for w in (windows_of(p.rows, p.time_signature) for p in pieces) if w]
    if not have:
        return []
    share = max(2, int(np.median([len(w) for w in have])))
    while share > 1 and sum(min(len(w), share) for w in have) > count:
        share -= 1
    return spread([x for w in have for x in spread(w, share)], count)


def least_surprised(
    models: dict[str, LoadedModel],
    pieces: Sequence[Piece],
    stopped: Callable[[], bool] = lambda: False,
) -> str | None:
    """The model with the lowest loss per note (offset, pitch, duration) on the continuation
    bars of windows of ``pieces`` (:func:`scored_windows`); None without windows. Once
    ``stopped()`` (Ctrl-C), the least surprised of those scored so far: a model's scoring
    takes a few seconds, and Ctrl-C waited for all of them."""
    windows = scored_windows(pieces)
    if not windows:
        return None
    losses: dict[str, float] = {}
    for name, loaded in models.items():
        if losses and stopped():
            break
        losses[name] = mean_continuation_nats(loaded.model, windows)
    return min(losses, key=losses.__getitem__)


def voted(chooser: ModelChooser, models: dict[str, LoadedModel], pieces: Sequence[Piece]) -> str:
    """The model segue's automatic choice gives most of ``pieces`` (weighted by their notes);
    for no pieces, the model for an empty clip."""
    votes: Counter[str] = Counter()
    for piece in spread(pieces, SCORED):
        chosen = chooser.choose(piece.clip())[0]
        if chosen in models:
            votes[chosen] += piece.notes
    if votes:
        return max(votes, key=votes.__getitem__)
    return EMPTY if EMPTY in models else next(iter(models))
