"""Continue a clip: the seed goes through the network once, then one step per note.

All variations are generated together as one batch; the LSTM state is carried
from step to step (never a sliding window re-fed for every note). Each note is
sampled field by field: offset, then pitch given the offset, then duration and
velocity, each with temperature and top-p. Masks keep every note inside the
key lock, the pitch range and the polyphony limit, keep the first new note
at or after the end of the seed clip, and keep a keys part's two hands (its chords
begin in the left hand: ``segue.model.hands``). When the model has a fitted clip memory
(``segue.model.memory``), a note may instead copy what followed the latest
notes earlier in the clip, as often as the memory's weights say; when it has a
fitted loop (``segue.model.loop``), each note after the clip may repeat the
clip's loop instead, and where it does not, the memory's copy (unless it is the
loop's note) or the network plays something else.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from segue.errors import SegueError
from segue.grid import TICKS_PER_BEAT, on_ticks, to_beats, to_ticks
from segue.model.accents import Accents, echoes_velocity
from segue.model.architecture import Network, Readings, Stepper, array_key, per_weights
from segue.model.clip_reading import clip_reading
from segue.model.drum_touches import alike_takes
from segue.model.feel import Feel, clip_feel, played_times
from segue.model.finished_takes import finished_takes
from segue.model.keys import Key, moved_key, pitch_mask
from segue.model.loop import (
    LoopHistory,
    LoopRows,
    held_notes,
    loop_ticks,
    one_level_pitches,
    programmed_levels,
)
from segue.model.memory import (
    Matcher,
    length_weights,
    strengthened,
)
from segue.model.memory_views import ViewMemory
from segue.model.palette import (
    FITTED_NOTES,
    PaletteRows,
    network_probabilities,
    seed_weights,
)
from segue.model.pickups import DOWNBEAT_HINT, downbeat_problem, music_start
from segue.model.pitch_classes import counts_of
from segue.model.register import into_range, octave_for
from segue.model.request_plan import plan_request, resolve_key
from segue.model.sampling import Sampler
from segue.model.settings import (
    DRAWN_SEEDS,
    GenerationError,
    GenerationParams,
)
from segue.model.shapes import (
    range_notice,
)
from segue.model.slips import loop_loudness
from segue.model.step_phases import kept_note, step_lengths, step_onsets, step_pitches
from segue.model.step_state import StepTools, TakesSoFar
from segue.model.takes import Turns
from segue.model.transpositions import heard_shift
from segue.model.turn_sizes import firmness_for, reach_for, turn_for, varies_by_takes
from segue.model.vocab import Vocab, any_set, columns, steps_of
from segue.model.voices import (
    NO_LIMIT,
    VoiceLimit,
    Voices,
    seed_and_take,
    stolen,
)
from segue.model.wrong_notes import asked_slip_lines
from segue.notes import Clip, Note, TimeSignature

PALETTES_SLOT = "_segue_palettes"
"""Where a model keeps the palette weights of the clips it read (``architecture.Readings``)."""
TURNS_SLOT = "_segue_turns"
"""Where a model keeps the takes' turns it made for the clips it continued, before any
draw (``architecture.Readings``; :func:`_turns`)."""


class GenerationCancelled(SegueError):
    """``should_stop`` asked generation to stop before it was done."""


@dataclass(frozen=True)
class Variation:
    """One continuation: its notes start at 0 (a new clip); ``start`` places it after the seed."""

    clip: Clip
    start: float

    def absolute_notes(self) -> tuple[Note, ...]:
        """The notes on the seed clip's timeline."""
        return tuple(n.shifted(self.start) for n in self.clip.notes)


@dataclass(frozen=True)
class GenerationResult:
    variations: tuple[Variation, ...]
    seed: Clip
    key: Key | None
    rng_seed: int
    steps: int = 0
    params: GenerationParams = field(default_factory=GenerationParams)
    limit: VoiceLimit = field(default_factory=VoiceLimit)
    """The voices the continuation was held to (the musician's polyphony, or the clip's line)."""
    shape: tuple[int, ...] | None = None
    """The fixed shape the clip's part is played in (``segue.model.shapes``), or None."""
    shape_roots: tuple[int, ...] = ()
    """The pitch classes of that shape's roots in the clip (its loop)."""

    def alike(self, drums: bool = False) -> bool:
        """Whether several takes were made and every one has the same notes (``drums``: the
        same hits, pads, places and velocities, whatever a one-shot's length)."""
        return alike_takes([v.clip for v in self.variations], drums)

    def shape_notice(self) -> str | None:
        """One line where the musician's range leaves the part's shape no room on some of
        its roots (``segue.model.shapes.range_notice``); None elsewhere."""
        return range_notice(
            self.shape, np.array(self.shape_roots), self.params.low, self.params.high
        )

    def slip_lines(self, drums: bool = False) -> tuple[str, str] | None:
        """Where a request in ``--key auto`` (not a drum model's: ``drums``) has a seed with
        a note that sounds like a slip of the finger (``segue.model.wrong_notes``: the key
        reading keeps it, and so do the takes), one line naming it and its place in bars
        from where bar 1 lies (``params.downbeat``, where told), as the command line says it
        and as the Max for Live device (its Key lock) does; None elsewhere."""
        return asked_slip_lines(self.seed, self.params.key, drums, self.params.downbeat)

    def slip_notice(self, drums: bool = False) -> str | None:
        """The command line's line of :meth:`slip_lines`, or None."""
        lines = self.slip_lines(drums)
        return lines[0] if lines else None

    def clips(self) -> list[Clip]:
        """One clip per variation: the continuation alone, or seed plus continuation."""
        if not self.params.include_seed:
            return [v.clip for v in self.variations]
        return [seed_and_take(self.seed, v.clip, v.start, self.limit) for v in self.variations]


def _loop_rows(
    model: Network,
    seed_rows: np.ndarray,
    seed_steps: np.ndarray,
    bar: int,
    clip_end: int,
    variations: int,
    memory: float,
    rng: np.random.Generator,
    greedy: bool,
    kept: tuple[frozenset[tuple[int, int]], ...] = (),
    temperature: float = 1.0,
    shape: tuple[int, ...] | None = None,
    moved: int = 0,
    pulse: int = TICKS_PER_BEAT,
) -> LoopRows | None:
    """The loop of each variation, when the model has one and the clip is long enough.
    Each take has a turn of its own at the end of every phrase (``segue.model.takes``;
    not a drum model's, whose fills vary its phrases, or its touches where the loop keeps
    every hit: ``segue.model.drum_touches``; nor at temperature 0, which keeps
    the loop: there, as with takes, the last bar of a phrase keeps it with the table's
    strength; at its own rate, below a half for parts whose bars all differ, an arpeggio
    over a progression lost its last bar's chord and accents at -t 0). A drum model keeps
    the beat's backbone (``kept``: ``segue.model.drumming.held_backbone``). The takes' turns
    are as long as ``temperature`` asks (``segue.model.turn_sizes.turn_for``), and below -t 0.72
    the loop is firmer around them and their notes nearer its own (``firmness_for``,
    ``reach_for``); ``shape``: the
    loop's fixed shape, read once for the request (``segue.model.shapes.fixed_shape``);
    ``moved``: semitones the seed was moved into the model's octave, ``pulse``: the meter's
    beat, ticks (:class:`Turns`)."""
    table = model.config.loop_table()
    anchored = memory <= 0  # a beat's anchors alone (segue.model.drumming.anchors)
    if table is None or (anchored and not any(kept)):
        return None
    chords = not model.config.drums  # notes struck together: a chord's voices, not pads
    read = LoopHistory.of_seed(seed_rows, seed_steps, bar, clip_end, chords)
    if read is None:
        return None
    histories = [read.copy() for _ in range(variations)]
    takes = varies_by_takes(model.config) and not greedy
    turn = turn_for(temperature, bar)  # wilder, longer: more of the bar played anew
    reach = reach_for(temperature)  # cooler, nearer: a neighbour of the loop's note
    turns = (
        _turns(
            model, seed_rows, seed_steps, read, variations, rng, (turn, shape, reach, moved, pulse)
        )
        if takes
        else None
    )
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
        programmed_levels(seed_rows, clip_end, loop, bar, pulse) if chords else frozenset(),
        held_notes(seed_rows, clip_end, loop, bar),
        memory >= 1,  # below 1 a take may drop a late-answered line's notes (Turns.keeps)
    )


def _turns(
    model: Network,
    seed_rows: np.ndarray,
    seed_steps: np.ndarray,
    history: LoopHistory,
    variations: int,
    rng: np.random.Generator,
    settings: tuple[int, tuple[int, ...] | None, int, int, int],
) -> Turns:
    """Each take's turns (``segue.model.takes.Turns``) of the clip whose ``history`` (read
    from ``seed_rows`` and ``seed_steps``, unplayed) loops, drawing with ``rng``. Making them
    reads the whole loop and draws nothing, so they are made once for a clip, its number
    of takes and the turn's ``settings`` (length, fixed shape, reach, octave moved, pulse:
    :class:`Turns`' arguments) and kept with the model's weights, for the latest
    ``architecture.READINGS`` clips; each request draws in a copy of its own."""
    kept = per_weights(model, TURNS_SLOT, Readings)
    loop = (history.bar, history.shift, history.clip_end, history.chords)
    kind = Turns  # what makes them (a test's checking subclass keeps its own)
    key = (kind, array_key(seed_rows, seed_steps), loop, variations, settings)
    made = kept(key, lambda: kind(history.copy(), variations, np.random.default_rng(0), *settings))
    return made.drawing_with(rng)


def _palette_rows(
    model: Network,
    net: Stepper,
    seed_steps: np.ndarray,
    outputs: list[torch.Tensor] | None,
    variations: int,
) -> PaletteRows | None:
    """The clip's palette for each variation, weighted as the seed's own notes say (a model
    with a palette and a seed with notes), else None."""
    if not outputs:
        return None
    vocab = model.config.vocab
    notes = seed_steps[1:]
    kept = per_weights(model, PALETTES_SLOT, Readings)  # a clip asked again: fitted once
    weights = kept(
        array_key(seed_steps), lambda: _palette_weights(net, seed_steps, outputs[0], vocab)
    )
    return PaletteRows.of_seed(notes, weights, vocab, variations)


def _palette_weights(
    net: Stepper, seed_steps: np.ndarray, h: torch.Tensor, vocab: Vocab
) -> np.ndarray:
    """The clip's palette weights (``palette.seed_weights``) from the network's outputs ``h``
    after each of the seed's steps, fitted afresh; read-only, as they are kept."""
    first = max(0, len(seed_steps) - 1 - FITTED_NOTES)  # the notes that fit the weights
    probabilities = network_probabilities(net, seed_steps[first:], h[first:-1])
    weights = seed_weights(seed_steps[1:], probabilities, vocab)
    weights.setflags(write=False)
    return weights


def generate(
    model: Network,
    seed: Clip | None = None,
    params: GenerationParams | None = None,
    threads: int = 1,
    should_stop: Callable[[], bool] | None = None,
) -> GenerationResult:
    """Continue ``seed`` (or start from nothing) with ``params``; see GenerationParams.

    The network generates through its own stepper (``model.stepper()``, see
    ``segue.model.architecture``).

    ``threads`` is torch's intra-op thread count while generating (restored
    afterwards). One thread is the right default: a step is dozens of tiny
    operations, and with several threads each one waits at a barrier for the
    others; when another program (Live, say) holds a core, that wait is a
    whole scheduler slice. Measured on 2 busy cores: 1 thread 368 ms for a
    request, 2 threads 2,800-4,700 ms.

    ``should_stop`` is asked before every note step; when it answers True,
    generation raises :class:`GenerationCancelled` (a server's cancel button).
    """
    with intra_op_threads(threads):
        return _generate(model, seed, params, should_stop)


@contextmanager
def intra_op_threads(threads: int) -> Iterator[None]:
    """Torch's intra-op threads set to ``threads`` inside (1: see :func:`generate`)."""
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _generate(
    model: Network,
    seed: Clip | None,
    params: GenerationParams | None,
    should_stop: Callable[[], bool] | None,
    in_octave: bool = False,
    given_key: tuple[Key | None] | None = None,
    shifted: int = 0,
    key_heard: bool = False,
) -> GenerationResult:
    """:func:`generate`; ``in_octave``: the seed is in the octave the model hears it in
    already (``segue.model.register``), ``shifted`` semitones from where the musician
    played it (a left hand's register is theirs: ``segue.model.broken_chords``);
    ``given_key``: the key read on the seed as the musician gave it, before any octave move
    (``None``: read it here). An octave move changes no key: an E phrygian bass moved up to
    E5, read again, was a tune's (``tonic_votes._melodic``), said "D minor", and its takes played
    Bb. ``key_heard``: the seed is at the move a model with transpositions hears it at already
    (``segue.model.transpositions``)."""
    params = (params or GenerationParams()).validated()
    vocab = model.config.vocab
    if vocab.ticks_per_beat != TICKS_PER_BEAT:
        raise GenerationError(
            f"model uses {vocab.ticks_per_beat} ticks per beat; this segue uses {TICKS_PER_BEAT}"
        )
    seed = seed if seed is not None else Clip((), None, TimeSignature())
    ts = seed.time_signature
    bar_ticks = to_ticks(ts.beats_per_bar)
    drums = model.config.drums  # its notes are pads: no key; the clip's kit; fills
    # a played line as written: its note values, not its releases (feel.as_written); a
    # beat's hits as heard (a pad's length is no note value); read once for the clip, as
    # auto's choice read it (model.clip_reading)
    reading = clip_reading(seed, drums)
    hearing, written, read = reading.hearing, reading.ends, reading.clip  # (feel.Hearing)
    seed_arr = reading.rows.astype(np.int64)  # the encoding training used
    # read, as the bridge does, on the clip as given; a kit has none
    told = _told_downbeat(params.downbeat, seed)
    key = resolve_key(params.key, read, told) if given_key is None else given_key[0]
    key = None if drums else key
    # read on the grid, as the key is: a downbeat played 10 ms early is the downbeat
    begins = (
        (told if told is not None else music_start(read.notes, ts.beats_per_bar, seed.length))
        if seed.notes
        else 0.0
    )
    if begins:  # after a pickup, the clip's music goes on: its bars, in step with Live's
        music = _from(seed, begins, [hearing.tick(n.start) >= to_ticks(begins) for n in seed.notes])
        # told where bar 1 lies, the music begins on it: no pickup is read in it again
        inner = params if told is None else replace(params, downbeat=0.0)
        there = _generate(model, music, inner, should_stop, in_octave, (key,), shifted)
        variations = tuple(replace(v, start=v.start + begins) for v in there.variations)
        return replace(there, variations=variations, seed=seed, params=params)
    if not drums and not pitch_mask(key, params.low, params.high).any():  # said before any
        raise GenerationError(  # move of the clip, in the range asked (helper-67: 66-66)
            f"no pitch of {key} lies in the range {params.low}-{params.high}; "
            "widen the range or change the key"
        )
    placed = 0 if in_octave or drums else into_range(seed_arr, params.low, params.high)
    if placed:  # a clip outside the musician's range goes on in it (model.register)
        there = _generate(model, _moved(seed, placed), params, should_stop, given_key=(key,))
        return replace(there, seed=seed)
    move = 0 if in_octave else octave_for(model, seed_arr, bar_ticks, params.low, params.high)
    if move:  # played where the model knows its pitches, and brought back (model.register)
        return _played_moved(model, seed, params, should_stop, key, move, shifted)
    turn = 0 if key_heard or drums else heard_shift(model, seed_arr, bar_ticks)
    if turn:  # a tuned model's likeliest key for the clip (model.transpositions), and back
        return _played_moved(model, seed, params, should_stop, key, turn, shifted, True)

    plan = plan_request(model, seed, read, hearing, seed_arr, params, key, told)
    n_var = plan.time.n_var
    own_latest = np.zeros(n_var, dtype=bool)  # the network played its latest note
    # (finishing_chords)

    rng_seed = params.rng_seed
    if rng_seed is None:
        rng_seed = int.from_bytes(os.urandom(4), "big") % DRAWN_SEEDS
    generator = np.random.default_rng(rng_seed)
    time_values = np.asarray(vocab.time_values)
    duration_values = np.asarray(vocab.time_values[1:])
    sample = Sampler.of(params)

    velocity_values = vocab.velocity_value(np.arange(vocab.n_velocity))
    remember = bool(model.config.memory) and params.memory > 0
    pull = model.config.pitch_class_weight * params.memory  # towards the clip's pitch classes
    by_length = length_weights(strengthened(np.asarray(model.config.memory), params.memory))

    voices = Voices(n_var, plan.looped)
    last_onset = np.full(n_var, int(plan.rows[-1, 0]) if len(plan.rows) else 0, dtype=np.int64)
    made = np.zeros(n_var, dtype=np.int64)  # notes so far per variation
    chord_at = np.full(n_var, -1, dtype=np.int64)  # the onset of each take's first note
    one_chord = np.ones(n_var, dtype=bool)  # every note so far struck there (finished_takes)
    # notes to make (step_phases._short_of_reduced)
    budget = np.full(n_var, plan.time.note_budget, dtype=np.int64)
    notes_out = np.zeros((plan.time.most_steps, n_var, 4), dtype=np.int64)
    # the network drew its length
    drawn_out = np.zeros((plan.time.most_steps, n_var), dtype=bool)
    live = np.ones(n_var, dtype=bool)
    count = 0
    with torch.inference_mode():
        net = model.stepper()  # the network's own step (the LSTM's is fused for speed)
        seed_steps = steps_of(plan.rows, plan.time.bar_ticks, vocab)
        # the palette draws on the clip, as the memory and the loop do: memory 0 turns it off
        with_palette = model.config.palette and params.memory > 0 and len(plan.rows) > 0
        outputs: list[torch.Tensor] | None = [] if with_palette else None
        h, state = net.start(seed_steps, n_var, outputs)
        palette = _palette_rows(model, net, seed_steps, outputs, n_var)
        previous_vel = np.full(n_var, seed_steps[-1, 3])
        accents = (  # a model without dynamics of its own plays the clip's accents
            Accents.of(
                plan.rows,
                plan.time.bar_ticks,
                to_ticks(4 / ts.denominator) >> plan.time.times,
                None if plan.line.hands is None else plan.line.hands.split,
            )
            if not drums and echoes_velocity(model)
            else None
        )
        matcher = Matcher(seed_steps[1:], n_var, len(seed_steps) + 128) if remember else None
        views = (  # the memory's views, for a model without a loop (as they are fitted)
            ViewMemory.of(
                model.config.memory_views,
                params.memory,
                seed_steps[1:],
                n_var,
                len(seed_steps) + 128,
            )
            if not model.config.loop
            else None
        )
        counts = (
            np.repeat(counts_of(plan.rows[:, 1])[None], n_var, axis=0).astype(np.float32)
            if pull
            else None
        )
        greedy = sample.temperature == 0
        loop = _loop_rows(
            model,
            plan.looped,  # a repeat stops where Live stops the clip's note
            seed_steps[1:],
            plan.time.bar_ticks,
            plan.time.clip_end,
            n_var,
            params.memory,
            generator,
            greedy,
            plan.drum.kept_hits,
            sample.temperature,
            plan.pitch.shape,
            shifted,
            plan.time.pulse,
        )
        turns = loop.turns if loop is not None else None  # each take's turn and answer
        # where velocity slips stay
        loudness = loop_loudness(plan.rows, plan.time.clip_end, plan.time.bar_ticks)
        t = StepTools(
            net=net,
            vocab=vocab,
            sample=sample,
            generator=generator,
            greedy=greedy,
            drums=drums,
            time_values=time_values,
            duration_values=duration_values,
            velocity_values=velocity_values,
            loop=loop,
            turns=turns,
            matcher=matcher,
            views=views,
            palette=palette,
            accents=accents,
            key=key,
            in_notes=params.notes is not None,
            by_length=by_length,
            counts=counts,
            pull=pull,
            loudness=loudness,
        )
        s = TakesSoFar(  # what the steps carry from one to the next
            voices,
            last_onset,
            made,
            chord_at,
            one_chord,
            budget,
            notes_out,
            drawn_out,
            live,
            previous_vel,
            own_latest,
            h,
            state,
            count,
        )
        while s.count < plan.time.most_steps:
            if should_stop is not None and should_stop():
                raise GenerationCancelled(f"stopped after {s.count} of the notes")
            # 1. offset
            o = step_onsets(plan, t, s)
            # 2. pitch
            p = step_pitches(plan, t, s, o)
            # 3. duration and velocity
            d = step_lengths(plan, t, s, o, p)
            # 4. the note kept where the take still runs; the takes so far updated
            kept_note(plan, t, s, o, p, d)
            if not any_set(s.live):
                break
            step = columns(o.off, p.pitch, d.dur, d.vel, o.position)
            s.h, s.state = net.step(step, s.state)
    count = s.count
    kept = s.notes_out[:count]
    rows = [kept[kept[:, v, 1] >= 0, v] for v in range(n_var)]
    lengths_drawn = [s.drawn_out[:count, v][kept[:, v, 1] >= 0] for v in range(n_var)]
    finished = finished_takes(
        plan,
        params,
        rows,
        lengths_drawn,
        drums=drums,
        ts=ts,
        with_loop=loop is not None,
        greedy=greedy,
        rng=generator,
    )
    rows, clip_end, end_tick = finished.rows, finished.clip_end, finished.end_tick
    feel = clip_feel(seed.notes, hearing=hearing, drums=drums, ends=written)  # off the grid
    loop_span = loop_ticks(clip_end, to_ticks(ts.beats_per_bar)) if feel else 0
    variations = tuple(
        _variation(r, clip_end, end_tick, ts, feel, loop_span, plan.line.limit) for r in rows
    )
    return GenerationResult(
        variations,
        seed,
        key,
        rng_seed,
        count,
        params,
        plan.line.limit,
        plan.pitch.shape,
        plan.pitch.shape_roots,
    )


def _moved(clip: Clip, semitones: int) -> Clip:
    """``clip`` with every note moved by ``semitones``."""
    return Clip(
        tuple(replace(n, pitch=n.pitch + semitones) for n in clip.notes),
        clip.length,
        clip.time_signature,
    )


def _played_moved(
    model: Network,
    seed: Clip,
    params: GenerationParams,
    should_stop: Callable[[], bool] | None,
    key: Key | None,
    semitones: int,
    shifted: int,
    key_heard: bool = False,
) -> GenerationResult:
    """``seed`` continued moved by ``semitones`` (where the model hears it: an octave, or a
    tuned model's key), the musician's range (within 0-127) and key moved with it, and the
    takes brought back: the result as the musician asked for it, the seed, key, parameters
    and the shape's roots their own."""
    low, high = max(0, params.low + semitones), min(127, params.high + semitones)
    there = _generate(
        model,
        _moved(seed, semitones),
        replace(params, low=low, high=high),
        should_stop,
        True,
        (None if key is None else moved_key(key, semitones),),
        shifted + semitones,
        key_heard,
    )
    variations = tuple(replace(v, clip=_moved(v.clip, -semitones)) for v in there.variations)
    roots = tuple(sorted((r - semitones) % 12 for r in there.shape_roots))
    return replace(
        there, variations=variations, seed=seed, key=key, params=params, shape_roots=roots
    )


def _from(clip: Clip, beat: float, kept: list[bool]) -> Clip:
    """``clip`` from ``beat`` on (its first downbeat, after a pickup: ``music_start``), the
    notes before it left out: the music a continuation goes on with, its loop from the
    downbeat and its bars whole. Continued whole, a pickup came back at every take's beat 0
    and every downbeat after it fell a pickup's length late (an E phrygian bass after B1 C2
    D2, its start marker 1.5 beats before bar 1: the loop 17.5 beats long), or a pickup bar
    came back, near empty, before every 4 bars (a MIDI file's pickup bar). ``kept``: per
    note, whether it is heard from ``beat`` on (a downbeat played early is the music's, and
    struck on it: the clip's first note begins at its beat 0)."""
    return Clip(
        tuple(
            Note(
                n.pitch, max(n.start - beat, 0.0), n.duration - max(beat - n.start, 0.0), n.velocity
            )
            for n, keep in zip(clip.notes, kept, strict=True)
            if keep
        ),
        clip.length - beat,
        clip.time_signature,
    )


def _told_downbeat(downbeat: float | None, seed: Clip) -> float | None:
    """Where bar 1 lies in ``seed`` as the musician (Live's device, ``--downbeat``) told it,
    on the grid; None where untold (the notes say: ``pickups.music_start``). One that is
    not bar 1 of its music is refused in one line (``pickups.downbeat_problem``)."""
    if downbeat is None:
        return None
    at = to_ticks(downbeat) / TICKS_PER_BEAT
    if seed.notes:
        bar = seed.time_signature.beats_per_bar
        problem = downbeat_problem(at, seed.length, bar, [n.start for n in seed.notes])
        if problem is not None:
            raise GenerationError(f"the downbeat {downbeat:g} {problem}: {DOWNBEAT_HINT}")
    return at


def _on_grid_lengths(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``lengths`` (beats) of notes that start and end on the grid (``segue.grid.on_ticks``,
    as the bridge's client reads a reply's note), exactly their ticks' (a length cut where
    the next note begins, 5.2083 - 3.5, was 1.708333333333333: the client reads 41 ticks,
    1.7083333333333333, and a request differed from `segue generate`)."""
    begin = on_ticks(starts * TICKS_PER_BEAT)
    end = on_ticks((starts + lengths) * TICKS_PER_BEAT)
    on = (begin == np.floor(begin)) & (end == np.floor(end))
    return np.where(on, (end - begin) / TICKS_PER_BEAT, lengths)


def _variation(
    notes: np.ndarray,
    clip_end: int,
    end_tick: int | None,
    ts: TimeSignature,
    feel: Feel | None = None,
    loop: int = 0,
    limit: VoiceLimit = NO_LIMIT,
) -> Variation:
    """A take's rows as a clip from the seed's end, played with the clip's own timing off the
    grid (``segue.model.feel``), within the voices' ``limit`` as it is played
    (``segue.model.voices.stolen``)."""
    start = to_beats(clip_end)
    span = to_beats(end_tick - clip_end) if end_tick is not None else None
    times = played_times(notes, feel or Feel(), clip_end, loop, span)
    kept = ~np.isnan(times[:, 1])  # a pitch the clip's timing struck twice at once: once
    notes, times = notes[kept], times[kept]
    # in time order, then pitch: notes at one moment by pitch, whatever a float's last digit
    order = np.lexsort((notes[:, 1], np.round(times[:, 0], 6))) if len(notes) else np.arange(0)
    if limit.polyphony and not limit.arranged and len(notes):  # arranged: within it
        cut = stolen(
            times[order, 0],
            times[order, 1],
            limit.polyphony,
            limit.legato,
            notes[order, 1],
            limit.graces,
        )
        times[order, 1] = _on_grid_lengths(times[order, 0], cut)
    out = [
        Note(p, at, length, vel)
        for (_, p, _, vel), (at, length) in zip(
            notes[order].tolist(), times[order].tolist(), strict=True
        )
    ]
    if span is not None:
        length = span
    else:
        last = max((n.end for n in out), default=0.0)
        bar = ts.beats_per_bar
        length = max(1, math.ceil(last / bar - 1e-9)) * bar
    return Variation(Clip(tuple(out), length, ts), start)
