"""The model a tuning starts from: the one named, or the one segue would choose.

Unnamed (or ``auto``), it is the model segue's automatic choice would continue the
material with (:mod:`segue.model.choice`): the drum model for drums, else the installed
model least surprised by the pieces, notes weighted alike (at most :data:`SCORED`
pieces, spread over the material, are read).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from segue.errors import SegueError
from segue.model.checkpoint import LoadedModel, load_checkpoint
from segue.model.choice import AUTO, DRUMS, ModelChooser, is_drum_model, surprise
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
    candidates = ModelChooser(AUTO, models_dir).candidates()
    if drums:
        if DRUMS not in candidates:
            raise SegueError(
                f"every clip is drums, and no drum model named {DRUMS!r} is installed; "
                "name a model to tune with --from"
            )
        return DRUMS, candidates[DRUMS]
    melodic = [(n, m) for n, m in candidates.items() if not is_drum_model(m)]
    if not melodic:
        raise SegueError("no melodic model is installed to tune; name one with --from")
    chosen = [pieces[int(i)] for i in np.linspace(0, len(pieces) - 1, SCORED)] if pieces else []
    chosen = list({id(p): p for p in chosen}.values())
    notes = sum(p.notes for p in chosen)
    scores = [
        sum(surprise(model, p.clip()) * p.notes for p in chosen) / max(notes, 1)
        for _, model in melodic
    ]
    return melodic[int(np.argmin(scores))]
