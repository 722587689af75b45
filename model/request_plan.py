"""What a request knows before its first step: the clip read once, from the seed and the
settings, and only read afterwards (``segue.model.generate`` steps through it).

:func:`plan_request` reads the clip's time and the request's budget (:class:`ClipTime`), its
pitch room and key (:class:`PitchRoom`), its voices and the way it is played
(:class:`LineReading`) and what a drum clip adds (:class:`DrumReading`), in one
:class:`RequestPlan`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from segue.model.vocab import where_set
from segue.model.voices import (
    HARD_POLYPHONY,
    LEGATO,
    ORNAMENT,
    VoiceLimit,
    graces_first,
    voice_limit,
)
from segue.notes import Clip

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
    where bar 1 lies, where the musician told it)."""
    vocab = model.config.vocab
    drums = model.config.drums
    ts = seed.time_signature
    bar_ticks = to_ticks(ts.beats_per_bar)
    clip_end = to_ticks(seed.length) if seed.notes else 0
    static_pitch = (
        kit_mask(seed_arr, params.kit, params.low, params.high)
        if drums
        else pitch_mask(key, params.low, params.high)
    )
    fills = (
        fills_for(params.fills, static_pitch, clip_end, ts, TICKS_PER_BEAT, seed_arr)
        if drums
        else None
    )
    in_key = None if drums else pitch_mask(key, 0, 127)
    in_range = pitch_mask(None, params.low, params.high)
    groove = groove_pads(seed_arr, clip_end, bar_ticks) if drums else None
    groove_room = None if groove is None else where_set(groove & static_pitch)
    fill_floor = 0
    if fills is not None and len(seed_arr):
        fill_floor = int(vocab.velocity_class(np.asarray(np.median(seed_arr[:, 3]))))
    if not static_pitch.any():
        raise GenerationError(
            f"no pad of the clip's kit lies in the range {params.low}-{params.high}; "
            "widen the range"
            if drums
            else f"no pitch of {key} lies in the range {params.low}-{params.high}; "
            "widen the range or change the key"
        )
    struck_at = [hearing.tick(n.start) / TICKS_PER_BEAT for n in seed.notes]  # (on_tick)
    limit = voice_limit(params.polyphony, seed.notes, drums, struck_at)
    if limit.graces:  # a grace note heard on its note's tick played before it
        seed_arr = graces_first(seed_arr)
    polyphony = min(limit.generated or HARD_POLYPHONY, HARD_POLYPHONY)
    steal = bool(limit.polyphony)
    n_var = int(params.variations)
    wanted = int(params.notes) if params.notes is not None else notes_per_variation(n_var)
    most_steps = steps_for(wanted, polyphony if limit.arranged else 0)  # (steps_for)
    end_tick: int | None
    if params.notes is not None:
        end_tick, note_budget = None, int(params.notes) + 1
    else:
        span = params.bars * ts.beats_per_bar if params.bars is not None else params.beats
        assert span is not None  # validated() sets one of bars, beats and notes
        end_tick, note_budget = clip_end + to_ticks(span), most_steps
    times = 0 if drums else halvings(bar_ticks, vocab.max_bar_ticks)
    given_end, given_stop = clip_end, end_tick
    if times:
        seed_arr, bar_ticks = halved(seed_arr, times), bar_ticks >> times
        clip_end = halved_tick(clip_end, times)
        if end_tick is not None:
            end_tick = halved_tick(end_tick, times)
    added = (
        AddedNotes.of(
            added_uses(read.notes, key, ts.beats_per_bar), TICKS_PER_BEAT >> times, bar_ticks, n_var
        )
        if key is not None and key.extra and is_auto(params.key)
        else None
    )
    grace = -(-(round(ORNAMENT * TICKS_PER_BEAT) + 1) >> times) if limit.graces else 0
    slack = round(LEGATO * TICKS_PER_BEAT) >> times
    reducing = params.notes is not None and bool(limit.arranged)
    pulse = round(pulse_beats(ts) * TICKS_PER_BEAT)
    grid = onset_grid(seed_arr[:, 0], TICKS_PER_BEAT if times else pulse)
    roll_pads = np.zeros(0, dtype=np.int64)
    if grid is not None and fills is not None:
        roll_pads = fills.pads[static_pitch[fills.pads]]
    roll = rolled(grid) if grid is not None and len(roll_pads) else None
    looped = cut_at(seed_arr, clip_end)
    steady = backbone(looped, clip_end, bar_ticks) if drums else frozenset()
    if params.memory <= 0:  # no loop, but the beat's kick and backbeat: the rest is free
        steady = anchors(steady, looped, pulse, to_ticks(4 / ts.denominator), ts.numerator)
    kept_hits = held_backbone(steady, fills, clip_end)
    under_fill = (
        {t: held_in_fills(steady, fills, t) for t in fills.lengths()} if fills is not None else {}
    )
    floor = floor_kicks(steady, looped, clip_end, bar_ticks, pulse)
    backbeat = (
        Backbeat.of(looped, clip_end, bar_ticks, pulse, bar_ticks // pulse)  # 12/8: in pulses
        if drums
        else None
    )
    if groove_room is not None and len(floor):  # no kick beside the loop's notes either
        groove_room = np.setdiff1d(groove_room, floor)
    first_by = None if drums else latest_start(seed_arr[:, 0], clip_end)
    hands = None if drums else hands_of(looped)
    longest_rest = longest_silence(seed_arr, clip_end)
    articulation = (
        Articulation.of(looped, clip_end, longest_rest, TICKS_PER_BEAT >> times)
        if not drums and params.memory < 1
        else None
    )
    lean = (
        None
        if drums
        else RhythmLean.of(
            seed_arr,
            clip_end,
            params.memory,
            longest_rest,
            np.asarray(vocab.time_values),
            bar_ticks,
            staccato=articulation is not None and articulation.staccato,
        )
    )
    rests = (
        Rests.of(looped, clip_end, TICKS_PER_BEAT >> times, n_var)
        if not drums and params.memory <= 0
        else None
    )
    steady_pulse = (
        Pulse.of(looped, clip_end, bar_ticks, TICKS_PER_BEAT >> times)
        if not drums and params.memory <= 0
        else None
    )
    last_loop = looped[:, 0] >= clip_end - loop_ticks(clip_end, bar_ticks)  # read once: the
    in_loop = looped[last_loop & (looped[:, 0] < clip_end)]  # takes' turns keep it too
    shape = None if drums else fixed_shape(in_loop[:, 0], in_loop[:, 1])
    ceiling = root_ceiling(in_loop[:, 0], in_loop[:, 1], shape) if shape is not None else 127.0
    lowest_root = root_floor(in_loop[:, 0], in_loop[:, 1], shape) if shape is not None else 0.0
    roots_in_range = root_room(in_range, shape) if shape is not None else in_range
    shape_roots: tuple[int, ...] = ()
    keyed = None
    if shape is not None:
        roots = in_loop[lowest_notes(in_loop[:, 0], in_loop[:, 1]), 1]
        shape_roots = tuple(sorted({int(r) % 12 for r in roots}))
        heard_key = key if key is not None else resolve_key("auto", read, told)
        if heard_key is not None:
            classes = np.zeros(12, dtype=bool)
            classes[sorted(heard_key.pitch_classes())] = True
            keyed = roots_in_key(classes, shape, shape_roots)
            keyed &= pitch_mask(key, 0, 127)  # under a lock, a root in the key
    loops = model.config.loop_table() is not None
    chord_voices = chord_size(looped) if loops and not drums else 0
    if shape is not None and not chord_voices:
        chord_voices = len(shape)
    return RequestPlan(
        seed_arr,
        looped,
        ClipTime(
            bar_ticks,
            clip_end,
            end_tick,
            given_end,
            given_stop,
            times,
            pulse,
            grid,
            n_var,
            most_steps,
            note_budget,
            reducing,
            first_by,
            longest_rest,
        ),
        PitchRoom(
            static_pitch,
            in_key,
            in_range,
            added,
            shape,
            ceiling,
            lowest_root,
            roots_in_range,
            shape_roots,
            keyed,
        ),
        LineReading(
            limit,
            polyphony,
            steal,
            grace,
            slack,
            hands,
            chord_voices,
            articulation,
            lean,
            rests,
            steady_pulse,
        ),
        DrumReading(
            fills,
            groove,
            groove_room,
            fill_floor,
            roll_pads,
            roll,
            steady,
            kept_hits,
            under_fill,
            floor,
            backbeat,
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
