"""The takes ``segue generate`` plays offline: made and timed, each cut at its share of
notes as the bridge cuts it (:func:`made_takes`), and what it prints of them once written
(:func:`generated_lines`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from segue.bridge.values import counted
from segue.files import same_file
from segue.notes import Clip
from segue.take_notices import capped_takes

if TYPE_CHECKING:  # the network's modules (torch): loaded by the commands that generate
    from segue.model.architecture import Network
    from segue.model.generate import GenerationResult
    from segue.model.settings import GenerationParams


def made_takes(
    model: Network, seed_clip: Clip, params: GenerationParams
) -> tuple[GenerationResult, int, float]:
    """The takes ``model`` plays after ``seed_clip``, each cut at its share of notes, how
    many were cut, and the milliseconds it took to play them."""
    from segue.model.generate import generate

    started = time.perf_counter()
    made = generate(model, seed_clip, params)
    elapsed = (time.perf_counter() - started) * 1000
    result, cut = capped_takes(made)
    return result, cut, elapsed


def generated_lines(
    label: str,
    elapsed: float,
    result: GenerationResult,
    clips: Sequence[Clip],
    paths: Sequence[Path],
    seed: Path | None,
) -> list[str]:
    """What ``segue generate`` prints of the takes written to ``paths``: the model that
    played them (``label``), how many, in how many ms, the rng seed and key; then each
    file (:func:`take_line`)."""
    key = ", key " + str(result.key) if result.key else ""
    lines = [
        f"model {label}: {counted(len(clips), 'variations')} in {elapsed:.0f} ms"
        f" (rng seed {result.rng_seed}{key})"
    ]
    for clip, path in zip(clips, paths, strict=True):
        lines.append(f"  {path}: {take_line(clip, path, seed)}")
    return lines


def take_line(clip: Clip, path: Path, seed: Path | None) -> str:
    """What ``segue generate`` (and ``segue send``, with no ``seed``) says of a take written
    to ``path``: its notes and bars, and where --force wrote it onto the seed itself, that it
    did, as the seed's notes are gone (helper-174)."""
    instead = ", in place of the seed" if seed is not None and same_file(path, seed) else ""
    return f"{counted(len(clip), 'notes')}, {counted(clip.bars, 'bars')}{instead}"
