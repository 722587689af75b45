"""Giving a checkpoint the clip's palette (``segue.model.palette``), and what it does.

The palette's weights are fitted on each clip at request time, so there is nothing to fit
here: :func:`palette_file` turns it on in a checkpoint's configuration and records, for its
card, the likelihood of the continuations of a dataset split's windows with and without
it (a model should gain on foreign clips and lose nothing on its own material).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from segue.model.architecture import Network
from segue.model.loop_fit import ContinuationWindow, mean_continuation_nats, split_windows


def palette_gain(model: Network, windows: list[ContinuationWindow]) -> dict[str, Any]:
    """Mean loss per continuation note (nats, offset + pitch + duration) of ``windows``
    without and with the palette."""
    nats = {}
    for palette in (False, True):
        clone = dataclasses.replace(model.config, palette=palette)
        was, model.config = model.config, clone
        try:
            nats[palette] = mean_continuation_nats(model, windows)
        finally:
            model.config = was
    notes = int(sum(len(w.real()) for w in windows))
    return {"windows": len(windows), "notes": notes, "without": nats[False], "with": nats[True]}


def palette_file(
    checkpoint: str | os.PathLike[str],
    dataset: str | os.PathLike[str],
    output: str | os.PathLike[str],
    split: str = "valid",
) -> dict[str, Any]:
    """Write ``checkpoint`` to ``output`` (may be the same) with the palette on, and what it
    does to windows of a split of a prepared dataset in its info."""
    from segue.dataset.loading import load_dataset
    from segue.model.checkpoint import load_checkpoint, rewrite_checkpoint

    loaded = load_checkpoint(checkpoint)
    gain = palette_gain(loaded.model, split_windows(load_dataset(dataset), split))
    gain.update(dataset=Path(dataset).name, split=split)
    rewrite_checkpoint(checkpoint, output, config={"palette": True}, info={"palette": gain})
    return gain
