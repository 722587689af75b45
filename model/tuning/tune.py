"""Tune an installed model on the musician's material and install the result (:func:`tune`).

The pieces to learn from are chosen (drums apart, duplicates once) and a share held out;
the model to start from is the one named or the one segue would choose; the network is
tuned within the time budget (:mod:`segue.model.tuning.fit`); the clip memory is refitted
on the held-out pieces and, when the base model has a loop, the loop on windows of them
too; the result is written as a user model with its card.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segue.errors import Stopped
from segue.model.architecture import Network
from segue.model.likelihood import fit_memory
from segue.model.loop_fit import fit_loop, windows_of
from segue.model.training.batches import EncodedPieces, encode_pieces
from segue.model.training.signals import StopFlag
from segue.model.tuning.base import choose_base
from segue.model.tuning.fit import Progress, TuneSettings, tune_network
from segue.model.tuning.install import Card, install_tuned, tuned_paths
from segue.model.tuning.material import (
    Material,
    Piece,
    TooLittle,
    hold_out,
    learnable,
    time_scaled,
)
from segue.model.vocab import Vocab

LOOP_WINDOWS = 48
"""At most this many windows, spread over the held-out pieces, are continued to say how the
refitted loop keeps the clip (the card's line); its rates are counted on all the pieces."""
MIN_LOOP_WINDOWS = 12
"""With fewer windows of all the pieces (or none held out) the base's loop is kept (a few
windows' rates would be noise; the base's were fitted on thousands)."""


@dataclass(frozen=True)
class TuneResult:
    path: Path
    card_path: Path
    card: Card


def encode(pieces: Sequence[Piece], vocab: Vocab) -> EncodedPieces:
    return encode_pieces([p.rows for p in pieces], [p.bar_ticks for p in pieces], vocab)


def _quiet(message: str) -> None:
    pass


def refit(
    model: Network,
    held: EncodedPieces,
    held_pieces: Sequence[Piece],
    loop: bool,
    tuning_pieces: Sequence[Piece] = (),
) -> tuple[dict[str, Any], str, str]:
    """Fit ``model``'s clip memory on ``held`` (and its loop's rates on windows of
    ``held_pieces`` and ``tuning_pieces``, at the base's strength) into its configuration:
    the checkpoint info of the fits, and each fit in a line (the loop's empty when it is not
    refitted).

    The memory is fitted on held-out pieces only: its weights say how far to trust the
    network against the clip, and the tuned network knows the other pieces by heart. The
    loop's rates are counts of the material's notes, without the network, so
    they are counted on every piece: a few held-out pieces' counts are noise (LMMS songs, the
    rates of 73 held-out windows: 2.45 nats per note on the other songs' windows, and one
    window of 4 notes moves it by 0.18; of all 635 windows: 2.36); the continuations that
    score the strength are of held-out windows only."""
    fit = fit_memory(model, held)
    model.config = dataclasses.replace(
        model.config,
        memory=fit.weights,
        pitch_class_weight=fit.pitch_class_weight,
        memory_views=fit.views,
    )
    info: dict[str, Any] = {"memory": fit.to_info(dataset="tuning", split="held out")}
    held_windows = [w for p in held_pieces for w in windows_of(p.rows, p.time_signature)]
    windows = held_windows + [
        w for p in tuning_pieces for w in windows_of(p.rows, p.time_signature)
    ]
    if not loop or not held_windows or len(windows) < MIN_LOOP_WINDOWS:
        return info, fit.summary(), ""
    # the base's strength: a few dozen held-out pieces are too few to choose how firmly a
    # musician wants the loop kept (the base's validation chose)
    looped = fit_loop(
        model,
        held_windows,
        (model.config.loop_strength,),
        scored=LOOP_WINDOWS,
        counted=windows,
    )
    table = looped.table
    model.config = dataclasses.replace(
        model.config,
        loop=table.phi,
        loop_slip=table.slip,
        loop_velocity_slip=table.velocity_slip,
        loop_strength=table.strength,
        loop_after=table.after,
    )
    info["loop"] = looped.to_info(dataset="tuning", split="all", continuations="held out")
    return info, fit.summary(), looped.summary()


def tune(
    material: Material,
    name: str,
    base: str | None = None,
    settings: TuneSettings | None = None,
    *,
    models_dir: str | os.PathLike[str] | None = None,
    allow_path: bool = False,
    replace: bool = False,
    stop: StopFlag | None = None,
    report: Callable[[Progress], None] | None = None,
    log: Callable[[str], None] = _quiet,
) -> TuneResult:
    """Tune ``base`` (None: segue's choice for the material) on ``material`` and install it
    as user model ``name``. Raises one-line errors: too little material, an unknown model,
    a name taken."""
    settings = settings or TuneSettings()
    tuned_paths(name, replace, models_dir)  # refuse a taken name before any work
    chosen = learnable(material)
    try:
        train_pieces, held_pieces = hold_out(chosen.pieces)
    except TooLittle as exc:
        aside = chosen.left_out()
        raise TooLittle(f"{exc}; {aside}" if aside else str(exc)) from None
    base_name, loaded = choose_base(base, chosen.pieces, chosen.drums, models_dir, allow_path)
    vocab = loaded.config.vocab
    scaled = time_scaled(train_pieces, vocab.max_bar_ticks) if settings.time_scaled else []
    learnt, held = encode([*train_pieces, *scaled], vocab), encode(held_pieces, vocab)
    pieces = sum(1 for p in train_pieces if p.notes)  # as encoded: pieces with notes
    notes = sum(p.notes for p in train_pieces)
    log(
        f"tuning {base_name} on {pieces} pieces ({notes:,} notes"
        + (f"; and {len(scaled)} at double or half their note values" if scaled else "")
        + f"), holding out {held.pieces} ({held.notes:,} notes), for up to "
        f"{settings.seconds:g} s" + (f"; {chosen.left_out()}" if chosen.left_out() else "")
    )
    tuned = tune_network(loaded.model, learnt, held, settings, stop, report)
    if tuned.status == "stopped" and not tuned.steps:  # the base as it was: nothing to keep
        raise Stopped(f"before the first tuning step; {name} was not installed")
    log("refitting the clip memory" + (" and the loop" if loaded.config.loop else ""))
    info, memory, loop = refit(
        tuned.model, held, held_pieces, bool(loaded.config.loop), train_pieces
    )
    if loaded.info.get("drums"):
        info["drums"] = loaded.info["drums"]
    counts = {
        "pieces": pieces,
        "notes": notes,
        "time_scaled_pieces": len(scaled),
        "held_out_pieces": held.pieces,
        "held_out_notes": held.notes,
        "drums_left_out": chosen.drums_left_out,
        "duplicates": chosen.duplicates,
        "unreadable": sum(len(names) for names in material.skipped.values()),
    }
    card = Card(
        name,
        base_name,
        material.sources,
        counts,
        tuned.before,
        tuned.after,
        tuned.seconds,
        tuned.steps,
        tuned.status,
        memory,
        loop,
        tuned.toward_base,
    )
    path, card_path = install_tuned(tuned.model, card, info, replace)
    return TuneResult(path, card_path, card)
