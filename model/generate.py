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

A request reads in turn: ``_generate`` settles where the clip is played (after its pickup,
in the musician's range, in the model's octave and key) and ``_continued`` plays it there:
what it reads on the clip before its first step (``segue.model.request_plan``), what every
step reads and carries (``_started``: the sampler, the clip's palette, accents and memory,
and the loop each take plays, ``segue.model.take_loops``), the steps (``_stepped``: their
phases are ``segue.model.step_phases``), then the takes finished
(``segue.model.finished_takes``) and played with the clip's feel (``_played``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from segue.errors import SegueError
from segue.grid import TICKS_PER_BEAT, on_ticks, to_beats, to_ticks
from segue.model.accents import Accents, echoes_velocity
from segue.model.architecture import Network, Readings, Stepper, per_weights
from segue.model.array_keys import array_key
from segue.model.clip_reading import ClipReading, clip_reading
from segue.model.drum_touches import alike_takes
from segue.model.feel import Feel, clip_feel, played_times
from segue.model.finished_takes import FinishedTakes, finished_takes
from segue.model.keys import Key, moved_key, pitch_mask
from segue.model.known_steps import known_stepper
from segue.model.loop import loop_ticks
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
from segue.model.request_plan import RequestPlan, plan_request, resolve_key
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
from segue.model.take_loops import take_loops
from segue.model.transpositions import heard_shift
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
FEELS_SLOT = "_segue_feels"
"""Where a model keeps the feel of the clips it continued (``architecture.Readings``)."""


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


@dataclass(frozen=True)
class Placement:
    """Where :func:`_generate`'s seed lies already, as it settles where the clip is played
    and goes on with the clip moved: in the octave the model hears it in (``in_octave``:
    ``segue.model.register``), ``shifted`` semitones from where the musician played it (a
    left hand's register is theirs: ``segue.model.broken_chords``), at the move a model with
    transpositions hears it at (``key_heard``: ``segue.model.transpositions``), and the key
    read on the seed as the musician gave it, before any move (``given_key``; None: read it
    on this seed). An octave move changes no key: an E phrygian bass moved up to E5, read
    again, was a tune's (``tonic_votes._melodic``), said "D minor", and its takes played Bb."""

    in_octave: bool = False
    given_key: tuple[Key | None] | None = None
    shifted: int = 0
    key_heard: bool = False

    def moved(self, key: Key | None, semitones: int) -> Placement:
        """Where the seed lies once moved by ``semitones`` (into the model's octave, or to a
        tuned model's key): in the octave the model hears it in, ``semitones`` further from
        where the musician played it, in ``key`` (read on the seed before the move; None: none)
        moved with it; heard at a tuned model's key as this placement says."""
        given = None if key is None else moved_key(key, semitones)
        return replace(self, in_octave=True, given_key=(given,), shifted=self.shifted + semitones)


AS_GIVEN = Placement()
"""A seed as the musician gave it: nothing settled yet."""


def _generate(
    model: Network,
    seed: Clip | None,
    params: GenerationParams | None,
    should_stop: Callable[[], bool] | None,
    where: Placement = AS_GIVEN,
) -> GenerationResult:
    """:func:`generate` of a seed that lies ``where`` its placement says. Where the clip is
    played (after its pickup, in the musician's range, in the model's octave and key) is
    settled here; :func:`_continued` plays it there."""
    params = (params or GenerationParams()).validated()
    _check_ticks(model.config.vocab)
    seed = seed if seed is not None else Clip((), None, TimeSignature())
    bar_ticks = to_ticks(seed.time_signature.beats_per_bar)
    drums = model.config.drums  # its notes are pads: no key; the clip's kit; fills
    # a played line as written: its note values, not its releases (feel.as_written); a
    # beat as heard (a pad's length is no note value); read once for the clip, as
    # auto's choice read it (model.clip_reading)
    reading = clip_reading(seed, drums)
    seed_arr = reading.rows.astype(np.int64)  # the encoding training used
    # read, as the bridge does, on the clip as given; a kit has none
    told = _told_downbeat(params.downbeat, seed)
    given = where.given_key
    key = resolve_key(params.key, reading.clip, told) if given is None else given[0]
    key = None if drums else key
    begins = _music_begins(seed, reading.clip, told)
    if begins:  # after a pickup, the clip's music goes on: its bars, in step with Live's
        hearing = reading.hearing
        music = _from(seed, begins, [hearing.tick(n.start) >= to_ticks(begins) for n in seed.notes])
        # told where bar 1 lies, the music begins on it: no pickup is read in it again
        inner = params if told is None else replace(params, downbeat=0.0)
        # as placed, its key read (only a seed as given has a pickup: a moved one keeps its times)
        there = _generate(model, music, inner, should_stop, replace(where, given_key=(key,)))
        variations = tuple(replace(v, start=v.start + begins) for v in there.variations)
        return replace(there, variations=variations, seed=seed, params=params)
    if not drums:  # said before any move of the clip, in the range asked (helper-67: 66-66)
        _check_room(key, params)
    placed = 0 if where.in_octave or drums else into_range(seed_arr, params.low, params.high)
    if placed:  # a clip outside the musician's range goes on in it (model.register)
        moved = Placement(given_key=(key,))  # played where it lies now, in the key as given
        there = _generate(model, _moved(seed, placed), params, should_stop, moved)
        return replace(there, seed=seed)
    move = 0 if where.in_octave else octave_for(model, seed_arr, bar_ticks, params.low, params.high)
    if move:  # played where the model knows its pitches, and brought back (model.register)
        return _played_moved(model, seed, params, should_stop, key, move, where)
    turn = 0 if where.key_heard or drums else heard_shift(model, seed_arr, bar_ticks)
    if turn:  # a tuned model's likeliest key for the clip (model.transpositions), and back
        heard = replace(where, key_heard=True)
        return _played_moved(model, seed, params, should_stop, key, turn, heard)
    return _continued(model, seed, params, should_stop, reading, key, told, where.shifted)


def _check_ticks(vocab: Vocab) -> None:
    """A model on another grid than segue's refused in one line."""
    if vocab.ticks_per_beat != TICKS_PER_BEAT:
        raise GenerationError(
            f"model uses {vocab.ticks_per_beat} ticks per beat; this segue uses {TICKS_PER_BEAT}"
        )


def _check_room(key: Key | None, params: GenerationParams) -> None:
    """A ``key`` with no pitch in the range ``params`` asks refused in one line."""
    if not pitch_mask(key, params.low, params.high).any():
        raise GenerationError(
            f"no pitch of {key} lies in the range {params.low}-{params.high}; "
            "widen the range or change the key"
        )


def _music_begins(seed: Clip, read: Clip, told: float | None) -> float:
    """Where the music of ``seed`` (``read``: as the network hears it) begins, beats: bar 1
    where the musician ``told`` it, else after a pickup the notes say (``music_start``); read
    on the grid, as the key is: a downbeat played 10 ms early is the downbeat."""
    if not seed.notes:
        return 0.0
    bar = seed.time_signature.beats_per_bar
    return told if told is not None else music_start(read.notes, bar, seed.length)


def _continued(
    model: Network,
    seed: Clip,
    params: GenerationParams,
    should_stop: Callable[[], bool] | None,
    reading: ClipReading,
    key: Key | None,
    told: float | None,
    shifted: int,
) -> GenerationResult:
    """``seed`` (``reading``: as the network hears it) continued where it stands, in ``key``:
    what the request reads on the clip (``request_plan``), the seed through the network and
    the takes stepped note by note (:func:`_stepped`), then finished and played with the
    clip's feel (:func:`_played`)."""
    seed_arr = reading.rows.astype(np.int64)  # the encoding training used
    plan = plan_request(model, seed, reading.clip, reading.hearing, seed_arr, params, key, told)
    rng_seed = params.rng_seed
    if rng_seed is None:
        rng_seed = int.from_bytes(os.urandom(4), "big") % DRAWN_SEEDS
    ts = seed.time_signature
    with torch.inference_mode():
        t, s = _started(model, plan, params, rng_seed, key, shifted, ts)
        _stepped(plan, t, s, should_stop)
    kept = s.notes_out[: s.count]
    n_var = plan.time.n_var
    rows = [kept[kept[:, v, 1] >= 0, v] for v in range(n_var)]
    lengths_drawn = [s.drawn_out[: s.count, v][kept[:, v, 1] >= 0] for v in range(n_var)]
    finished = finished_takes(
        plan,
        params,
        rows,
        lengths_drawn,
        drums=t.drums,
        ts=ts,
        with_loop=t.loop is not None,
        greedy=t.greedy,
        rng=t.generator,
    )
    limit = plan.line.limit
    variations = _played(seed, _kept_feel(model, seed, reading, t.drums), finished, limit)
    shape, roots = plan.pitch.shape, plan.pitch.shape_roots
    return GenerationResult(variations, seed, key, rng_seed, s.count, params, limit, shape, roots)


def _started(
    model: Network,
    plan: RequestPlan,
    params: GenerationParams,
    rng_seed: int,
    key: Key | None,
    shifted: int,
    ts: TimeSignature,
) -> tuple[StepTools, TakesSoFar]:
    """The seed (``plan.rows``, in ``ts``) through the network once, and what every step of
    ``plan``'s takes reads (the sampler and its rng, drawn from ``rng_seed``, the clip's
    palette, accents, memory and loop) and carries from one to the next, before the first
    (``segue.model.step_state``); ``shifted``: semitones the seed was moved from where the
    musician played it."""
    generator = np.random.default_rng(rng_seed)
    vocab = model.config.vocab
    seed_steps = steps_of(plan.rows, plan.time.bar_ticks, vocab)
    n_var = plan.time.n_var
    # the network's own step (the LSTM's is fused for speed), through the states the
    # clip's takes reached before (model.known_steps)
    net = known_stepper(model, model.stepper(), seed_steps, n_var)
    # the palette draws on the clip, as the memory and the loop do: memory 0 turns it off
    with_palette = model.config.palette and params.memory > 0 and len(plan.rows) > 0
    outputs: list[torch.Tensor] | None = [] if with_palette else None
    h, state = net.start(seed_steps, n_var, outputs)
    palette = _palette_rows(model, net, seed_steps, outputs, n_var)
    sample = Sampler.of(params)
    pull = model.config.pitch_class_weight * params.memory  # towards the clip's pitch classes
    # a repeat stops where Live stops the clip's note (plan.looped)
    loop = take_loops(
        model, plan, seed_steps[1:], params.memory, sample.temperature, shifted, generator
    )
    tools = StepTools(
        net=net,
        vocab=vocab,
        sample=sample,
        generator=generator,
        greedy=sample.temperature == 0,
        drums=model.config.drums,
        time_values=np.asarray(vocab.time_values),
        duration_values=np.asarray(vocab.time_values[1:]),
        velocity_values=vocab.velocity_value(np.arange(vocab.n_velocity)),
        loop=loop,
        turns=loop.turns if loop is not None else None,  # each take's turn and answer
        matcher=_matcher(model, params, seed_steps, n_var),
        views=_views(model, params, seed_steps, n_var),
        palette=palette,
        accents=_accents(model, plan, ts),
        key=key,
        in_notes=params.notes is not None,
        by_length=length_weights(strengthened(np.asarray(model.config.memory), params.memory)),
        counts=_class_counts(plan) if pull else None,
        pull=pull,
        # where velocity slips stay
        loudness=loop_loudness(plan.rows, plan.time.clip_end, plan.time.bar_ticks),
    )
    return tools, _takes_so_far(plan, seed_steps, h, state)


def _matcher(
    model: Network, params: GenerationParams, seed_steps: np.ndarray, n_var: int
) -> Matcher | None:
    """The clip memory's matcher of the seed's notes (``segue.model.memory``), where the model
    has a memory and the request keeps it on; else None."""
    if not (bool(model.config.memory) and params.memory > 0):
        return None
    return Matcher(seed_steps[1:], n_var, len(seed_steps) + 128)


def _views(
    model: Network, params: GenerationParams, seed_steps: np.ndarray, n_var: int
) -> ViewMemory | None:
    """The memory's views of the seed's notes (``segue.model.memory_views``), for a model
    without a loop (as they are fitted); else None."""
    if model.config.loop:
        return None
    return ViewMemory.of(
        model.config.memory_views, params.memory, seed_steps[1:], n_var, len(seed_steps) + 128
    )


def _accents(model: Network, plan: RequestPlan, ts: TimeSignature) -> Accents | None:
    """The clip's accents (``segue.model.accents``) in ``ts``, which a model without dynamics
    of its own plays (not a drum model's); else None."""
    if model.config.drums or not echoes_velocity(model):
        return None
    hands = plan.line.hands
    return Accents.of(
        plan.rows,
        plan.time.bar_ticks,
        to_ticks(4 / ts.denominator) >> plan.time.times,
        None if hands is None else hands.split,
    )


def _class_counts(plan: RequestPlan) -> np.ndarray:
    """The clip's pitch-class counts, one row per take, that pull the takes towards its pitch
    classes (``segue.model.pitch_classes``)."""
    counts = np.repeat(counts_of(plan.rows[:, 1])[None], plan.time.n_var, axis=0)
    return counts.astype(np.float32)


def _takes_so_far(
    plan: RequestPlan, seed_steps: np.ndarray, h: torch.Tensor, state: Any
) -> TakesSoFar:
    """What the steps carry from one to the next (``step_state.TakesSoFar``) before the first:
    no note made yet, the network's output ``h`` and ``state`` after the seed's steps."""
    n_var = plan.time.n_var
    last_onset = int(plan.rows[-1, 0]) if len(plan.rows) else 0
    return TakesSoFar(
        voices=Voices(n_var, plan.looped),
        last_onset=np.full(n_var, last_onset, dtype=np.int64),
        made=np.zeros(n_var, dtype=np.int64),
        chord_at=np.full(n_var, -1, dtype=np.int64),
        one_chord=np.ones(n_var, dtype=bool),
        budget=np.full(n_var, plan.time.note_budget, dtype=np.int64),
        notes_out=np.zeros((plan.time.most_steps, n_var, 4), dtype=np.int64),
        drawn_out=np.zeros((plan.time.most_steps, n_var), dtype=bool),
        live=np.ones(n_var, dtype=bool),
        previous_vel=np.full(n_var, seed_steps[-1, 3]),
        own_latest=np.zeros(n_var, dtype=bool),
        h=h,
        state=state,
        count=0,
    )


def _stepped(
    plan: RequestPlan, t: StepTools, s: TakesSoFar, should_stop: Callable[[], bool] | None
) -> None:
    """``plan``'s takes ``s`` stepped note by note with ``t`` until each has made its notes
    or ``plan.time.most_steps`` are taken; ``should_stop`` is asked before each step."""
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
        s.h, s.state = t.net.step(step, s.state)


def _kept_feel(model: Network, seed: Clip, reading: ClipReading, drums: bool) -> Feel:
    """The clip's own timing off the grid (``feel.clip_feel`` of ``seed``'s notes as
    ``reading`` hears them; ``drums``: a beat's), read once for a clip and kept with the
    model's weights, for the latest ``architecture.READINGS`` clips: a trance gate's 192
    notes took about 1.5 ms a request to read again. ``reading`` is the clip's
    (``clip_reading(seed, drums)``, as :func:`_generate` reads it), so the clip and ``drums``
    are its key; the feel kept is read, never changed."""
    kept = per_weights(model, FEELS_SLOT, Readings)
    hearing, ends = reading.hearing, reading.ends
    return kept(
        (seed, drums), lambda: clip_feel(seed.notes, hearing=hearing, drums=drums, ends=ends)
    )


def _played(
    seed: Clip, feel: Feel, finished: FinishedTakes, limit: VoiceLimit
) -> tuple[Variation, ...]:
    """The ``finished`` takes as clips from the seed's end, played with the clip's own timing
    off the grid (``feel``: ``segue.model.feel``), within the voices' ``limit``."""
    ts = seed.time_signature
    loop_span = loop_ticks(finished.clip_end, to_ticks(ts.beats_per_bar)) if feel else 0
    return tuple(
        _variation(r, finished.clip_end, finished.end_tick, ts, feel, loop_span, limit)
        for r in finished.rows
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
    where: Placement,
) -> GenerationResult:
    """``seed`` (lying ``where`` its placement says; at a tuned model's key, ``key_heard``
    set) continued moved by ``semitones`` (where the model hears it: an octave, or a tuned
    model's key), the musician's range (within 0-127) and ``key`` moved with it
    (:meth:`Placement.moved`), and the takes brought back: the result as the musician asked
    for it, the seed, key, parameters and the shape's roots their own."""
    low, high = max(0, params.low + semitones), min(127, params.high + semitones)
    placement = where.moved(key, semitones)
    there = _generate(
        model, _moved(seed, semitones), replace(params, low=low, high=high), should_stop, placement
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
