"""Tune an installed model on the musician's material and install the result (:func:`tune`).

The pieces to learn from are chosen (drums apart, duplicates once) and a share held out;
the model to start from is the one named or the one segue would choose; the network is
tuned within the time budget (:mod:`segue.model.tuning.fit`); the clip memory is refitted
on the held-out pieces, and a base model's loop is kept (see :func:`refit`); the network's
confidence is fitted on the held-out pieces' continuations
(:mod:`segue.model.tuning.calibrate`); the result is written as a user model with its card.
What is scored after each round and read after the steps is at most
:attr:`TuneSettings.held_out_notes` of the held-out notes
(:func:`segue.model.tuning.material.bounded`), so that work does not grow with them.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from segue.errors import Stopped
from segue.model.architecture import Network
from segue.model.checkpoint import LoadedModel
from segue.model.choice import four_bar_clips, home_of, is_drum_model
from segue.model.likelihood import fit_memory, piece_losses
from segue.model.registry import AUTO, find_model
from segue.model.training.batches import EncodedPieces, encode_pieces
from segue.model.training.signals import StopFlag
from segue.model.transpositions import shift_range
from segue.model.tuning.base import check_kind, choose_base, named_base
from segue.model.tuning.calibrate import calibrate
from segue.model.tuning.claim import claimed
from segue.model.tuning.fit import Progress, TuneSettings, tune_network
from segue.model.tuning.install import (
    Card,
    install_tuned,
    installed,
    kept_loop,
    keys_line,
    lineage_of,
    printable,
    tuned_paths,
)
from segue.model.tuning.keep import CUT_SHORT, installed_loss, kept_line
from segue.model.tuning.material import (
    HoldOutBy,
    Material,
    Piece,
    TooLittle,
    bounded,
    hold_out,
    learnable,
    time_scaled,
)
from segue.model.vocab import Vocab
from segue.notes import Clip

REFITTING = "refitting the clip memory"
"""The line :func:`tune` logs when the tuning is done and the memory is refitted (a step,
not news: ``segue tune --quiet`` leaves it out, the bridge reports it as ``fitting``)."""


@dataclass(frozen=True)
class TuneResult:
    """The model installed (its files and card), or, with ``kept``, the installed model of
    that name kept as it was (its files; the card of the tuning that did worse than it)."""

    path: Path
    card_path: Path
    card: Card
    kept: str = ""
    """The line that says why the installed model was kept (``segue.model.tuning.keep``);
    empty when the tuning was installed."""


def encode(pieces: Sequence[Piece], vocab: Vocab) -> EncodedPieces:
    return encode_pieces([p.rows for p in pieces], [p.bar_ticks for p in pieces], vocab)


def _quiet(message: str) -> None:
    pass


def _unheard(result: TuneResult) -> None:
    pass


def _songs(songs: Sequence[str], by: HoldOutBy) -> str:
    """The songs held out whole, as the tuning's first line names them: "the songs b, e",
    and when the folders were taken for songs, what to say if they are not."""
    named = ", ".join(songs)
    line = f"the song{'s' if len(songs) > 1 else ''} {named}, whole"
    if by == "auto":
        line += " (folders are taken as songs; --hold-out clips if they are not)"
    return line


def refit(model: Network, held: EncodedPieces) -> tuple[dict[str, Any], str]:
    """Fit ``model``'s clip memory on ``held`` into its configuration: the checkpoint info of
    the fit, and the fit in a line.

    The memory is fitted on held-out pieces only: its weights say how far to trust the
    network against the clip, and the tuned network knows the other pieces by heart. A
    base's loop (``segue.model.loop``) is kept as it is: how often producers keep a loop
    varies from song to song, and rates counted on the material of a tuning fit its songs,
    not the next one. Measured on the 10 LMMS songs that bench_tune tunes on (NLL per note
    of 8-bar windows, offset, pitch and duration), the same tuned network with the loop
    refitted (rates counted on all the tuning's pieces) against the base's: tuned on 9
    songs, on the 10th the base's loop did better for each of the 9 songs that have windows
    (pooled, 7,262 notes: 1.378 against 1.347; untuned 1.396); tuned on 7, on the other 3,
    in three such splits, 1.137 against 1.102, 0.092 against 0.046 and 1.874 against 1.827."""
    fit = fit_memory(model, held)
    model.config = dataclasses.replace(
        model.config,
        memory=fit.weights,
        pitch_class_weight=fit.pitch_class_weight,
        memory_views=fit.views,
    )
    return {"memory": fit.to_info(dataset="tuning", split="held out")}, fit.summary()


def hear_keys(model: Network, held: EncodedPieces, shifts: tuple[int, ...]) -> dict[str, Any]:
    """Turn the mixture over ``shifts`` on in ``model``'s configuration
    (``segue.model.transpositions``: the model hears the song's key) where ``held``, the
    held-out pieces, score better with it (NLL per note, the clip memory mixed in, as ``segue
    eval`` scores them); the checkpoint info of the choice. A tuning chooses it on its own
    pieces, as it keeps its weights: on pieces neither tuned on nor held out it gained
    0.03-0.04 nats per note on Essen songs and Palestrina, 0.03 and 0 on two folds of
    producers' songs, and a model may hear another musician's keys all alike."""
    plain = dataclasses.replace(model.config, transpositions=())
    model.config = plain
    without = _mean_nats(piece_losses(model, held))
    model.config = dataclasses.replace(plain, transpositions=shifts)
    with_ = _mean_nats(piece_losses(model, held))
    on = with_ < without - 1e-9
    if not on:
        model.config = plain
    return {
        "shifts": list(shifts),
        "on": on,
        "nats_without": round(without, 4),
        "nats_with": round(with_, 4),
        "notes": held.notes,
        "split": "held out",
    }


def _mean_nats(losses: list[np.ndarray]) -> float:
    """Nats per note (four fields) of :func:`segue.model.likelihood.piece_losses`'."""
    return float(np.concatenate(losses).sum(axis=1).mean()) if losses else float("inf")


def home_of_tuning(
    model: Network,
    held: Sequence[Piece],
    learnt: Sequence[Piece],
    base: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """What ``auto`` reads to tell whether a clip is like a tuned model's own music
    (``segue.model.choice.at_home``): its surprise by the 4-bar clips of the held-out
    pieces, which it did not learn (of the tuned-on ones, which it knows better, only when
    no held-out piece has 4 notes), with the limit no lower than its ``base``'s (the base
    model's own figure): what it learnt before is its music too, and a few held-out clips
    (often one) set a limit that left most of a musician's own pieces out. Without it a
    tuned model was at home with every clip: a polyphonic model tuned on a producer's
    basslines took the bundled chord loop from the producer model, and played it without
    its loop, an octave and a half low."""

    def clips(pieces: Sequence[Piece]) -> list[Clip]:
        return [c for p in pieces for c in four_bar_clips(p.rows, p.length, p.time_signature)]

    kept, split = clips(held), "tuning, held out"
    if not kept:
        kept, split = clips(learnt), "tuning, tuned on"
    home = home_of(LoadedModel(model, model.config, {}, Path()), kept, split)
    if (
        home is not None
        and base
        and base.get("p95") is not None
        and float(base["p95"]) > home["p95"]
    ):
        home = {**home, "p95": float(base["p95"]), "limit": "the base's"}
    return home


def check_request(
    name: str,
    base: str | None = None,
    models_dir: str | os.PathLike[str] | None = None,
    allow_path: bool = False,
    replace: bool = False,
) -> None:
    """One line when ``name`` cannot be taken or ``base`` names no model: said before the
    musician's clips are read (a folder of songs, a Live set: it takes a while), as
    ``segue tune`` and ``segue live learn`` ask; :func:`tune` checks them again."""
    tuned_paths(name, replace, models_dir)
    if base and base != AUTO:
        find_model(base, models_dir, allow_path)


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
    hold_out_by: HoldOutBy = "auto",
    unrefitted: Callable[[TuneResult], None] = _unheard,
) -> TuneResult:
    """Tune ``base`` (None: segue's choice for the material) on ``material`` and install it
    as user model ``name``, holding pieces out as ``hold_out_by`` says
    (``segue.model.tuning.material.HOLD_OUT_BY``). Raises one-line errors: too little
    material, an unknown model, a name taken or being tuned by another run, no songs to
    hold out. The best weights are installed as soon as the steps end, with the clip memory
    as it stands (its base's), and ``unrefitted`` hears of it; the refit then installs the
    model again: a stop during the refit (a second Ctrl-C, a bridge ending its Learn) keeps
    the first, its card saying so."""
    with claimed(name):  # before the name is checked: the run that claimed it may install it
        return _tune(
            material,
            name,
            base,
            settings or TuneSettings(),
            models_dir,
            allow_path,
            replace,
            stop,
            report,
            log,
            hold_out_by,
            unrefitted,
        )


def _tune(
    material: Material,
    name: str,
    base: str | None,
    settings: TuneSettings,
    models_dir: str | os.PathLike[str] | None,
    allow_path: bool,
    replace: bool,
    stop: StopFlag | None,
    report: Callable[[Progress], None] | None,
    log: Callable[[str], None],
    hold_out_by: HoldOutBy,
    unrefitted: Callable[[TuneResult], None],
) -> TuneResult:
    """:func:`tune`, its name claimed."""
    tuned_paths(name, replace, models_dir)  # refuse a taken name before any work
    named = named_base(base, models_dir, allow_path) if base and base != AUTO else None
    chosen = learnable(material, None if named is None else is_drum_model(named))
    try:
        train_pieces, held_pieces, held_songs = hold_out(chosen.pieces, by=hold_out_by)
    except TooLittle as exc:
        aside = chosen.left_out()
        raise TooLittle(f"{exc}; {aside}" if aside else str(exc)) from None
    if base and named is not None:
        check_kind(base, named, chosen.drums)
        base_name, loaded = base, named
    else:
        halt = stop or StopFlag()
        base_name, loaded = choose_base(
            chosen.pieces, chosen.drums, models_dir, lambda: halt.requested
        )
        if halt.requested:  # Ctrl-C while the base was chosen: at once
            raise Stopped(
                f"before the first tuning step; {name} was not installed"
                + (" (the one installed is as it was)" if replace and installed(name) else "")
            )
    vocab = loaded.config.vocab
    scaled = time_scaled(train_pieces, vocab.max_bar_ticks) if settings.time_scaled else []
    held_out_notes = sum(p.notes for p in held_pieces)
    held_out_pieces = sum(1 for p in held_pieces if p.notes)
    # what is scored, refitted and calibrated on: the work after each round and after the
    # steps is bounded by it, not by the held-out material
    held_pieces = bounded(held_pieces, settings.held_out_notes, settings.rng_seed)
    scored = sum(p.notes for p in held_pieces)
    learnt, held = encode([*train_pieces, *scaled], vocab), encode(held_pieces, vocab)
    pieces = sum(1 for p in train_pieces if p.notes)  # as encoded: pieces with notes
    notes = sum(p.notes for p in train_pieces)
    cut = f"; {scored:,} of them scored, drawn from each in turn" if scored < held_out_notes else ""
    log(
        f"tuning {base_name} on {pieces} piece{'' if pieces == 1 else 's'} ({notes:,} notes"
        + (f"; and {len(scaled)} at double or half their note values" if scaled else "")
        + f"), holding out {held_out_pieces} ({held_out_notes:,} notes{cut}"
        + (f"; {_songs(held_songs, hold_out_by)}" if held_songs else "")
        + "), for up to "
        f"{settings.seconds:g} s" + (f"; {chosen.left_out()}" if chosen.left_out() else "")
    )
    tuned = tune_network(loaded.model, learnt, held, settings, stop, report)
    if tuned.status == "stopped" and tuned.after >= tuned.before - 1e-6:  # nothing to keep:
        raise Stopped(  # the base as it was, or no better; a model of that name stays as it was
            (
                f"after {tuned.steps} steps, before the tuning lowered the held-out loss"
                if tuned.steps
                else "before the first tuning step"
            )
            + f"; {name} was not installed"
            + (" (the one installed is as it was)" if replace and installed(name) else "")
        )
    counts = {
        "pieces": pieces,
        "notes": notes,
        "time_scaled_pieces": len(scaled),
        "held_out_pieces": held_out_pieces,
        "held_out_notes": held_out_notes,
        **({"held_out_notes_scored": scored} if scored < held_out_notes else {}),
        "drums_left_out": chosen.drums_left_out,
        **({"melodic_left_out": chosen.melodic_left_out} if chosen.melodic_left_out else {}),
        **({"pads": chosen.pads} if chosen.pads else {}),
        "duplicates": chosen.duplicates,
        "unreadable": sum(len(names) for names in material.skipped.values()),
    }
    loop = kept_loop(loaded)

    def card(memory: str, keys: str = "", refitted: bool = True) -> Card:
        return Card(
            name,
            base_name,
            tuple(printable(s) for s in material.sources),
            counts,
            tuned.before,
            tuned.after,
            tuned.seconds,
            tuned.steps,
            tuned.status,
            memory,
            loop,
            tuned.toward_base,
            tuple(printable(s) for s in held_songs),
            lineage_of(loaded.info.get("tuned")),
            datetime.date.today().isoformat(),
            settings.seconds,
            keys,
            refitted,
        )

    if replace and tuned.status in CUT_SHORT:  # nothing lost: a better one installed stays
        better = installed_loss(name, held_pieces, settings, chosen.drums)
        if better is not None and better < tuned.after:
            out, card_path = tuned_paths(name, replace, models_dir)
            line = kept_line(name, better, tuned, settings.seconds)
            return TuneResult(out, card_path, card(""), line)
    first = card("", refitted=False)  # the best, kept whatever stops the refit
    path, card_path = install_tuned(tuned.model, first, unrefitted_info(loaded), replace)
    unrefitted(TuneResult(path, card_path, first))
    log(REFITTING)
    try:
        info, memory, keys = fit_after_steps(
            tuned.model, held, held_pieces, train_pieces, loaded, settings, chosen.drums
        )
    except KeyboardInterrupt:  # a second Ctrl-C: the model installed before the refit stays
        log(stopped_refitting(name, path))
        raise
    path, card_path = install_tuned(tuned.model, card(memory, keys), info, replace=True)
    return TuneResult(path, card_path, card(memory, keys))


def unrefitted_info(base: LoadedModel) -> dict[str, Any]:
    """The checkpoint info of a model tuned from ``base`` and installed before its refit
    (:func:`fit_after_steps`): its base's home for ``auto`` (a tuned model's limit is no
    lower than its base's, :func:`home_of_tuning`: a clip at home with the base is at home
    with it) and a drum model's pads."""
    info = kept_from_base(base)
    surprise = base.info.get("surprise")
    if isinstance(surprise, dict) and surprise.get("p95") is not None:
        info["surprise"] = {**surprise, "limit": "the base's"}
    return info


def kept_from_base(base: LoadedModel) -> dict[str, Any]:
    """What a model tuned from ``base`` keeps of its checkpoint info: a drum model's pads."""
    return {"drums": base.info["drums"]} if base.info.get("drums") else {}


def fit_after_steps(
    model: Network,
    held: EncodedPieces,
    held_pieces: Sequence[Piece],
    learnt: Sequence[Piece],
    base: LoadedModel,
    settings: TuneSettings,
    drums: bool,
) -> tuple[dict[str, Any], str, str]:
    """The work after a tuning's steps, on the tuned ``model`` (tuned from ``base`` on
    ``learnt``, ``held`` the held-out pieces encoded): its clip memory refitted, its
    confidence calibrated, whether it hears the song's key chosen (not for ``drums``), and its
    home for ``auto`` measured. The checkpoint info of it all, and the card's lines on the
    memory and the keys."""
    info, memory = refit(model, held)
    calibration = calibrate(model, held_pieces)
    info["calibration"] = calibration.to_info()
    memory = f"{memory}; {calibration.summary()}"
    keys = ""
    if not drums and held.notes:  # a drum model's notes are pads: no key to hear
        info["transpositions"] = hear_keys(model, held, shift_range(*settings.transpose))
        keys = keys_line(info["transpositions"])
    home = home_of_tuning(model, held_pieces, learnt, base.info.get("surprise"))
    if home is not None:
        info["surprise"] = home
    return {**info, **kept_from_base(base)}, memory, keys


def stopped_refitting(name: str, path: Path) -> str:
    """What a tuning stopped during its refit says: the model installed before it stays."""
    return (
        f"stopped before the clip memory was refitted: {name} is installed with its base's "
        f"({path}), as its card says"
    )
