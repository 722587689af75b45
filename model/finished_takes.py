"""What a request does to its takes after the last step: each take's rows, as the network,
the loop and the memory left them, finished into the notes the musician gets
(:func:`finished_takes`; ``segue.model.generate`` turns them into notes after).

The steps, in this order:

1. below memory 1, without ``--notes``, a line no busier than the clip: thinned, then
   settled as played (``segue.model.density``): settled with the articulation's plucks in,
   for the strikes they add count (a stab of 3 strikes a bar came back with 4.5, thinned to
   3 and plucked back up);
2. the part's articulation: the network's lengths no more legato than the clip's
   (``segue.model.articulation``);
3. ``--notes N``: N notes (a drum take's too), never part of a chord (:func:`_whole_chords`),
   counted after the chords are reduced to the voices asked where they are
   (:func:`_whole_reduced`: under ``--notes 8 --polyphony 1`` a pad came back with 2 notes
   when they were counted before);
4. the chords in full reduced to the voices asked (``segue.model.voices.arranged``), where
   ``--notes`` has not reduced them already;
5. a bar longer than the model's: the new notes, made in shorter note values, doubled back to
   the clip's own (:func:`_doubled`); every step after reads the clip's own end and ticks;
6. a drum take with fills: the time kept under a fill, then the crash after it
   (``segue.model.drumming``), and with ``--notes`` the cut again, counting them too;
7. a drum take that would repeat another or the clip: a touch of its own
   (``segue.model.drum_touches``). The crashes, then the touches, draw on the request's
   generator after the steps: in another order every later draw, and the notes, change;
8. a drum take: no pad struck twice at once (:func:`_without_flams`, once every hit is in:
   :func:`_with` adds them as they come), then ``--notes`` once more: at most N hits in all,
   its touch included (a beat came with N + 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from segue.grid import TICKS_PER_BEAT, to_ticks
from segue.model.articulation import Articulation
from segue.model.density import Density, Played
from segue.model.drum_steps import PAD_GAP
from segue.model.drum_touches import all_backbone, touch_repeats, touches, with_touches
from segue.model.drumming import kept_time, time_keepers
from segue.model.note_values import doubled
from segue.model.request_plan import RequestPlan
from segue.model.settings import GenerationParams
from segue.model.voices import arranged
from segue.notes import TimeSignature


@dataclass(frozen=True, slots=True)
class FinishedTakes:
    """The takes finished (:func:`finished_takes`), and where they end."""

    rows: list[np.ndarray]
    """Each take's rows (start, pitch, duration, velocity, in ticks), in the order played."""
    clip_end: int
    """The clip's end, in the takes' ticks (its own note values once doubled back)."""
    end_tick: int | None
    """Where the takes end (None for a length in notes), as ``clip_end``."""


def finished_takes(
    plan: RequestPlan,
    params: GenerationParams,
    rows: list[np.ndarray],
    lengths_drawn: list[np.ndarray],
    *,
    drums: bool,
    ts: TimeSignature,
    with_loop: bool,
    greedy: bool,
    rng: np.random.Generator,
) -> FinishedTakes:
    """Each take's ``rows`` (as its steps made them, in the order played; ``lengths_drawn``:
    where the network drew a note's length) finished, in the order of this module's steps.
    ``drums``: a drum model's takes; ``ts``: the clip's meter; ``with_loop``: the takes
    repeat the clip's loop (``segue.model.loop``); ``greedy``: at temperature 0 (the clip
    comes back: no touch); ``rng``: the request's generator (crashes and touches draw on
    it after the steps)."""
    clip_end, end_tick = plan.time.clip_end, plan.time.end_tick
    density = (  # below memory 1 no busier than the clip, with or without an articulation
        Density.of(plan.looped, clip_end, plan.time.longest_rest)
        if not drums and params.memory < 1 and params.notes is None
        else None
    )
    if density is not None:  # (model.density): a slap octave bass of 8ths was up to 16ths
        hold = (
            plan.line.articulation.most
            if plan.line.articulation is not None and plan.line.articulation.pulse
            else 0
        )
        thin = [
            density.thinned(r, o, end_tick, hold) for r, o in zip(rows, lengths_drawn, strict=True)
        ]
        rows, lengths_drawn = [r for r, _ in thin], [o for _, o in thin]
        art = plan.line.articulation  # as played: the strikes its plucks add count (a stab was 4.5)
        as_played: Played = _as_drawn if art is None else partial(_articulated, art, end_tick)
        # the note before a strike left out as long as the clip's shortest pluck, else (a
        # staccato part) held on for the articulation to pluck again on the clip's ticks
        # (without an articulation, as long as the clip's shortest note: an 808 bass of
        # 0.95-beat notes drawn as 0.17-beat 8ths kept every one, each gap left too long)
        shortest = int(plan.looped[:, 2].min()) if len(plan.looped) else 0
        holds = (
            (0, shortest) if art is None else (art.short, density.loop) if art.at else (art.short,)
        )
        thin = [
            density.settled(r, o, end_tick, as_played, holds, clip_end)
            for r, o in zip(rows, lengths_drawn, strict=True)
        ]
        rows, lengths_drawn = [r for r, _ in thin], [o for _, o in thin]
    if plan.line.articulation is not None:  # the network's lengths no more legato than the clip's
        rows = [
            plan.line.articulation.applied(r, o, end_tick)
            for r, o in zip(rows, lengths_drawn, strict=True)
        ]
    # --notes N: N notes once chords are reduced
    if params.notes is not None and plan.time.reducing:
        rows = [
            _whole_reduced(r, plan.line.limit.polyphony, int(params.notes), plan.line.slack)
            for r in rows
        ]
    elif params.notes is not None:
        rows = [_whole_chords(r, int(params.notes)) for r in rows]
    # the chords in full, reduced to the voices asked
    if plan.line.limit.arranged and not plan.time.reducing:
        rows = [arranged(r, plan.line.limit.polyphony, plan.line.slack) for r in rows]
    if plan.time.times:
        rows = [
            _doubled(r, plan.time.times, clip_end, plan.time.given_end, plan.time.given_stop)
            for r in rows
        ]
        clip_end, end_tick = plan.time.given_end, plan.time.given_stop
    # the time kept under a fill (at memory 0 the hats are the network's, as outside one)
    if plan.drum.fills is not None and with_loop and params.memory > 0:
        keepers = time_keepers(plan.looped, clip_end, plan.time.bar_ticks, plan.drum.fills)
        rows = [
            _with(r, kept_time(r, plan.looped, plan.drum.fills, keepers, end_tick)) for r in rows
        ]
    if plan.drum.fills is not None:
        loudest = int(plan.rows[:, 3].max()) if len(plan.rows) else 110
        rows = [_with(r, plan.drum.fills.crashes(r, end_tick, loudest, rng)) for r in rows]
        if params.notes is not None:  # --notes N counts the hats kept and the crashes too
            rows = [_whole_chords(_without_flams(r), int(params.notes)) for r in rows]
    if drums and with_loop and not greedy:  # at temperature 0 the clip comes back
        kinds = touches(  # a take that would repeat another or the clip: a touch of its own
            plan.looped,
            clip_end,
            plan.time.bar_ticks,
            plan.pitch.static_pitch,
            TICKS_PER_BEAT,
            to_ticks(4 / ts.denominator),
            ts.numerator,
            plan.time.n_var,
            plan.time.pulse,  # a 12/8 feel's touches on its 8ths
        )
        last = (
            end_tick
            if end_tick is not None
            else max((int(r[:, 0].max()) + 1 for r in rows if len(r)), default=clip_end)
        )
        looping = params.memory > 0  # at 0 the network plays all but the anchors
        if (
            plan.drum.fills is None
            and looping
            and all_backbone(plan.rows, clip_end, plan.time.bar_ticks, plan.drum.steady)
        ):
            rows = with_touches(rows, kinds, clip_end, plan.time.bar_ticks, last, rng)
        else:  # the takes the loop or the network left the same, or the clip hit for hit
            rows = touch_repeats(
                rows, kinds, clip_end, plan.time.bar_ticks, last, rng, plan.looped, end_tick
            )
    if drums:
        rows = [_without_flams(r) for r in rows]
    if drums and params.notes is not None:  # and a take's touch: at most N hits in all (a
        rows = [_whole_chords(r, int(params.notes)) for r in rows]  # beat came with N + 7)
    return FinishedTakes(rows, clip_end, end_tick)


def _as_drawn(rows: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """A take's ``rows`` as played without an articulation: as drawn."""
    return rows


def _articulated(
    articulation: Articulation, end: int | None, rows: np.ndarray, drawn: np.ndarray
) -> np.ndarray:
    """A take's ``rows`` as played with the part's ``articulation`` (up to ``end``)."""
    return articulation.applied(rows, drawn, end)


def _whole_chords(rows: np.ndarray, most: int) -> np.ndarray:
    """A take's rows (in the order played) cut to ``most`` notes (``--notes``) without
    ending on part of a chord: the chord that would pass ``most`` is left out whole (the
    take stops before it, so it never has more than ``most`` notes), but a first chord of
    more than ``most`` notes is kept whole (``--notes 1`` on a chord plays the chord).
    Generation went one note past ``most``, and on while the first chord went on, to tell
    a whole chord from a cut one: cut at 3 notes, a 4-note chord's last note was lost."""
    if len(rows) <= most:
        return rows
    past = rows[most, 0]  # the onset of the first note over the limit: its chord goes
    kept = rows[:most][rows[:most, 0] != past]
    return kept if len(kept) else rows[rows[:, 0] == rows[0, 0]]


def _whole_reduced(rows: np.ndarray, voices: int, most: int, slack: int) -> np.ndarray:
    """A take's rows (in the order played) reduced to ``voices`` as an arranger reduces a
    chord part (:func:`arranged`), then cut to ``most`` notes as :func:`_whole_chords` cuts
    them: the reduced chord that would pass ``most`` is left out whole (a first of more is
    kept whole), and the notes before it are reduced again without it (a held note it would
    have stopped rings to its own end). Under --notes 8 --polyphony 1 a pad of 4-note chords
    came back with 2 notes: the notes were counted before the reduction."""
    reduced = arranged(rows, voices, slack)
    if len(reduced) <= most:
        return reduced
    past = reduced[most, 0]  # the onset of the first note over the limit: its chord goes
    first = past == reduced[0, 0]
    return arranged(rows[rows[:, 0] == past] if first else rows[rows[:, 0] < past], voices, slack)


def _doubled(
    rows: np.ndarray, times: int, clip_end: int, given_end: int, given_stop: int | None
) -> np.ndarray:
    """New notes generated in shorter note values (``segue.model.note_values``) in the
    clip's own: from where it ends, ``2 ** times`` as long, none past the requested end."""
    out = doubled(rows - [clip_end, 0, 0, 0], times) + [given_end, 0, 0, 0]
    if given_stop is not None:
        out = out[out[:, 0] < given_stop]
        out[:, 2] = np.minimum(out[:, 2], given_stop - out[:, 0])
    return out


def _with(rows: np.ndarray, more: np.ndarray) -> np.ndarray:
    """``rows`` with ``more`` notes, in time order (a pad struck twice at once is struck
    once: :func:`_without_flams`, which every drum take goes through after this)."""
    if not len(more):
        return rows
    both = np.concatenate([rows, more])
    return both[np.lexsort((both[:, 1], both[:, 0]))]


def _without_flams(rows: np.ndarray, gap: int = PAD_GAP) -> np.ndarray:
    """A take's drum hits (rows in time order) without a pad's second hit less than ``gap``
    ticks after its first: where every pad of the kit still sounds at a note's onset, the
    pitch mask lets any pad through (``Voices.pitch_mask``), and a pad hit twice at once or
    a tick apart is a flam nobody played."""
    keep = np.ones(len(rows), dtype=bool)
    last: dict[int, int] = {}
    for i, (onset, pitch) in enumerate(rows[:, :2].tolist()):
        if pitch in last and onset - last[pitch] < gap:
            keep[i] = False
        else:
            last[pitch] = onset
    return rows[keep]
