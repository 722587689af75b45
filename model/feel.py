"""The clip's own timing off the grid, in every note of a continuation.

The model counts time in ticks (24 a beat, ``segue.grid``), and a clip's notes are
snapped to them. A swing between the ticks (16ths at 54%, 62%) or a played take's
timing came back moved to the grid: 54% swing as straight 16ths, a bass played 15 ms
around the beat spread to 19 ms. So a continuation's note is played as the clip plays
its place, in the first of these that applies (:meth:`Feel.timing`):

1. **the clip's note**: where a clip note falls in the loop on the same pitch, the
   note takes that note's offset from the grid, and its end's when it is as long as
   the clip's note (in ticks);
2. **the clip's place**: where clip notes of other pitches start at that place in the
   loop (a take's turn, the network's note in a chord), their offset; where the clip rolls
   a chord there (its notes at offsets of their own), the new chord's notes take the
   clip's offsets in pitch order, lowest first, so a changed chord is rolled as the clip's,
   whole: the clip's own voices in it too (at their own offsets, rule 1, a kept voice was
   struck with a new note at one offset: two notes together, then one);
3. **the clip's groove**: on a 16th of the beat (:data:`SLOT`), the offset at which the
   clip plays the 16ths nearest that one, where it plays two or more: its swing (62%
   swing plays each beat's second and fourth 16th 0.06 beats late; the network's own
   16ths there were straight) or a player's habit of playing behind the beat.

A note moved by its place or the groove keeps its length, goes no further than the notes
before and after it (nor onto a note of its pitch: a pad struck twice), and stops where the
next note begins when it did on the grid (a mono synth's legato would glide otherwise). Notes that
none of them reach (a 32nd, a triplet where the clip plays none) stay on the grid, as do
all notes of a clip on the grid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from segue.grid import TICKS_PER_BEAT, on_a_tick, on_ticks, to_beats, to_ticks
from segue.model.voices import LEGATO, ORNAMENT, TOGETHER, late_graces
from segue.notes import Clip, Note

FLOAT_NOISE = 1e-6
"""Beats off the grid that are a float's rounding, not a feel (1/3 sent as float32 is
0.33333334): 0.0005 ms at 120 BPM."""
SLOT = TICKS_PER_BEAT // 4
"""The groove's step (ticks): a 16th note, the step of Live's swing and groove templates."""
GROOVE_NOTES = 2
"""How many of the clip's notes must lie nearest a 16th of the beat for their offset to be
the groove's there: one note is a note, two make a habit."""
GROOVE_REACH = 2.5
"""Ticks from a 16th within which a clip note counts for its groove: a swing of up to
two-thirds (triplets, 2 ticks late) and a player's touch on it. A 32nd (3 ticks, halfway
between two 16ths) is a note of its own, not a 16th played late: counted, a straight run
of 32nds came back with every other note 1/16 beat early."""


PLAYED_REACH = 1.5
"""Ticks from its grid's place within which a note played off the grid is heard there (1/16
beat: 31 ms at 120 BPM, a player's push or drag): rounded to the nearest tick instead, a
bass played 5-25 ms around the beat reached the network a tick off, and it went on a tick
off the beat. A 32nd (3 ticks from a 16th) is a note of its own."""


ROLL = 1 / 12
"""Beats within which a rolled chord's next voice follows the one before it (a strummed
guitar's or a rolled pad's 10-40 ms between voices: 0.02-0.08 beats at 120 BPM), each voice
still sounding when the next is struck: the chord is heard on its first voice's tick
(:func:`rolled_voices`). A 32nd (1/8 beat) is a note of its own."""


@dataclass(frozen=True)
class Hearing:
    """Where the network hears a played clip's notes (:func:`hearing_of`): on the grid of
    each beat, 16ths or triplet 8ths, within :data:`PLAYED_REACH`, and never at or past the
    clip's end."""

    step: int = TICKS_PER_BEAT // 4
    """The clip's grid step in ticks, for a beat with no step of its own: a 16th (6) or a
    triplet 8th (8)."""
    end: int | None = None
    """The clip's end (ticks): a note played just before it is heard before it (a loop's
    next downbeat played 5-20 ms early made the clip end before its last note)."""
    beats: dict[int, int] = field(default_factory=dict)
    """Beat (from the clip's start) -> its own grid step, where its notes say one (a bar of
    16ths in a clip of triplets)."""
    rolls: dict[float, float] = field(default_factory=dict)
    """Start (beats, to 6 places) of a rolled chord's later voice -> its first voice's start
    (:func:`rolled_voices`): the chord is heard where its first voice is."""
    swung: bool = False
    """Whether the clip swings its 16ths (:func:`swings_16ths`): an off 16th played up to
    :data:`GROOVE_REACH` late is heard on its 16th, as the groove counts it."""

    def tick(self, beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> int:
        """The tick where the network hears a note that starts at ``beats``: its own where
        it lies on the grid (within a float32's rounding), else its beat's grid place within
        :data:`PLAYED_REACH`, else the nearest tick, but an off 16th of a swung clip
        (:attr:`swung`) on it within :data:`GROOVE_REACH` after it; before the clip's end,
        whatever those say; a rolled chord's later voice where its first voice is
        (:attr:`rolls`). The note's offset from there is its feel (:func:`clip_feel`),
        played again where it repeats."""
        beats = self.rolls.get(round(beats, 6), beats)
        heard = to_ticks(beats, ticks_per_beat)
        ticks = beats * ticks_per_beat
        if not on_a_tick(ticks):  # off the grid
            step = self.beats.get(int(beats // 1), self.step) * ticks_per_beat // TICKS_PER_BEAT
            place = int(np.floor(ticks / step + 0.5)) * step
            if abs(ticks - place) <= PLAYED_REACH * ticks_per_beat / TICKS_PER_BEAT:
                heard = place
        if self.swung:  # an off 16th played late, by the player's swing (on a tick too)
            slot = SLOT * ticks_per_beat // TICKS_PER_BEAT
            sixteenth = int(np.floor(ticks / slot + FLOAT_NOISE)) * slot
            late = (ticks - sixteenth) * TICKS_PER_BEAT / ticks_per_beat
            if sixteenth % (2 * slot) and late <= GROOVE_REACH:
                heard = sixteenth
        if self.end is not None:
            end = self.end * ticks_per_beat // TICKS_PER_BEAT
            if heard >= end > ticks:
                heard = end - 1
        return heard


def _vote(start: float) -> int | None:
    """The grid step a note's place speaks for: 8 nearer a triplet's place (a third or two
    thirds of the beat) than a 16th's that is not one, 6 the other way, within
    :data:`PLAYED_REACH`; None for neither (on the beat, or far from both)."""
    phase = start * TICKS_PER_BEAT % TICKS_PER_BEAT
    sixteenth = min(abs(phase - p) for p in (6, 12, 18))
    triplet = min(abs(phase - p) for p in (8, 16))
    if min(sixteenth, triplet) > PLAYED_REACH or sixteenth == triplet:
        return None
    return 6 if sixteenth < triplet else 8


def hearing_of(clip: Clip, drums: bool = False) -> Hearing:
    """How the network hears ``clip``: each beat on triplet 8ths where more of its notes
    lie nearer a triplet's place than a 16th's (:func:`_vote`; a played shuffle's off-beats
    11 ms late, at tick 16.5, were heard as 16ths at 18), on 16ths where fewer (62% swing's
    16ths, at 7.44, go with the beat's 8th at 12), and as the whole clip votes where its
    own notes tie (a bar of 16ths played late in a clip of triplets was heard on
    triplets). A rolled chord is heard where its first voice is (:func:`rolled_voices`),
    but a beat's pads each where they are (``drums``: a snare laid back beside a kick is
    the groove, as in :func:`clip_feel`)."""
    whole = {6: 0, 8: 0}
    by_beat: dict[int, dict[int, int]] = defaultdict(lambda: {6: 0, 8: 0})
    rolls = {} if drums else rolled_voices(clip.notes)
    for note in clip.notes:
        if round(note.start, 6) in rolls:  # a roll's voice: its first voice's place
            continue
        vote = _vote(note.start)
        if vote is not None:
            whole[vote] += 1
            by_beat[int(note.start // 1)][vote] += 1
    step = 8 if whole[8] > whole[6] else 6
    beats = {
        beat: 8 if votes[8] > votes[6] else 6
        for beat, votes in by_beat.items()
        if votes[8] != votes[6]
    }
    end = to_ticks(clip.length) if clip.length is not None else None
    if swings_16ths(note.start for note in clip.notes if round(note.start, 6) not in rolls):
        return Hearing(SLOT, end, {}, rolls, swung=True)
    return Hearing(step, end, beats, rolls)


def swings_16ths(starts: Iterable[float]) -> bool:
    """Whether notes starting at ``starts`` (beats) are 16ths swung by hand: some off 16ths
    played off the grid later than :data:`PLAYED_REACH` (and within :data:`GROOVE_REACH`), the 8ths'
    middles played (:data:`GROOVE_NOTES` or more, within :data:`PLAYED_REACH`: a shuffle's
    triplets have none there), and no note within a tick of a triplet's place that a swing
    never reaches (two thirds of the beat, a 16th-note triplet's sixth). A player's 16ths
    swung at 54-66% (mean 61.5%) were heard on 16ths where under 62.5% and on the triplet's
    place where later: the take's own off 16ths came at 66.7%, on the tick, and the grid
    opened 16th-note triplets that the clip never plays (helper-102)."""
    phase = np.asarray(list(starts), dtype=float) * TICKS_PER_BEAT % TICKS_PER_BEAT
    middle = np.abs(phase - TICKS_PER_BEAT / 2) <= PLAYED_REACH
    after = phase % (2 * SLOT) - SLOT  # ticks after an off 16th (6 or 18)
    off_grid = np.abs(phase - np.round(phase)) > FLOAT_NOISE * TICKS_PER_BEAT
    late = off_grid & (after > PLAYED_REACH) & (after <= GROOVE_REACH)
    triplet = (np.abs(phase - 4) < 1) | (np.abs(phase - 16) < 1)  # 16 (and 4) nearer than
    # the 16th before them, the beat's middle (and the beat)
    return bool(late.any() and middle.sum() >= GROOVE_NOTES and not triplet.any())


def rolled_voices(notes: Iterable[Note]) -> dict[float, float]:
    """The rolled chords of ``notes``: the start (beats, to 6 places) of each voice after a
    chord's first -> the first's start, where each voice follows the one before within
    :data:`ROLL` on a pitch of its own and every voice so far still sounds a moment
    (:data:`segue.model.voices.TOGETHER`) after it is struck (a grace note has stopped),
    and on through half of it at least: a legato run or trill's notes, each overlapping the
    next by 15-30 ms, stop soon after the next is struck (a run in 32nd triplets read as
    rolled pairs, and its takes turned the pairs' top notes an octave up, helper-95).
    Heard at their own ticks, a roll wider than :data:`PLAYED_REACH` (3 voices 0.03 beats
    apart: the top 2.2 ticks late) was a chord and a note after it: a take that changed
    the chord rolled its lower voices as the clip does and played its top note apart, at
    the clip's top note's place. A late grace note (``voices.late_graces``: a bass's blip
    struck 30 ms after its note) is no voice: read as one, its note's next repeat was heard
    with it, and left out under the line's one voice."""
    out: dict[float, float] = {}
    run: list[Note] = []
    ordered = sorted(notes, key=lambda n: (n.start, n.pitch))
    late = late_graces(
        np.array([n.start for n in ordered]), np.array([n.duration for n in ordered])
    )
    for note in (n for n, grace in zip(ordered, late.tolist(), strict=True) if not grace):
        struck = note.start + TOGETHER
        if (
            run
            and note.start - run[-1].start <= ROLL
            and note.pitch not in {n.pitch for n in run}
            and all(n.start + n.duration > struck for n in (*run, note))
            and all(n.start + n.duration >= note.start + note.duration / 2 for n in run)
        ):
            run.append(note)
            continue
        out.update(_later_voices(run))
        run = [note]
    out.update(_later_voices(run))
    return out


def _later_voices(run: list[Note]) -> dict[float, float]:
    """Of a rolled chord's voices (in order), each later one's start -> the first's."""
    if not run:
        return {}
    first = run[0].start
    return {round(n.start, 6): first for n in run[1:] if n.start - first > FLOAT_NOISE}


def as_heard(clip: Clip, hearing: Hearing | None = None) -> Clip:
    """``clip`` as the network hears it (:func:`hearing_of`): each note from its heard tick
    to where it ends (at least a tick). A clip on the grid is itself."""
    hearing = hearing or hearing_of(clip)
    moved = []
    for note in clip.notes:
        start = hearing.tick(note.start) / TICKS_PER_BEAT
        if start == note.start:
            moved.append(note)
        else:
            length = max(note.end - start, 1 / TICKS_PER_BEAT)
            moved.append(Note(note.pitch, start, length, note.velocity))
    return Clip(tuple(moved), clip.length, clip.time_signature)


DETACHED = 1 / 4
"""Share of the time to the next onset that a played note may leave silent and still be
heard as lasting up to it (:func:`as_written`): a keyboard player's detached touch holds a
note 75-95% of its value (portato); staccato, half of it or less, stays short."""


def as_written(
    clip: Clip, hearing: Hearing | None = None, ends: Sequence[float] | None = None
) -> Clip:
    """``clip`` as a score would write it: its notes where the network hears them
    (:func:`as_heard`) and, in a played clip (a note that starts off the grid), their
    lengths read as the note values they stand for. A note that rings into the next onset
    by up to :data:`segue.model.voices.LEGATO` (a played legato, 20-60 ms) or stops short of
    it by up to :data:`DETACHED` of the time between them (a detached touch) lasts up to it
    (the clip's end after its last onset); any other ends on the first place of its beat's
    grid (16ths or triplet 8ths) at or after its release, less :data:`PLAYED_REACH` (a
    player releases before the next place, or just after it), but a grace heard with its
    note (shorter than ``voices.ORNAMENT`` and than half of it) is its own. A clip whose
    notes all start on the grid is itself, lengths and all (a step-sequenced gate of 0.4
    beats is meant), but where its ends were let go by hand (:func:`released_by_hand`: a
    played clip quantized in Live, its ends as played).
    Generation reads the clip so and puts the player's releases back (:func:`clip_feel`).

    The network learnt note values, not releases: a 16-note A minor melody played legato
    surprised the melody model 19.6 nats a note (3.1 quantized), its played lengths alone
    13.8-15.5 of them, and went to the producer model, which copied it (helper-102)."""
    hearing = hearing or hearing_of(clip)
    ends = ends if ends is not None else written_ends(clip, hearing)  # (ends: read already)
    if ends is None:
        return as_heard(clip, hearing)
    written = []
    for note, end in zip(clip.notes, ends, strict=True):
        start = hearing.tick(note.start) / TICKS_PER_BEAT
        written.append(Note(note.pitch, start, end - start, note.velocity))
    return Clip(tuple(written), clip.length, clip.time_signature)


def as_read(clip: Clip, drums: bool = False) -> Clip:
    """``clip`` as generation reads a seed before the network hears it: a line as written
    (:func:`as_written`), a beat's hits as heard, each pad where it lies (``drums``: a pad's
    length is no note value, and a flam is no rolled chord). Tuning reads the musician's
    pieces so too (``segue.model.tuning.material``): read as they lay, played ends and all,
    a model tuned on a bass played into Live learnt 16ths of 5 ticks and 8ths of 11, was
    fed 6 and 12 by generation, and ``auto`` passed it over for the producer model."""
    hearing = hearing_of(clip, drums)
    return as_heard(clip, hearing) if drums else as_written(clip, hearing)


def written_ends(clip: Clip, hearing: Hearing | None = None) -> list[float] | None:
    """Where each of ``clip.notes`` ends as written (:func:`as_written`, beats, in their
    order), at least a tick after where it is heard to start; None for a clip on the grid
    whose ends are not a player's (:func:`released_by_hand`)."""
    hearing = hearing or hearing_of(clip)
    starts = [hearing.tick(n.start) / TICKS_PER_BEAT for n in clip.notes]  # as_heard's
    on_grid = all(
        abs(at - n.start) <= FLOAT_NOISE for at, n in zip(starts, clip.notes, strict=True)
    )
    if on_grid and not released_by_hand(clip.notes):
        return None
    struck: dict[float, float] = {}  # each heard onset -> when its first note was played
    longest: dict[float, float] = {}  # and how long its longest note is
    for at, note in zip(starts, clip.notes, strict=True):
        struck[at] = min(struck.get(at, note.start), note.start)
        longest[at] = max(longest.get(at, 0.0), note.duration)
    onsets = np.array(sorted(struck))
    reach = PLAYED_REACH / TICKS_PER_BEAT
    ends = []
    for start, note in zip(starts, clip.notes, strict=True):
        after = int(np.searchsorted(onsets, start + FLOAT_NOISE, side="right"))
        nxt = float(onsets[after]) if after < len(onsets) else clip.length  # the next onset
        end = note.end
        if nxt is not None and nxt > start + FLOAT_NOISE:  # (none: a note past the end)
            at = struck.get(nxt, nxt)  # and where it was played
            if at - DETACHED * (at - note.start) <= end <= max(at, nxt) + LEGATO:
                ends.append(nxt)
                continue
        step = hearing.beats.get(int((end - reach) // 1), hearing.step) / TICKS_PER_BEAT
        place = float(np.ceil((end - reach) / step - FLOAT_NOISE)) * step
        grace = note.duration < ORNAMENT and longest[start] >= 2 * note.duration
        if place > start + FLOAT_NOISE and not grace:  # a grace struck with its note: its own
            end = place
        ends.append(max(end, start + 1 / TICKS_PER_BEAT))
    return ends


def released_by_hand(notes: Sequence[Note]) -> bool:
    """Whether ``notes`` end where a player let them go: more than half of them, and
    :data:`GROOVE_NOTES` or more, end off the ticks, in lengths (to a thousandth of a beat)
    that scatter around the note values they stand for: more lengths than values (the 16ths
    a length reaches up to), and three or more. Live's Quantize moves a played clip's starts
    to the grid and leaves its ends as they were played (8ths held 0.43, 0.38, 0.47 beats):
    read as they lie, not as meant (a clip on the grid is itself, :func:`as_written`), a
    bass in 8ths came back in 16ths and dotted 8ths from the melody model, and ``auto`` gave
    a lead in 8ths and quarters to the producer model, which copied it. A step-sequenced
    gate (every 8th 0.4 beats; a 303's gates, 0.4, and slides, 0.55) holds each value in
    one length, and is meant."""
    off = [
        round(n.duration, 3)
        for n in notes
        if abs(n.end * TICKS_PER_BEAT - round(n.end * TICKS_PER_BEAT))
        > FLOAT_NOISE * TICKS_PER_BEAT
    ]
    if len(off) < GROOVE_NOTES or 2 * len(off) <= len(notes):
        return False
    values = {int(np.ceil(length * 4 - FLOAT_NOISE)) for length in off}
    return len(set(off)) > len(values) and len(set(off)) >= 3


@dataclass(frozen=True)
class Feel:
    """Where a clip lies off the 24-tick grid: by note, by place and by 16th of the beat."""

    notes: dict[tuple[int, int], tuple[float, float, int]] = field(default_factory=dict)
    """(onset tick, pitch) of a clip note -> (its start's and its end's offset from the
    grid in beats, its length in ticks), for the notes that lie off the grid."""
    places: dict[int, float] = field(default_factory=dict)
    """Onset tick -> the median offset (beats) of the clip notes starting there (0 on the
    grid: a place the clip plays on the grid keeps a note there from the groove)."""
    slots: dict[int, float] = field(default_factory=dict)
    """Tick of a 16th within the beat (0, 6, 12, 18) -> the median offset (beats) from it of
    the clip notes nearest it, where :data:`GROOVE_NOTES` or more lie there, off the grid."""
    ends: dict[tuple[int, int], float] = field(default_factory=dict)
    """(onset tick, length in ticks) of clip notes whose end lies off the grid -> their end's
    offset from it (beats, the median): a take's turn at that place, another pitch in the
    loop's rhythm, ends where the clip's note does (a 303's 0.4-beat gate came back 0.417
    in every turned note, helper-65)."""
    rolls: dict[int, tuple[float, ...]] = field(default_factory=dict)
    """Onset tick -> the offsets (beats) of the clip notes starting there in pitch order,
    lowest first, where they differ (a chord rolled by hand): a take's changed chord there
    is rolled as the clip's (its lowest note at the offset of the clip's lowest, ...), not
    struck together at their median."""
    rolled: dict[int, frozenset[int]] = field(default_factory=dict)
    """Onset tick -> the pitches of the clip's rolled chord there (:attr:`rolls`): a take's
    chord of a pitch the clip does not play there is changed, and rolled whole."""
    strum: tuple[float, float] = (0.0, 0.0)
    """How the clip rolls its chords (:func:`strum_of`), on the beat and off it: each voice
    after a chord's first this many beats after the one before, lowest first where positive
    (a guitar's down-strum), highest first where negative (an up-strum); a take's chord
    where the clip plays nothing is rolled so, not struck together (0: as it is)."""
    legato: float = 0.0
    """Beats by which the clip's notes run into the next (:func:`legato_of`: a legato line,
    a sustain pedal's chords): a take's note that reaches the next on the grid runs into it
    so (no further than its own length), where it does not as played, but for a copy of a
    clip note, which ends as the clip's does (:attr:`own`; 0: a clip not played legato)."""
    graces: dict[int, tuple[float, int]] = field(default_factory=dict)
    """Onset tick -> the offset (beats) and length (ticks) of the clip's late grace note
    there (``voices.late_graces``: a blip struck 20 ms after the note it sits on), which is
    no part of the place's timing: a take's note there as short as the grace is played as
    the grace is, a longer one as the note (a bass's turned note was struck at its grace's
    late place, 20 ms behind the beat)."""
    own: frozenset[tuple[int, int, int]] = frozenset()
    """(onset tick, pitch, length in ticks) of each clip note: a take's copy of one ends where
    the clip's note does, never run into the next by :attr:`legato` (a lead's B4 held 4
    beats up to the E5, in a line played legato elsewhere, came back 4.2 beats in every
    take: a glide on a mono synth the clip never played, helper-185)."""

    def __bool__(self) -> bool:
        return bool(self.notes or self.slots or self.ends or any(self.places.values()))

    def timing(
        self,
        onset: int,
        pitch: int,
        duration: int,
        clip_end: int,
        loop: int,
        span: float | None,
        rank: int | None = None,
        chord: frozenset[int] | None = None,
    ) -> tuple[float, float, bool] | None:
        """The start and length (beats from the clip's end) of a continuation's note at
        ``onset`` (ticks), played as the clip plays its place in the ``loop`` (ticks), and
        whether that came from the clip's place or groove rather than its note; None where
        the note stays on the grid. ``span``: the continuation's length (beats), which the
        note keeps within. ``rank``: the note's place among the take's notes at ``onset``,
        lowest pitch first (0), for a chord the clip rolls there (:attr:`rolls`); ``chord``:
        the pitches of the take's notes at ``onset``, rolled whole where the clip rolls
        other pitches there (:attr:`rolled`), its own voices too."""
        if onset < clip_end:
            return None
        grid_start = to_beats(onset - clip_end)
        grid_end = to_beats(onset + duration - clip_end)
        place = clip_end - loop + (onset - clip_end) % loop if loop > 0 else None
        rerolled = (
            place in self.rolled
            and rank is not None
            and chord is not None
            and len(chord) > 1
            and not chord <= self.rolled[place]
        )
        found = self.notes.get((place, pitch)) if place is not None and not rerolled else None
        if found is not None:
            early, late, length = found
            start = max(grid_start + early, 0.0)
            end = grid_end + (late if duration == length else early)
            inferred = False
        else:
            offset = self.places.get(place) if place is not None else None
            roll = self.rolls.get(place) if place is not None else None
            if roll is not None and rank is not None:  # the clip's roll, lowest note first
                offset = roll[min(rank, len(roll) - 1)]
            strummed = place is not None and place not in self.places and chord is not None
            if strummed and rank is not None and len(chord or ()) > 1:  # the clip's strum
                offset = self._strummed(onset, rank, len(chord or ()))
            grace = self.graces.get(place) if place is not None else None
            if grace is not None and duration <= grace[1]:  # the clip's late grace's
                offset = grace[0]
            if offset is None and onset % SLOT == 0:
                offset = self.slots.get(onset % TICKS_PER_BEAT)
            clip_end_at = self.ends.get((place, duration)) if place is not None else None
            if not offset and clip_end_at is None:  # none, or the clip's place on the grid
                return None
            start = max(grid_start + (offset or 0.0), 0.0)
            end = grid_end + (offset or 0.0 if clip_end_at is None else clip_end_at)
            inferred = True
        if span is not None:
            end = min(end, span)
        return (start, end - start, inferred) if end - start > 1e-6 else None

    def _strummed(self, onset: int, rank: int, voices: int) -> float | None:
        """The offset (beats) of the ``rank``-th voice (lowest first) of a chord of
        ``voices`` at ``onset`` (ticks), rolled as the clip rolls its chords on the beat or
        off it (:attr:`strum`), from the groove's offset at its 16th (:attr:`slots`); None
        where the clip rolls none there."""
        gap = self.strum[0 if onset % TICKS_PER_BEAT == 0 else 1]
        if not gap:
            return None
        order = rank if gap > 0 else voices - 1 - rank
        groove = self.slots.get(onset % TICKS_PER_BEAT, 0.0) if onset % SLOT == 0 else 0.0
        return groove + order * abs(gap)


def clip_feel(
    notes: Iterable[Note],
    ticks_per_beat: int = TICKS_PER_BEAT,
    hearing: Hearing | None = None,
    drums: bool = False,
    ends: Sequence[float] | None = None,
) -> Feel:
    """The clip's :class:`Feel` (its notes where the network hears them, by ``hearing``:
    :func:`hearing_of` the clip, their ends snapped as ``segue.grid.grid_rows`` snaps them:
    of notes on one tick and pitch, the longest). Of a beat (``drums``) no rolls: pads
    struck together each keep their own timing (a snare laid back 0.06 beats beside a hat on
    the beat is the groove, not a rolled chord), and re-rolled by pitch a boom-bap take's
    backbeat snare came at the hat's place whenever a take added a pad there. ``ends``: where
    each note ends as written (:func:`written_ends`), from which its length in ticks and its
    end's offset count: a take's copy of a note played detached or legato, written as the
    value it stands for, ends where the clip's note does, and so does a new note of that
    value at its place."""
    notes = list(notes)
    if ends is None:  # as played
        ends, lengths = [n.end for n in notes], [n.duration for n in notes]
    else:
        lengths = [end - n.start for n, end in zip(notes, ends, strict=True)]
    hearing = hearing or hearing_of(Clip(tuple(notes)))
    by_note: dict[tuple[int, int], tuple[float, float, int]] = {}
    seen: set[tuple[int, int]] = set()
    own: set[tuple[int, int, int]] = set()
    at_place: dict[int, list[float]] = defaultdict(list)
    at_roll: dict[int, list[tuple[int, float]]] = defaultdict(list)
    at_slot: dict[int, list[float]] = defaultdict(list)
    at_end: dict[tuple[int, int], list[float]] = defaultdict(list)
    graces: dict[int, tuple[float, int]] = {}
    slot = ticks_per_beat // 4
    flagged = late_graces(np.array([n.start for n in notes]), np.array([n.duration for n in notes]))
    graced = (
        set() if drums else {(n.start, n.pitch) for n, g in zip(notes, flagged, strict=True) if g}
    )
    heard = [hearing.tick(n.start, ticks_per_beat) for n in notes]  # each note's tick, once
    longest_first = sorted(range(len(notes)), key=lambda i: -lengths[i])
    for note, written, start in ((notes[i], ends[i], heard[i]) for i in longest_first):
        end = to_ticks(written, ticks_per_beat)
        length = max(end - start, 1)
        early = note.start - start / ticks_per_beat
        late = note.start + note.duration - (start + length) / ticks_per_beat
        if (start, note.pitch) in seen:
            continue
        seen.add((start, note.pitch))
        own.add((start, note.pitch, length))
        if abs(early) > FLOAT_NOISE or abs(late) > FLOAT_NOISE:
            by_note[(start, note.pitch)] = (early, late, length)
        grace = (note.start, note.pitch) in graced
        if grace:  # a late grace: its own timing, not its place's
            graces.setdefault(start, (early, length))
        else:
            at_place[start].append(early)
            at_roll[start].append((note.pitch, early))
        if abs(late) > FLOAT_NOISE:
            at_end[(start, length)].append(late)
        if grace or round(note.start, 6) in hearing.rolls:  # a roll's voice: no 16th of the
            continue  # groove
        nearest = to_ticks(note.start * ticks_per_beat / slot, 1) * slot
        if abs(note.start * ticks_per_beat - nearest) <= GROOVE_REACH * ticks_per_beat / 24:
            at_slot[nearest % ticks_per_beat].append(note.start - nearest / ticks_per_beat)
    places = {tick: _median(offsets) for tick, offsets in at_place.items()}
    rolls = {} if drums else _rolls(at_roll)
    struck = [n for n in notes if round(n.start, 6) not in hearing.rolls]  # chords' onsets
    return Feel(
        by_note,
        {tick: (0.0 if abs(x) <= FLOAT_NOISE else x) for tick, x in places.items()},
        _eighths_groove(struck, ticks_per_beat) or _off_grid(at_slot, GROOVE_NOTES),
        {key: _median(lates) for key, lates in at_end.items()},
        rolls,
        {tick: frozenset(p for p, _ in at_roll[tick]) for tick in rolls},
        strum_of(rolls, ticks_per_beat),
        0.0 if drums else legato_of(notes, hearing, ticks_per_beat, heard),
        graces,
        frozenset(own),
    )


def _median(values: Sequence[float]) -> float:
    """The median of a few ``values``, as ``np.median`` has it (the mean of the middle two
    of an even count), without its array's cost: a clip's places each have a few notes,
    and ``np.median`` of each was a third of :func:`clip_feel`'s time in a request."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)


def legato_of(
    notes: list[Note],
    hearing: Hearing,
    ticks_per_beat: int = TICKS_PER_BEAT,
    heard: Sequence[int] | None = None,
) -> float:
    """The median overlap (beats) of the clip's notes into the next onset's, as played (the
    last to stop of the notes at one tick, where ``hearing`` hears them, past the first to
    start at the next), where more than half of its onsets overlap the next by more than a
    moment (:data:`segue.model.voices.TOGETHER`), and two or more do; 0 otherwise. A lead
    held 20-60 ms into each next note, and keys under a sustain pedal, came back with the
    network's notes ending where the next begins: a legato line's new notes overlapped in
    82 of 180 pairs, and at ``--memory 0`` none did (helper-102)."""
    ends: dict[int, float] = {}
    starts: dict[int, float] = {}
    if heard is None:
        heard = [hearing.tick(n.start, ticks_per_beat) for n in notes]
    for note, tick in zip(notes, heard, strict=True):
        ends[tick] = max(ends.get(tick, -np.inf), note.start + note.duration)
        starts[tick] = min(starts.get(tick, np.inf), note.start)
    ticks = sorted(ends)
    overlaps = [ends[a] - starts[b] for a, b in zip(ticks, ticks[1:], strict=False)]
    legato = [x for x in overlaps if x > TOGETHER]
    if len(legato) < GROOVE_NOTES or 2 * len(legato) <= len(overlaps):
        return 0.0
    return float(np.median(legato))


def strum_of(rolls: dict[int, tuple[float, ...]], ticks_per_beat: int) -> tuple[float, float]:
    """How a clip rolls its chords (:attr:`Feel.strum`), from its rolled chords (onset tick
    -> offsets in pitch order, lowest first, :attr:`Feel.rolls`) of three voices or more,
    where most of them are rolled one way, voice after voice (a strum, a rolled pad; a
    chord's voices struck a few ms apart in no order is a player's touch, not a roll): the
    median spread per voice ((last - first) / (voices - 1)) of those so rolled, lowest first
    or highest first as most of them on the beat, or off it, are (where it rolls none there,
    as most are). The network's chords where the clip plays none came struck together, in a
    clip whose chords are all rolled (a guitar strummed 15-35 ms, keys rolled 10-40 ms: 0 of
    34 and 0 of 8 rolled, helper-102)."""
    chords = [(tick, _way(offsets), offsets) for tick, offsets in rolls.items()]
    chords = [chord for chord in chords if len(chord[2]) >= 3]
    rolled = [(tick, way, offsets) for tick, way, offsets in chords if way]
    if not rolled or 2 * len(rolled) <= len(chords):
        return (0.0, 0.0)
    spread = float(np.median([(max(x) - min(x)) / (len(x) - 1) for _, _, x in rolled]))
    ways = {True: 0, False: 0}  # on the beat or off it: lowest first (+1), highest (-1)
    for tick, way, _ in rolled:
        ways[tick % ticks_per_beat == 0] += way
    either = ways[True] + ways[False]
    on, off = (np.sign(ways[at] or either) or 1.0 for at in (True, False))
    return (float(on) * spread, float(off) * spread)


def _way(offsets: tuple[float, ...]) -> int:
    """Which way a chord's voices (offsets in pitch order) are rolled: lowest first (1),
    highest first (-1), or neither (0: not voice after voice)."""
    steps = np.diff(offsets)
    if (steps >= -FLOAT_NOISE).all():
        return 1
    return -1 if (steps <= FLOAT_NOISE).all() else 0


def _rolls(at_place: dict[int, list[tuple[int, float]]]) -> dict[int, tuple[float, ...]]:
    """Of the (pitch, offset) of the clip notes at each onset tick, the offsets in pitch
    order where they differ (a rolled chord; the same offset is the place's, not a roll)."""
    out = {}
    for tick, notes in at_place.items():
        offsets = tuple(offset for _, offset in sorted(notes))
        if max(offsets) - min(offsets) > FLOAT_NOISE:
            out[tick] = offsets
    return out


def _eighths_groove(notes: Iterable[Note], ticks_per_beat: int) -> dict[int, float]:
    """The groove of a clip in 8ths (no note on a beat's first 16th off it): the offset of
    its off-beat 8ths from the beat's middle, where two or more lie between it and three
    quarters of the beat (a swing of up to 75%). Read by 16ths, a shuffle's 8ths at
    two-thirds of the beat (tick 16) were counted as early 16ths at 18, and the network's
    own off-beat 8ths stayed straight; empty for a clip in 16ths, or with no such notes
    (an 8th played a little early counts, within :data:`GROOVE_REACH`)."""
    half, quarter = ticks_per_beat // 2, ticks_per_beat // 4
    phases = np.array([(n.start * ticks_per_beat) % ticks_per_beat for n in notes])
    if ((quarter / 2 < phases) & (phases < half - quarter / 2)).any():
        return {}
    reach = GROOVE_REACH * ticks_per_beat / 24  # an 8th played early counts too
    off_beat = phases[(phases - half >= -reach) & (phases - half <= quarter + 0.5)]
    return _off_grid({half: list((off_beat - half) / ticks_per_beat)}, GROOVE_NOTES)


def _off_grid(offsets: dict[int, list[float]], least: int) -> dict[int, float]:
    """Of lists of offsets, each one's median where it has ``least`` values or more and
    lies off the grid."""
    out = {}
    for key, values in offsets.items():
        if len(values) >= least:
            middle = _median(values)
            if abs(middle) > FLOAT_NOISE:
                out[key] = middle
    return out


def played_times(
    rows: np.ndarray,
    feel: Feel,
    clip_end: int,
    loop: int,
    span: float | None,
) -> np.ndarray:
    """A take's grid rows ((n, 3+) onset, pitch, duration in ticks, in time order) as (n, 2)
    start and length in beats from the clip's end, each played as :meth:`Feel.timing` says.
    A note that the clip's place or groove moved goes no further than the onsets before and
    after it, and not onto a note of its pitch; a note so moved, or followed by one, stops
    where the next note begins if it did on the grid; no note runs over the next of its pitch
    (a second note of a pitch at one moment: length NaN, to leave out)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not rows.size:
        return np.zeros((0, 2))
    onset, duration = rows[:, 0], rows[:, 2]
    grid_times = np.stack([onset - clip_end, duration], axis=1) / TICKS_PER_BEAT
    out = grid_times.copy()
    if not feel:
        return _apart_by_pitch(out, rows[:, 1], drop=False)
    moved = np.zeros(len(rows), dtype=bool)
    ranks = _ranks(onset, rows[:, 1])
    chords: dict[int, frozenset[int]] = {}  # the take's pitches at each onset, for a roll
    if feel.rolled:
        for at in np.unique(onset).tolist():
            chords[at] = frozenset(rows[onset == at, 1].tolist())
    for i, (at, pitch, length) in enumerate(rows[:, :3].tolist()):
        rank = int(ranks[i])
        timing = feel.timing(at, pitch, length, clip_end, loop, span, rank, chords.get(at))
        if timing is not None:
            out[i] = timing[:2]
            moved[i] = timing[2]
    grid, index = np.unique(onset, return_inverse=True)
    beats = (grid - clip_end) / TICKS_PER_BEAT
    # the onsets before and after, where they are played: a groove's 16th on tick 6 moved
    # to .31 of the beat went past tick 7 (.29), where the clip's swung 16ths snap, and was
    # sent back to .25, a flam ahead of the swung hat played at .31 (helper-42)
    latest = np.full(len(grid), -np.inf)
    np.maximum.at(latest, index, out[:, 0])
    earliest = np.full(len(grid), np.inf)
    np.minimum.at(earliest, index, out[:, 0])
    before = np.concatenate([[-np.inf], np.minimum(beats, earliest)])[index]
    after = np.concatenate([np.maximum(beats, latest)[1:], [np.inf]])[index]
    astray = moved & ~((before <= out[:, 0] + 1e-9) & (out[:, 0] <= after + 1e-9))
    if moved.any():  # nor on a note of its pitch that was there (a pad struck twice)
        still = zip(out[~moved, 0].tolist(), rows[~moved, 1].tolist(), strict=True)
        fixed = {(round(t, 6), p) for t, p in still}
        for i in np.flatnonzero(moved & ~astray).tolist():
            astray[i] = (round(float(out[i, 0]), 6), int(rows[i, 1])) in fixed
    out[astray] = grid_times[astray]
    moved &= ~astray
    firsts = np.full(len(grid), np.inf)  # the earliest start of the notes at each onset
    np.minimum.at(firsts, index, out[:, 0])
    moves = np.zeros(len(grid), dtype=bool)  # whether the place or the groove moved one
    np.logical_or.at(moves, index, moved)
    nxt = index + 1
    has_next = nxt < len(grid)
    nxt = np.minimum(nxt, len(grid) - 1)
    fits = has_next & (onset + duration <= grid[nxt])  # it ended by the next on the grid
    clamp = fits & (moved | moves[nxt])  # not the clip's own notes as played (a legato)
    stop = firsts[nxt]
    over = clamp & (out[:, 0] + out[:, 1] > stop) & (stop - out[:, 0] > 1e-6)
    out[over, 1] = stop[over] - out[over, 0]
    if feel.legato:  # a note that reaches the next on the grid runs into it as the clip's do
        reach = has_next & (onset + duration >= grid[nxt]) & (out[:, 0] + out[:, 1] <= stop)
        reach &= ~_clip_notes(rows, feel, clip_end, loop)  # a copy ends as the clip's note
        legato = stop + np.minimum(feel.legato, duration / TICKS_PER_BEAT)  # at most its
        # own length again (a pedal holds a chord two beats into the next: a 16th run under
        # it rings a 16th into each next note)
        if span is not None:
            legato = np.minimum(legato, span)
        longer = reach & (legato > out[:, 0] + out[:, 1])
        out[longer, 1] = legato[longer] - out[longer, 0]
    return _apart_by_pitch(_on_ticks(out), rows[:, 1])


def _clip_notes(rows: np.ndarray, feel: Feel, clip_end: int, loop: int) -> np.ndarray:
    """(n,) whether each of a take's grid ``rows`` is a copy of a clip note (its place in the
    ``loop``, pitch and length in ticks: :attr:`Feel.own`)."""
    if loop <= 0 or not feel.own:
        return np.zeros(len(rows), dtype=bool)
    places = clip_end - loop + (rows[:, 0] - clip_end) % loop
    keys = zip(places.tolist(), rows[:, 1].tolist(), rows[:, 2].tolist(), strict=True)
    return np.array([key in feel.own for key in keys], dtype=bool)


def _ranks(onsets: np.ndarray, pitches: np.ndarray) -> np.ndarray:
    """Each note's place among the notes at its onset, lowest pitch first (0)."""
    order = np.lexsort((pitches, onsets))
    ordered = onsets[order]
    first = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - group_start
    return ranks


def _on_ticks(times: np.ndarray) -> np.ndarray:
    """``times`` ((n, 2) start and length, beats) with each start and end that lies within
    float32's rounding of a tick on it (``segue.grid.on_ticks``, as the device reads a
    reply; a length between two such, whole ticks): a groove of 2 ticks read from float32
    times put a note 2e-8 beats past a note on the tick, and the two swapped places between
    `segue generate` and the bridge."""
    ticks = on_ticks(np.stack([times[:, 0], times[:, 0] + times[:, 1]], axis=1) * TICKS_PER_BEAT)
    times[:, 0] = ticks[:, 0] / TICKS_PER_BEAT
    times[:, 1] = (ticks[:, 1] - ticks[:, 0]) / TICKS_PER_BEAT
    return times


def _apart_by_pitch(times: np.ndarray, pitches: np.ndarray, drop: bool = True) -> np.ndarray:
    """``times`` ((n, 2) start and length) with each note stopped where the next note of its
    pitch begins: a repeat as played (a legato release, a note played early) ran over the
    next note of its pitch, and a synth's note-off cut that one to a hundredth of a beat.
    With ``drop``, of two notes of a pitch that the clip's timing put at one moment, the
    second gets no length (NaN): the caller leaves it out."""
    order = np.lexsort((times[:, 0], pitches))
    start, length, pitch = times[order, 0], times[order, 1], pitches[order]
    same = pitch[1:] == pitch[:-1]
    later = start[1:] - start[:-1] > 1e-6
    over = same & later & (start[:-1] + length[:-1] > start[1:])
    cut = np.flatnonzero(over)
    times[order[cut], 1] = start[cut + 1] - start[cut]
    if drop:
        times[order[np.flatnonzero(same & ~later) + 1], 1] = np.nan
    return times
