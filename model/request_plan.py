"""What a request knows before its first step: the clip read once, from the seed and the
settings, and only read afterwards (``segue.model.generate`` steps through it).

:func:`plan_request` reads the clip's time and the request's budget (:class:`ClipTime`), its
pitch room and key (:class:`PitchRoom`), its voices and the way it is played
(:class:`LineReading`) and what a drum clip adds (:class:`DrumReading`), in one
:class:`RequestPlan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from segue.grid import TICKS_PER_BEAT, to_ticks
from segue.model.added_notes import AddedNotes
from segue.model.added_uses import added_uses
from segue.model.architecture import Network
from segue.model.articulation import Articulation
from segue.model.chord_size import chord_size
from segue.model.drumming import (
    Backbeat,
    Fills,
    anchors,
    backbone,
    fills_for,
    floor_kicks,
    groove_pads,
    held_backbone,
    held_in_fills,
    kit_mask,
    pulse_beats,
)
from segue.model.feel import Hearing
from segue.model.hands import Hands, hands_of
from segue.model.key_lock import lock_key
from segue.model.keys import Key, parse_key, pitch_mask
from segue.model.loop import loop_ticks
from segue.model.note_values import halved, halved_tick, halvings
from segue.model.onset_grid import onset_grid, rolled
from segue.model.pulse import Pulse
from segue.model.rests import Rests
from segue.model.rhythm_lean import RhythmLean
from segue.model.settings import GenerationError, GenerationParams, notes_per_variation
from segue.model.shapes import (
    fixed_shape,
    lowest_notes,
    root_ceiling,
    root_floor,
    root_room,
    roots_in_key,
)
from segue.model.small_scales import small_key
from segue.model.vocab import Vocab, where_set
from segue.model.voices import (
    HARD_POLYPHONY,
    LEGATO,
    ORNAMENT,
    VoiceLimit,
    graces_first,
    voice_limit,
)
from segue.notes import Clip, TimeSignature

MAX_STEPS = 4096
"""Steps (notes generated) a take may take, at least: more than any length lets come back
where nothing reduces the notes (:func:`segue.model.settings.notes_per_variation`)."""


@dataclass(frozen=True, slots=True)
class ClipTime:
    """The clip's time and the request's budget, in the network's ticks (a long bar's
    halved: ``times``)."""

    bar_ticks: int
    clip_end: int
    """The clip's end (0 without a seed: start at once)."""
    end_tick: int | None
    """Where the takes end (None for a length in notes)."""
    given_end: int
    """``clip_end`` before a long bar was halved."""
    given_stop: int | None
    """``end_tick`` before a long bar was halved."""
    times: int
    """A bar longer than the model's: the clip in shorter note values, the new notes doubled
    back at the end (drums keep theirs: their fills count the clip's own beats)."""
    pulse: int
    """The meter's pulse (ticks, not halved): a dotted quarter in 6/8 and 12/8."""
    grid: np.ndarray | None
    """The clip's onset grid (its pulse's, ``model.onset_grid``)."""
    n_var: int
    """Takes asked for."""
    most_steps: int
    """Steps a take may take (:func:`steps_for`)."""
    note_budget: int
    """Notes to make in each take (with ``--notes``, one more, to see whether the last chord
    was whole)."""
    reducing: bool
    """``--notes`` counted after the chords are reduced to the voices asked."""
    first_by: int | None
    """The latest tick the first new note may start at (:func:`latest_start`)."""
    longest_rest: int
    """The clip's longest silence, its loop's seam included (:func:`longest_silence`)."""


@dataclass(frozen=True, slots=True)
class PitchRoom:
    """The pitches the request may play: its key and range, and a fixed shape's roots."""

    static_pitch: np.ndarray
    """The pitches of the key in the range (a drum clip: its kit's pads in the range)."""
    in_key: np.ndarray | None
    """Where a loop's note folds (``fold_into``); None for drums."""
    in_range: np.ndarray
    added: AddedNotes | None
    """Under ``--key auto``, the network's notes out of the scale (the clip's own, that the
    lock holds) where and as the clip plays them (``model.added_notes``)."""
    shape: tuple[int, ...] | None
    """A line in a fixed shape (octaves, power chords): its every chord is the shape."""
    ceiling: float
    lowest_root: float
    roots_in_range: np.ndarray
    """Its root line keeps to the roots whose whole shape lies in the range, and its voices
    follow the root out of the key (``segue.model.shapes``)."""
    shape_roots: tuple[int, ...]
    """Their pitch classes (``GenerationResult.shape_notice``)."""
    keyed: np.ndarray | None
    """The roots whose fifth keeps to the key, and the clip's own (``roots_in_key``)."""


@dataclass(frozen=True, slots=True)
class LineReading:
    """The part's voices and how it is played, read on the clip."""

    limit: VoiceLimit
    polyphony: int
    """The voices a step keeps (``voices.arranged``)."""
    steal: bool
    """A limit cuts the oldest note (``voices.stolen``)."""
    grace: int
    """A line's grace note struck with its note leaves the voice to it (``VoiceLimit.graces``):
    on the grid, one as long as ORNAMENT's ticks too (a 0.12-beat grace struck 5 ms before
    its note is heard from the note's tick, 3 ticks long: it took the voice, and the note it
    graces was left out of every repeat)."""
    slack: int
    """A legato's release (``voices.arranged``)."""
    hands: Hands | None
    """A keys part's two."""
    chord_voices: int
    """A chord part's chords, of a model that keeps loops (a chorale's voices move alone), and
    a shape's on any model: its voices struck together before the line moves on (a pad's
    octave left a lone root, and the limit cut it under the octave still ringing above)."""
    articulation: Articulation | None
    """Below memory 1 the network's own lengths keep the part's articulation (at 1 and above
    the loop keeps it, and the notes stay as they were)."""
    lean: RhythmLean | None
    """Below memory 1 the network's own strikes lean to the clip's gaps
    (``model.rhythm_lean``)."""
    rests: Rests | None
    """At memory 0, where no loop brings the clip's rests back, a take keeps them itself
    (above it the loop's rests and these came twice: a lead at 0.3 rested longer than its
    clip)."""
    steady_pulse: Pulse | None
    """At memory 0, where no loop keeps the clip's rhythm, a part struck at one steady gap (a
    walking bass, a waltz's bass and chords) keeps striking at it, each place of the bar with
    as many notes as the clip's, in its register (``model.pulse``)."""


@dataclass(frozen=True, slots=True)
class DrumReading:
    """What a drum clip adds (empty for any other)."""

    fills: Fills | None
    groove: np.ndarray | None
    """The clip's groove pads (``--kit gm``: in fills)."""
    groove_room: np.ndarray | None
    """Where the groove leaves room, with no kick beside the loop's notes either."""
    fill_floor: int
    """Fills at least as loud as the clip's median hit."""
    roll_pads: np.ndarray
    """A fill rolls on its own pads, finer (``rolled``)."""
    roll: np.ndarray | None
    steady: frozenset[tuple[int, int]]
    """The beat's backbone (at memory 0 only its kick and backbeat: the rest is free)."""
    kept_hits: tuple[frozenset[tuple[int, int]], ...]
    """Kept by the loop, bar by bar."""
    under_fill: dict[int, np.ndarray]
    """By the fill's length: a 16th bar's fill holds the kick on 1 as well."""
    floor: np.ndarray
    """A four-on-the-floor beat's kick pads."""
    backbeat: Backbeat | None
    """The beats its snare or clap leaves alone (a half-time beat's 2 and 4)."""


@dataclass(frozen=True, slots=True)
class RequestPlan:
    """All a request reads on its clip before the first step."""

    rows: np.ndarray
    """The clip's rows as the network reads them (graces first, a long bar halved)."""
    looped: np.ndarray
    """The clip's notes as Live stops them, looping it."""
    time: ClipTime
    pitch: PitchRoom
    line: LineReading
    drum: DrumReading


def plan_request(
    model: Network,
    seed: Clip,
    read: Clip,
    hearing: Hearing,
    seed_arr: np.ndarray,
    params: GenerationParams,
    key: Key | None,
    told: float | None,
) -> RequestPlan:
    """What a request for ``seed`` (``read``: as the network hears it, ``seed_arr`` its rows;
    ``hearing``: its grid) with ``params`` in ``key`` knows before its first step (``told``:
    where bar 1 lies, where the musician told it): the pitches it may play, its voices, its
    time (and the clip's rows in it), then what its pitches, its line and its drums read on
    the clip as Live loops it."""
    vocab, drums, ts = model.config.vocab, model.config.drums, seed.time_signature
    static_pitch = playable_pitches(seed_arr, params, key, drums)
    struck_at = [hearing.tick(n.start) / TICKS_PER_BEAT for n in seed.notes]  # (on_tick)
    limit = voice_limit(params.polyphony, seed.notes, drums, struck_at)
    # a grace note heard on its note's tick played before it
    graced = graces_first(seed_arr) if limit.graces else seed_arr
    time, rows = clip_time(vocab, seed, graced, params, limit, drums)
    looped = cut_at(rows, time.clip_end)
    pitch = pitch_room(read, looped, static_pitch, time, params, key, told, drums)
    line = line_reading(model, rows, looped, limit, time, params, pitch)
    drum = drum_reading(vocab, seed_arr, looped, static_pitch, time, params, ts, drums)
    return RequestPlan(rows, looped, time, pitch, line, drum)


def playable_pitches(
    seed_arr: np.ndarray, params: GenerationParams, key: Key | None, drums: bool
) -> np.ndarray:
    """The pitches of ``key`` in the range asked (a drum clip: its kit's pads in the range),
    refused in one line where there is none."""
    static_pitch = (
        kit_mask(seed_arr, params.kit, params.low, params.high)
        if drums
        else pitch_mask(key, params.low, params.high)
    )
    if not static_pitch.any():
        raise GenerationError(
            f"no pad of the clip's kit lies in the range {params.low}-{params.high}; "
            "widen the range"
            if drums
            else f"no pitch of {key} lies in the range {params.low}-{params.high}; "
            "widen the range or change the key"
        )
    return static_pitch


def clip_time(
    vocab: Vocab,
    seed: Clip,
    rows: np.ndarray,
    params: GenerationParams,
    limit: VoiceLimit,
    drums: bool,
) -> tuple[ClipTime, np.ndarray]:
    """The clip's time and the request's budget (:class:`ClipTime`) for ``seed`` with
    ``params`` and its voices' ``limit``, and its ``rows`` in the network's ticks (a bar
    longer than the model's halved: :attr:`ClipTime.times`)."""
    ts = seed.time_signature
    bar_ticks = to_ticks(ts.beats_per_bar)
    clip_end = to_ticks(seed.length) if seed.notes else 0
    most_steps, end_tick, note_budget = takes_budget(params, limit, clip_end, ts)
    times = 0 if drums else halvings(bar_ticks, vocab.max_bar_ticks)
    given_end, given_stop = clip_end, end_tick
    if times:
        rows, bar_ticks = halved(rows, times), bar_ticks >> times
        clip_end = halved_tick(clip_end, times)
        if end_tick is not None:
            end_tick = halved_tick(end_tick, times)
    pulse = round(pulse_beats(ts) * TICKS_PER_BEAT)
    time = ClipTime(
        bar_ticks=bar_ticks,
        clip_end=clip_end,
        end_tick=end_tick,
        given_end=given_end,
        given_stop=given_stop,
        times=times,
        pulse=pulse,
        grid=onset_grid(rows[:, 0], TICKS_PER_BEAT if times else pulse),
        n_var=int(params.variations),
        most_steps=most_steps,
        note_budget=note_budget,
        reducing=params.notes is not None and bool(limit.arranged),
        first_by=None if drums else latest_start(rows[:, 0], clip_end),
        longest_rest=longest_silence(rows, clip_end),
    )
    return time, rows


def takes_budget(
    params: GenerationParams, limit: VoiceLimit, clip_end: int, ts: TimeSignature
) -> tuple[int, int | None, int]:
    """The steps a take may take (:func:`steps_for`), the tick the takes end at (None for a
    length in notes) and the notes each makes (with ``--notes``, one more, to see whether
    the last chord was whole), for a clip ending at ``clip_end`` (ticks, not halved)."""
    n_var = int(params.variations)
    wanted = int(params.notes) if params.notes is not None else notes_per_variation(n_var)
    most_steps = steps_for(wanted, voices_kept(limit) if limit.arranged else 0)
    if params.notes is not None:
        return most_steps, None, int(params.notes) + 1
    span = params.bars * ts.beats_per_bar if params.bars is not None else params.beats
    assert span is not None  # validated() sets one of bars, beats and notes
    return most_steps, clip_end + to_ticks(span), most_steps


def voices_kept(limit: VoiceLimit) -> int:
    """The voices a step keeps under ``limit`` (``voices.arranged``)."""
    return min(limit.generated or HARD_POLYPHONY, HARD_POLYPHONY)


def pitch_room(
    read: Clip,
    looped: np.ndarray,
    static_pitch: np.ndarray,
    time: ClipTime,
    params: GenerationParams,
    key: Key | None,
    told: float | None,
    drums: bool,
) -> PitchRoom:
    """The pitches the request may play (:class:`PitchRoom`): ``static_pitch``
    (:func:`playable_pitches`), ``key`` in any octave and the range, the notes ``--key auto``
    adds where the clip ``read`` plays them, and a fixed shape's roots in the clip's last
    loop (``looped``: as Live stops its notes)."""
    in_range = pitch_mask(None, params.low, params.high)
    ts = read.time_signature  # the seed's: reading a clip keeps its meter
    added = (
        AddedNotes.of(
            added_uses(read.notes, key, ts.beats_per_bar),
            TICKS_PER_BEAT >> time.times,
            time.bar_ticks,
            time.n_var,
        )
        if key is not None and key.extra and is_auto(params.key)
        else None
    )
    last_loop = looped[:, 0] >= time.clip_end - loop_ticks(time.clip_end, time.bar_ticks)
    in_loop = looped[last_loop & (looped[:, 0] < time.clip_end)]  # read once: the takes'
    shape = None if drums else fixed_shape(in_loop[:, 0], in_loop[:, 1])  # turns keep it too
    room = (
        ShapeRoom(127.0, 0.0, in_range, (), None)
        if shape is None
        else shape_room(in_loop, shape, in_range, read, key, told)
    )
    return PitchRoom(
        static_pitch=static_pitch,
        in_key=None if drums else pitch_mask(key, 0, 127),
        in_range=in_range,
        added=added,
        shape=shape,
        ceiling=room.ceiling,
        lowest_root=room.lowest_root,
        roots_in_range=room.roots_in_range,
        shape_roots=room.shape_roots,
        keyed=room.keyed,
    )


class ShapeRoom(NamedTuple):
    """Where a fixed shape's roots may lie (:class:`PitchRoom`'s fields of the same names)."""

    ceiling: float
    lowest_root: float
    roots_in_range: np.ndarray
    shape_roots: tuple[int, ...]
    keyed: np.ndarray | None


def shape_room(
    in_loop: np.ndarray,
    shape: tuple[int, ...],
    in_range: np.ndarray,
    read: Clip,
    key: Key | None,
    told: float | None,
) -> ShapeRoom:
    """Where the roots of a line in a fixed ``shape`` may lie: below the ceiling and above
    the floor its loop ``in_loop`` keeps, with the whole shape ``in_range``, and, where the
    clip ``read`` is heard in a key (``key``, else the one ``auto`` reads, from ``told``'s
    bar 1), with their fifth in it (``segue.model.shapes``)."""
    onsets, pitches = in_loop[:, 0], in_loop[:, 1]
    roots = in_loop[lowest_notes(onsets, pitches), 1]
    shape_roots = tuple(sorted({int(r) % 12 for r in roots}))
    keyed = None
    heard_key = key if key is not None else resolve_key("auto", read, told)
    if heard_key is not None:
        classes = np.zeros(12, dtype=bool)
        classes[sorted(heard_key.pitch_classes())] = True
        keyed = roots_in_key(classes, shape, shape_roots)
        keyed &= pitch_mask(key, 0, 127)  # under a lock, a root in the key
    return ShapeRoom(
        root_ceiling(onsets, pitches, shape),
        root_floor(onsets, pitches, shape),
        root_room(in_range, shape),
        shape_roots,
        keyed,
    )


def line_reading(
    model: Network,
    rows: np.ndarray,
    looped: np.ndarray,
    limit: VoiceLimit,
    time: ClipTime,
    params: GenerationParams,
    pitch: PitchRoom,
) -> LineReading:
    """The part's voices under ``limit`` and how it is played (:class:`LineReading`), read
    on its ``rows`` in ``time`` (``looped``: as Live stops its notes) for ``model`` (a drum
    model's, a model that keeps loops); a fixed shape (``pitch.shape``) strikes its voices
    together."""
    drums, vocab = model.config.drums, model.config.vocab
    loops = model.config.loop_table() is not None
    times, clip_end = time.times, time.clip_end
    beat = TICKS_PER_BEAT >> times
    articulation = (
        Articulation.of(looped, clip_end, time.longest_rest, beat)
        if not drums and params.memory < 1
        else None
    )
    lean = (
        None
        if drums
        else RhythmLean.of(
            rows,
            clip_end,
            params.memory,
            time.longest_rest,
            np.asarray(vocab.time_values),
            time.bar_ticks,
            staccato=articulation is not None and articulation.staccato,
        )
    )
    unlooped = not drums and params.memory <= 0  # no loop brings the clip's rests and rhythm
    chord_voices = chord_size(looped) if loops and not drums else 0
    if pitch.shape is not None and not chord_voices:
        chord_voices = len(pitch.shape)
    return LineReading(
        limit=limit,
        polyphony=voices_kept(limit),
        steal=bool(limit.polyphony),
        grace=-(-(round(ORNAMENT * TICKS_PER_BEAT) + 1) >> times) if limit.graces else 0,
        slack=round(LEGATO * TICKS_PER_BEAT) >> times,
        hands=None if drums else hands_of(looped),
        chord_voices=chord_voices,
        articulation=articulation,
        lean=lean,
        rests=Rests.of(looped, clip_end, beat, time.n_var) if unlooped else None,
        steady_pulse=Pulse.of(looped, clip_end, time.bar_ticks, beat) if unlooped else None,
    )


def drum_reading(
    vocab: Vocab,
    seed_arr: np.ndarray,
    looped: np.ndarray,
    static_pitch: np.ndarray,
    time: ClipTime,
    params: GenerationParams,
    ts: TimeSignature,
    drums: bool,
) -> DrumReading:
    """What a drum clip adds (:class:`DrumReading`; empty for any other), read on its rows
    ``seed_arr`` as given (a drum clip's bar is never halved: ``time.given_end`` is its end)
    and as Live loops them (``looped``), with its kit's pads in the range (``static_pitch``),
    in ``ts``. At memory 0 a beat keeps its kick and backbeat alone (``drumming.anchors``)."""
    clip_end, bar_ticks, pulse = time.clip_end, time.bar_ticks, time.pulse
    fills = (
        fills_for(params.fills, static_pitch, time.given_end, ts, TICKS_PER_BEAT, seed_arr)
        if drums
        else None
    )
    groove = groove_pads(seed_arr, time.given_end, bar_ticks) if drums else None
    fill_floor = 0
    if fills is not None and len(seed_arr):
        fill_floor = int(vocab.velocity_class(np.asarray(np.median(seed_arr[:, 3]))))
    roll_pads = np.zeros(0, dtype=np.int64)
    if time.grid is not None and fills is not None:
        roll_pads = fills.pads[static_pitch[fills.pads]]
    steady = backbone(looped, clip_end, bar_ticks) if drums else frozenset()
    if params.memory <= 0:  # no loop, but the beat's kick and backbeat: the rest is free
        steady = anchors(steady, looped, pulse, to_ticks(4 / ts.denominator), ts.numerator)
    floor = floor_kicks(steady, looped, clip_end, bar_ticks, pulse)
    groove_room = None if groove is None else where_set(groove & static_pitch)
    if groove_room is not None and len(floor):  # no kick beside the loop's notes either
        groove_room = np.setdiff1d(groove_room, floor)
    return DrumReading(
        fills=fills,
        groove=groove,
        groove_room=groove_room,
        fill_floor=fill_floor,
        roll_pads=roll_pads,
        roll=rolled(time.grid) if time.grid is not None and len(roll_pads) else None,
        steady=steady,
        kept_hits=held_backbone(steady, fills, clip_end),
        under_fill=(
            {t: held_in_fills(steady, fills, t) for t in fills.lengths()}
            if fills is not None
            else {}
        ),
        floor=floor,
        backbeat=(
            Backbeat.of(looped, clip_end, bar_ticks, pulse, bar_ticks // pulse)  # 12/8: pulses
            if drums
            else None
        ),
    )


def latest_start(onsets: np.ndarray, clip_end: int) -> int | None:
    """The latest tick a continuation's first note may start at: after the clip's last note
    by no more than the clip's longest wait between notes (the wait from its last note round
    to its first included, as a loop plays it); None for a clip of fewer than two onsets.
    The polyphonic model left the first bar after a hand-played Rhodes loop of a chord each
    bar silent in 11 of 12 takes, and the melody model after segue's example chord loop in
    10 of 12 (helper-68)."""
    starts = np.unique(np.asarray(onsets))
    if len(starts) < 2:
        return None
    waits = np.diff(starts, append=starts[0] + clip_end)
    return max(clip_end, int(starts[-1] + waits.max()))


def longest_silence(rows: np.ndarray, clip_end: int) -> int:
    """The longest time (ticks) a clip's ``rows`` (onset, pitch, duration, ...) leave
    silent, its loop's seam included (from its last note's end round to its first note)."""
    if not len(rows):
        return clip_end
    order = np.argsort(rows[:, 0], kind="stable")
    starts, ends = rows[order, 0], np.maximum.accumulate(rows[order, 0] + rows[order, 2])
    gaps = starts[1:] - ends[:-1]
    seam = clip_end - ends[-1] + starts[0]
    return int(max(0, seam, *gaps.tolist()))


def steps_for(notes: int, arranged: int = 0) -> int:
    """The most steps a take may take to leave ``notes`` (a length in notes, or the most a
    length in bars or beats lets come back): :data:`MAX_STEPS`, or, where chords of up to
    ``arranged`` notes are reduced after (``VoiceLimit.arranged``), enough for each onset to
    leave one of them (the arranger keeps the top note struck at each onset: ``arranged``).
    At 4,096 steps --notes 2048 --polyphony 1 on a loop of 4-note chords came back with
    1,024 notes, without a word."""
    return max(MAX_STEPS, (notes + 2) * arranged)


def cut_at(rows: np.ndarray, end: int) -> np.ndarray:
    """Grid rows with every note stopped at ``end`` (ticks; 0: as they are): where a clip's
    notes stop when Live loops it. A last note ringing past the clip's end (a late release,
    which adds no bar) still sounded when the continuation began, and the loop's first note,
    the same pitch, was refused: a bass of 48s went on with a 116."""
    if end <= 0 or not len(rows):
        return rows
    out = rows.copy()
    out[:, 2] = np.maximum(np.minimum(out[:, 2], end - out[:, 0]), 1)
    return out


def is_auto(key: str | None) -> bool:
    """Whether ``key`` asks for ``--key auto``: a key named (with its added notes, "A minor +
    G#") holds them as the musician says, anywhere."""
    return key is not None and key.strip().lower() == "auto"


def resolve_key(key: str | None, seed: Clip, downbeat: float | None = None) -> Key | None:
    """The key asked for; for ``auto`` the one ``seed`` is in, read from it as the network
    hears it (``feel.as_written``), so a played clip names its quantized twin's key (an E
    played 2 ms before beat 3 fell in the 2 beats that open a clip's harmony, and a D dorian
    line was named C major), in its bars (from ``downbeat`` where told: bar 1, a pickup
    before it); a clip that fills a pentatonic or blues scale on that key's tonic, in that
    scale (``small_scales.small_key``: the notes it says)."""
    if key is None or key.strip().lower() in ("", "off", "none"):
        return None
    if is_auto(key):
        if not seed.notes:
            raise GenerationError("key 'auto' needs a seed with notes; name the key instead")
        bar = seed.time_signature.beats_per_bar
        read = lock_key(seed.notes, bar, seed.length, downbeat)
        return None if read is None else small_key(seed.notes, read)
    return parse_key(key)
