"""The model a tuning starts from: the one named, or the one segue would choose.

Unnamed (or ``auto``), it is the model segue's automatic choice would continue the
material with (:mod:`segue.model.choice`): the drum model for drums, else the model that
choice gives most of the pieces, weighted by their notes (at most :data:`SCORED` pieces,
spread over the material, are read).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence

import numpy as np

from segue.errors import SegueError
from segue.model.checkpoint import LoadedModel, load_checkpoint
from segue.model.choice import AUTO, DRUMS, EMPTY, ModelChooser, is_drum_model
from segue.model.registry import find_model
from segue.model.tuning.material import Piece

SCORED = 32


def choose_base(
    name: str | None,
    pieces: Sequence[Piece],
    drums: bool,
    models_dir: str | os.PathLike[str] | None = None,
    allow_path: bool = False,
) -> tuple[str, LoadedModel]:
    """The name and model to tune: ``name`` (a path too, with ``allow_path``), or for
    None or ``auto`` the model segue would choose for ``pieces``."""
    if name and name != AUTO:
        return name, load_checkpoint(find_model(name, models_dir, allow_path))
    chooser = ModelChooser(AUTO, models_dir)
    candidates = chooser.candidates()
    if drums:
        if DRUMS not in candidates:
            raise SegueError(
                f"every clip is drums, and no drum model named {DRUMS!r} is installed; "
                "name a model to tune with --from"
            )
        return DRUMS, candidates[DRUMS]
    if not any(not is_drum_model(m) for m in candidates.values()):
        raise SegueError("no melodic model is installed to tune; name one with --from")
    chosen = [pieces[int(i)] for i in np.linspace(0, len(pieces) - 1, SCORED)] if pieces else []
    chosen = list({id(p): p for p in chosen}.values())
    votes: Counter[str] = Counter()
    for piece in chosen:  # notes weigh alike
        votes[chooser.choose(piece.clip())[0]] += piece.notes
    if votes:
        name = max(votes, key=votes.__getitem__)
    else:  # no piece to read: the model for an empty clip
        melodic = [n for n, m in candidates.items() if not is_drum_model(m)]
        name = EMPTY if EMPTY in melodic else melodic[0]
    return name, candidates[name]
