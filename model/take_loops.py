"""The loop each take of a request plays (``segue.model.loop.LoopRows``), where the model has
one and the clip is long enough, and each take's turns on it (``segue.model.takes.Turns``),
made once for a clip and kept with the model's weights (``generate`` asks it once a request,
before its first step).

Each take has a turn of its own at the end of every phrase (``segue.model.takes``; not a drum
model's, whose fills vary its phrases, or its touches where the loop keeps every hit:
``segue.model.drum_touches``; nor at temperature 0, which keeps the loop: there, as with takes,
the last bar of a phrase keeps it with the table's strength; at its own rate, below a half for
parts whose bars all differ, an arpeggio over a progression lost its last bar's chord and
accents at -t 0). A drum model keeps the beat's backbone (``request_plan.DrumReading.kept_hits``:
``segue.model.drumming.held_backbone``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from segue.model.architecture import Network, Readings, per_weights
from segue.model.array_keys import array_key
from segue.model.loop import (
    LoopHistory,
    LoopRows,
    held_notes,
    loop_ticks,
    one_level_pitches,
    programmed_levels,
)
from segue.model.request_plan import RequestPlan
from segue.model.takes import Turns
from segue.model.turn_sizes import firmness_for, reach_for, turn_for, varies_by_takes

TURNS_SLOT = "_segue_turns"
"""Where a model keeps the takes' turns it made for the clips it continued, before any
draw (``architecture.Readings``; :func:`kept_turns`)."""
HISTORIES_SLOT = "_segue_loop_histories"
"""Where a model keeps its readings of the loops of the clips it continued, before any take
played on (``architecture.Readings``; :func:`kept_history`)."""


class TurnSettings(NamedTuple):
    """How a request's takes turn on its loop: :class:`Turns`' arguments after the loop, the
    number of takes and the rng, in their order. They travel together from the request to
    ``Turns`` and into the key its turns are kept under (a tuple's hash and equality: a clip
    asked again with the same settings finds its turns made)."""

    length: int
    """How long a turn is (``turn_sizes.turn_for``: wilder, longer)."""
    shape: tuple[int, ...] | None
    """The loop's fixed shape, read once for the request (``segue.model.shapes.fixed_shape``)."""
    reach: int
    """How far a turned note may go (``turn_sizes.reach_for``: cooler, nearer)."""
    moved: int
    """Semitones the seed was moved into the model's octave."""
    pulse: int
    """The meter's beat, ticks."""


def take_loops(
    model: Network,
    plan: RequestPlan,
    seed_steps: np.ndarray,
    memory: float,
    temperature: float,
    moved: int,
    rng: np.random.Generator,
) -> LoopRows | None:
    """The loop of each of ``plan``'s takes (the clip as Live loops it, its bar, end, pulse,
    fixed shape and a beat's kept hits: ``request_plan``; ``seed_steps``: the network's steps
    of the clip's notes), when the model has one and the clip is long enough, else None.
    ``memory`` is the loop's strength (0: a beat's anchors alone); the takes' turns are as
    long as ``temperature`` asks (``segue.model.turn_sizes.turn_for``), and below -t 0.72 the
    loop is firmer around them and their notes nearer its own (``firmness_for``,
    ``reach_for``); ``moved``: semitones the seed was moved into the model's octave; the
    turns draw with ``rng``."""
    table = model.config.loop_table()
    anchored = memory <= 0  # a beat's anchors alone (segue.model.drumming.anchors)
    kept = plan.drum.kept_hits
    if table is None or (anchored and not any(kept)):
        return None
    seed_rows, bar, clip_end = plan.looped, plan.time.bar_ticks, plan.time.clip_end
    chords = not model.config.drums  # notes struck together: a chord's voices, not pads
    read = kept_history(model, seed_rows, seed_steps, bar, clip_end, chords)
    if read is None:
        return None
    histories = [read.copy() for _ in range(plan.time.n_var)]
    greedy = temperature == 0
    takes = varies_by_takes(model.config) and not greedy
    settings = TurnSettings(
        turn_for(temperature, bar), plan.pitch.shape, reach_for(temperature), moved, plan.time.pulse
    )
    turns = kept_turns(model, plan, seed_steps, read, rng, settings) if takes else None
    firm = firmness_for(temperature) if takes else 1.0  # cooler, firmer around the turn
    loop = loop_ticks(clip_end, bar)
    return LoopRows(
        histories,
        table.repeat_chance(memory * firm, takes or greedy),  # t 0 keeps it at phrase ends too
        table,
        turns,
        kept,
        {} if anchored else one_level_pitches(seed_rows, clip_end, loop),
        anchored,
        # a melodic loop's programmed levels (a gate's 100/75); a beat's repeats keep their
        # feel's slips: kept on drums, the groove came back on the downbeat after a phrase's
        # fill in 143 of bench_drums' 152 takes, against 150
        programmed_levels(seed_rows, clip_end, loop, bar, plan.time.pulse)
        if chords
        else frozenset(),
        held_notes(seed_rows, clip_end, loop, bar),
        memory >= 1,  # below 1 a take may drop a late-answered line's notes (Turns.keeps)
    )


def kept_history(
    model: Network,
    seed_rows: np.ndarray,
    seed_steps: np.ndarray,
    bar: int,
    clip_end: int,
    chords: bool,
) -> LoopHistory | None:
    """The loop of a clip as its takes begin it (``LoopHistory.of_seed`` of its ``seed_rows``
    and ``seed_steps``, in bars of ``bar`` ticks, ending at ``clip_end``; ``chords``: notes
    struck together are voices). Reading it pushes every note of the clip one by one (a trance
    gate's 192: about a millisecond), so it is read once for a clip and kept with the model's
    weights, for the latest ``architecture.READINGS`` clips. The history kept is never played
    on: each take, and the turns made of it (:func:`kept_turns`), play on in a copy
    (``LoopHistory.copy``)."""
    kept = per_weights(model, HISTORIES_SLOT, Readings)
    key = (array_key(seed_rows, seed_steps), bar, clip_end, chords)
    return kept(key, lambda: LoopHistory.of_seed(seed_rows, seed_steps, bar, clip_end, chords))


def kept_turns(
    model: Network,
    plan: RequestPlan,
    seed_steps: np.ndarray,
    history: LoopHistory,
    rng: np.random.Generator,
    settings: TurnSettings,
) -> Turns:
    """Each of ``plan``'s takes' turns (``segue.model.takes.Turns``) of the clip whose
    ``history`` (read from ``plan.looped`` and ``seed_steps``, unplayed) loops, drawing with
    ``rng``. Making them reads the whole loop and draws nothing, so they are made once for a
    clip, its number of takes and the turns' ``settings`` and kept with the model's weights,
    for the latest ``architecture.READINGS`` clips; each request draws in a copy of its own."""
    kept = per_weights(model, TURNS_SLOT, Readings)
    loop = (history.bar, history.shift, history.clip_end, history.chords)
    kind = Turns  # what makes them (a test's checking subclass keeps its own)
    variations = plan.time.n_var
    key = (kind, array_key(plan.looped, seed_steps), loop, variations, settings)
    made = kept(key, lambda: kind(history.copy(), variations, np.random.default_rng(0), *settings))
    return made.drawing_with(rng)
