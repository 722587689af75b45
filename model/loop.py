"""The loop: a continuation keeps the clip's loop and varies it, as producers do.

A bassline, a chord loop, an arpeggio or a beat is a loop: the bars after a clip
mostly repeat it. The loop is the clip, as Live loops it, at its own length up to 16
bars (a 3-bar riff loops at 3 bars, a 12-bar blues at 12, a 7-beat figure in 4/4 every
7 beats, a 2-beat figure every 2), the last 16 whole bars of a longer one. Once the clip has ended,
each new note may repeat the loop's next note: the clip's note after the place in the
loop of the note just played. Otherwise the clip memory's copy or the network plays
something else there (the repeated note excluded), which is where variations come
from. The loop stays the clip's: a variation is not copied into the bars after it, so
a one-bar beat is back in its groove after a phrase's fill. Velocity comes with a
repeated note, the clip note's own (1-127, not its class's middle); its duration too,
the clip note's own in ticks (the classes above 4 beats are whole beats, up to 16),
except for an occasional slip: never of a level the loop programs
(:func:`programmed_levels`: a trance gate's accents), nor of the length of a note it holds
up to the next or into it (:func:`held_notes`: a held lead note, an acid line's slide).

How often a note repeats the loop (``phi``) depends on three things measured in
the training material at 4-bar boundaries: how much the clip repeats itself
within (at 1 and 2 bars: a one-bar loop is kept more faithfully than a 4-bar
phrase; a clip shorter than 4 bars measured as Live loops it, and one that strikes too
few notes to compare, a drone or a held pad, by what it holds), whether the
note falls in the last bar of a 4-bar phrase, where producers vary most, and
whether the two notes before it repeated the loop (``after``: a variation runs
for a few notes, and then the loop comes back; after a repeat, 83-96% of
producers' notes repeat too, after a note of their own 8-29%; the note before
that sharpens it further). Where a note does not repeat
the loop, it may come from the clip memory (``segue.model.memory``): a variation
often plays what followed the same notes elsewhere in the clip. ``phi``,
``after`` and the slips are maximum-likelihood rates (:mod:`segue.model.loop_fit`).

The likelihood counts the notes before (``after``; a table fitted before they
were counted has none, and then ``phi`` serves after any notes). Generation
draws each note's repeat with ``phi``, whatever the note before did: drawn as the
material does it, a take that leaves the loop stays away for several notes, and
takes kept faithfully inside a phrase then repeat the clip exactly far more often
than producers' continuations do (on the LMMS dev leads, 63% of takes against
their 25%). ``strength`` sharpens the rates (``1 - (1 - phi) ** strength``): a
musician continuing a loop wants it kept. A melodic model's takes then each have
a turn of their own at the end of every phrase (``segue.model.takes``), keeping
the loop's rhythm there, and its strength is the strongest that keeps 90% of what
repeating the clip gets right on the material while the takes still differ; a
drum model's fills vary its phrases, the last bar of a phrase keeps the
material's own rate (but for the beat's backbone, kept in every bar: ``kept``,
``segue.model.drumming.held_backbone``), and its strength is the smallest that
keeps 90%. A note
that repeats the loop lands on the loop note's own onset, even after a rest too
long for an offset class to hold. The ``memory`` generation setting scales the
strength, like the clip memory's weights.
"""

from __future__ import annotations

import bisect
import copy
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from segue.model.vocab import Vocab, any_set, within

if TYPE_CHECKING:
    from segue.model.takes import Turns

SELF_EDGES = (0.0, 0.3, 0.8)
"""Lower bounds of the buckets of a clip's self-repetition (the share of its notes that
repeat the note 1 or 2 bars earlier)."""
CELLS = len(SELF_EDGES) * 2  # x (inside a phrase, last bar of a 4-bar phrase)
BEFORE = 2
"""How many notes before a note count, each by whether it repeated the loop (the clip's
own notes do)."""
STATES = 2**BEFORE
STATE_CELLS = CELLS * STATES
"""Cells with the notes before: cell ``c + CELLS * state``, where bit ``k`` of ``state``
says that the note ``k + 1`` notes before was one of the continuation's own (0: both
repeated the loop)."""
PHRASE_END_CELLS = np.arange(STATE_CELLS) % 2 == 1
PHRASE_BARS = 4
LONGEST_LOOP = 16  # bars


def loop_ticks(clip_end: int, bar: int) -> int:
    """How long the loop of a clip ``clip_end`` ticks long is (ticks): the clip's own length,
    as Live loops it (a 7-beat clip in 4/4 every 7 beats, a 2-beat figure every 2 beats), up
    to :data:`LONGEST_LOOP` bars; of a longer clip, its last whole bars up to that many. A
    3-bar riff was looped at 2 bars (its last two) and a 12-bar blues at 8, and a 7-beat
    clip at its last 4 beats, while bars of 1, 2, 4 and 8 loop as they did (the loop's rates
    were fitted on 4-bar clips)."""
    if clip_end <= 0 or bar <= 0:
        return 0
    if clip_end <= LONGEST_LOOP * bar:
        return clip_end
    return LONGEST_LOOP * bar


def self_repetition(
    onsets: np.ndarray,
    pitches: np.ndarray,
    bar: int,
    from_first: bool = False,
    moved: bool = False,
) -> float:
    """The larger share, for 1 and 2 bars, of a clip's notes (after the first 1 or 2 bars)
    that repeat a note (same pitch) exactly that many bars earlier. ``from_first``: of the
    notes whose place that many bars earlier is at or after the clip's first note, so that
    a pickup's empty beats do not count against the riff it leads into (a one-bar riff
    after a two-note pickup read 0.78, a tune, and went to the folk model: helper-51).
    ``moved``: where every bar plays the figure of the bar that many bars earlier, as it is
    or moved whole to another pitch (:func:`moved_bars`), every note repeats it (a bass in
    octaves on each chord's root). One such bar among others is no figure: of a neo-soul
    loop's voicings, its Em9 moved down a tone to its Dm9, not its Fmaj9 to its Em9."""
    keys = {(int(o), int(p)) for o, p in zip(onsets, pitches, strict=True)}
    first = int(np.min(onsets)) if from_first and len(onsets) else 0
    best = 0.0
    for bars in (1, 2):
        later = np.flatnonzero(np.asarray(onsets) >= max(bars * bar, first + bars * bar))
        if len(later) < 2:
            continue
        figures = moved_bars(onsets, pitches, bar, bars) if moved else set()
        if not figures.issuperset(int(onsets[i]) // bar for i in later):
            figures = set()  # one figure throughout, or none: a chord moved by chance is none
        hits = sum(
            (int(onsets[i]) - bars * bar, int(pitches[i])) in keys
            or int(onsets[i]) // bar in figures
            for i in later
        )
        best = max(best, hits / len(later))
    return best


def moved_bars(onsets: np.ndarray, pitches: np.ndarray, bar: int, bars: int) -> set[int]:
    """The bars (indices) that play the figure of the bar ``bars`` earlier, a line of two
    notes or more, moved whole by one interval: the same places, each note the same interval
    away. Chords are left out: a pad's C triad held into its F triad, both in root position,
    is a chord loop's voicing, not a line's figure.
    A bassline in octaves that follows its chords' roots (A1 A2 under Am, F1 F2 under F)
    plays one bar's figure throughout, as an arp outlines each chord in one shape; read
    note for note it repeated nothing, a part whose bars all differ, whose loop is kept
    most loosely, and 12 of 128 takes of such an Am F C G bass played notes of the
    network's own in its first three bars (an A1 under the F)."""
    by_bar: dict[int, list[tuple[int, int]]] = {}
    for onset, pitch in zip(np.asarray(onsets).tolist(), np.asarray(pitches).tolist(), strict=True):
        by_bar.setdefault(onset // bar, []).append((onset % bar, pitch))
    out = set()
    for index, notes in by_bar.items():
        before = sorted(by_bar.get(index - bars, ()))
        notes = sorted(notes)
        places = {place for place, _ in notes}
        if len(places) < 2 or len(places) < len(notes) or len(notes) != len(before):
            continue  # a line's figure: a note, or chords moved in parallel, are none
        if [place for place, _ in notes] != [place for place, _ in before]:
            continue
        moves = {pitch - earlier for (_, pitch), (_, earlier) in zip(notes, before, strict=True)}
        if len(moves) == 1:
            out.add(index)
    return out


def held_over_bars(rows: np.ndarray, bar: int) -> tuple[np.ndarray, np.ndarray]:
    """The onsets and pitches of a clip's ``rows`` (onset, pitch, length ticks, ...), each
    note held over a bar line struck again there, as the bar after hears it: a C# held
    through four bars sounds in each of them (its bar lines at 1, 2 and 3 bars)."""
    onsets, pitches = [np.asarray(rows[:, 0])], [np.asarray(rows[:, 1])]
    for onset, pitch, length in rows[:, :3].tolist():
        lines = np.arange(onset // bar + 1, -(-(onset + length) // bar)) * bar
        onsets.append(lines)
        pitches.append(np.full(len(lines), pitch))
    return np.concatenate(onsets).astype(np.int64), np.concatenate(pitches).astype(np.int64)


def clip_repetition(rows: np.ndarray, clip_end: int, bar: int) -> float:
    """:func:`self_repetition` of a clip's ``rows`` (onset, pitch, length ticks, ...) as
    :func:`as_looped` plays it, a bar that moves the figure of the bar before whole counted
    as its repeat (:func:`moved_bars`). A clip that strikes fewer than two notes after its first bar
    has nothing to compare by its onsets: it is measured by what it holds
    (:func:`held_over_bars`), so a drone or a pad held through the bars repeats itself
    fully. By its onsets a one-note drone read 0, a part whose bars all differ, whose loop
    is kept most loosely: about 1 take in 120 of a 4-bar drone left it at its first note
    for a busy line of its own (triplets of C#4 and F#4 over a C#3 drone), and a 1-bar
    drone, looped, read 1."""
    looped = as_looped(rows[:, 0], rows[:, 1], clip_end, bar)
    if np.count_nonzero(looped[0] >= bar) >= 2:
        return self_repetition(*looped, bar, moved=True)
    return self_repetition(*as_looped(*held_over_bars(rows, bar), clip_end, bar), bar, moved=True)


def one_level_pitches(seed_rows: np.ndarray, clip_end: int, loop: int) -> dict[int, int]:
    """The pitches (pads) the clip's loop plays at one velocity, two notes or more, and that
    velocity: a part programmed so (a kick at 110 throughout) keeps it in every repeat. A
    velocity slip is a player's touch; it made a programmed house kick at 110 come back at
    96-116 (69 of 123 hits at 110)."""
    if loop <= 0 or not len(seed_rows):
        return {}
    inside = seed_rows[(seed_rows[:, 0] >= clip_end - loop) & (seed_rows[:, 0] < clip_end)]
    out = {}
    for pitch in np.unique(inside[:, 1]):
        levels = inside[inside[:, 1] == pitch, 3]
        if len(levels) > 1 and (levels == levels[0]).all():
            out[int(pitch)] = int(levels[0])
    return out


FEW_LEVELS = 3
"""At most this many velocities in a loop, each struck twice or more, are programmed (a step
sequencer's accent and its plain step, a pad drawn at one level), not a player's touch: no
player strikes a line's notes at two velocities over and over."""


def programmed_levels(
    seed_rows: np.ndarray, clip_end: int, loop: int, bar: int, beat: int
) -> frozenset[tuple[int, int]]:
    """The notes of the clip's loop whose velocity is programmed, as (place in the loop,
    ticks from its start, pitch): a repeat of one keeps the clip's velocity, whatever the
    slip. Of a loop that plays few levels (:data:`FEW_LEVELS`), every note; else a note
    whose pitch the loop plays at its place in every pass (each ``beat``, each bar, each 2,
    4 or 8 bars) at one level, where most such notes are (a player's two strikes of a note
    may meet at one velocity by chance). A trance gate's 16ths, 100 on the beat and 75 off it, came
    back at velocities the clip never used in 32 takes of 32, a chord's three voices struck
    at 67, 75 and 75; an 8th-note root bass at 100 and 85, an acid line's accents, likewise
    (helper-185). A part played in, its velocities moving pass to pass, keeps its slips (a
    producer's repeats move)."""
    if loop <= 0 or not len(seed_rows):
        return frozenset()
    start = clip_end - loop
    inside = seed_rows[(seed_rows[:, 0] >= start) & (seed_rows[:, 0] < clip_end)]
    places = (inside[:, 0] - start).astype(np.int64)
    pitches, levels = inside[:, 1].astype(np.int64), inside[:, 3].astype(np.int64)
    keys = zip(places.tolist(), pitches.tolist(), strict=True)
    values, counts = np.unique(levels, return_counts=True)
    if len(values) <= FEW_LEVELS and (counts > 1).all():
        return frozenset(keys)
    out: set[tuple[int, int]] = set()
    for span in (beat, bar, 2 * bar, 4 * bar, 8 * bar):
        if span <= 0 or span >= loop or loop % span:
            continue
        passes = loop // span
        found: dict[tuple[int, int], list[int]] = {}
        for place, pitch, level in zip(
            places.tolist(), pitches.tolist(), levels.tolist(), strict=True
        ):
            found.setdefault((place % span, pitch), []).append(level)
        every = [(key, len(set(at)) == 1) for key, at in found.items() if len(at) == passes]
        if 2 * sum(same for _, same in every) <= len(every):  # a player's, pass to pass
            continue
        for (place, pitch), same in every:
            if same:
                out.update((place + k * span, pitch) for k in range(passes))
    return frozenset(out)


def held_notes(
    seed_rows: np.ndarray, clip_end: int, loop: int, bar: int
) -> frozenset[tuple[int, int]]:
    """The notes of the clip's loop held up to the next onset or into it (a held lead note,
    a pad, an acid line's slide), or for a whole ``bar`` (ticks) or longer (a pad or a
    drone let go a little before the loop strikes again), as (place in the loop, ticks
    from its start, pitch): a repeat of one keeps the clip's length, whatever the slip; a
    shorter note's length may vary. A lead's B4 held 4 beats up to the E5 came back 3.2,
    its A4 held into the C5 cut to 2.2 beats before a gap, and an acid line's slides
    shortened apart (helper-185); a pad's note held 14 beats of a 16-beat loop came back
    9 beats, and the take's answer after the gap it left a 32nd note (no held note's place
    left for it to hold on in). The loop's last onset reaches on to its first, a loop
    later."""
    if loop <= 0 or not len(seed_rows):
        return frozenset()
    start = clip_end - loop
    inside = seed_rows[(seed_rows[:, 0] >= start) & (seed_rows[:, 0] < clip_end)]
    places = (inside[:, 0] - start).astype(np.int64)
    onsets = np.unique(places)
    following = np.append(onsets[1:], onsets[0] + loop)  # each onset's next, around the loop
    nxt = following[np.searchsorted(onsets, places)]
    held = (places + inside[:, 2] >= nxt) | (inside[:, 2] >= max(bar, 1))
    return frozenset(
        zip(places[held].tolist(), inside[held, 1].astype(np.int64).tolist(), strict=True)
    )


def as_looped(
    onsets: np.ndarray, pitches: np.ndarray, clip_end: int, bar: int
) -> tuple[np.ndarray, np.ndarray]:
    """A clip shorter than :data:`PHRASE_BARS` bars as Live plays it, looped at its length up
    to that many bars (the loop's rates were measured on clips that long): a one-bar clip
    repeats itself at one bar, as a one-bar loop does. Longer clips as they are."""
    onsets, pitches = np.asarray(onsets), np.asarray(pitches)
    span = PHRASE_BARS * bar
    if clip_end <= 0 or clip_end >= span or not len(onsets):
        return onsets, pitches
    times = -(-span // clip_end)
    tiled = np.concatenate([onsets + i * clip_end for i in range(times)])
    keep = tiled < span
    return tiled[keep], np.tile(pitches, times)[keep]


def cell_of(repetition: float, phrase_end: bool, state: int = 0) -> int:
    """The cell of :data:`STATE_CELLS` for a clip's self-repetition, a note's place and the
    ``state`` of the notes before it (see :data:`STATE_CELLS`)."""
    return (bisect.bisect_right(SELF_EDGES, repetition) - 1) * 2 + int(phrase_end) + CELLS * state


class Proposal(NamedTuple):
    """The note the loop proposes next: classes of its offset (from the latest note),
    pitch, duration and velocity, and its cell. A named tuple, not a frozen dataclass: made
    for every take at every step, it costs a third as much to make (0.4 us, not 1.5)."""

    offset: int
    pitch: int
    duration: int
    velocity: int
    cell: int
    onset: int  # ticks
    level: int  # the clip note's own velocity (1-127), which its class only approximates
    length: int  # the clip note's own duration (ticks), which its class may only approximate


class LoopHistory:
    """One clip's notes, the seed's and then the continuation's, and the loop's proposals.

    ``clip_end`` is where the seed clip ends (ticks); proposals are made only from then
    on. Notes come in time order (onset ticks, pitch, duration and velocity classes).
    """

    def __init__(
        self, bar: int, loop: int, clip_end: int, repetition: float, chords: bool = False
    ) -> None:
        self.bar = bar
        self.chords = chords  # see proposal
        self.shift = loop  # the loop's length, ticks
        self.clip_end = clip_end
        self.repetition = repetition
        self.onsets: list[int] = []
        self.pitches: list[int] = []
        self.durations: list[int] = []
        self.velocities: list[int] = []
        self.levels: list[int] = []  # the clip's notes' own velocities (1-127)
        self.lengths: list[int] = []  # and durations (ticks; 0 for a generated note)
        self._index: dict[tuple[int, int], int] = {}
        self._clip_notes = 0  # how many of the notes are the clip's (before its end)
        self._loop_start = 0  # the first of them inside the loop (its last ``shift`` ticks)
        self._proposed: tuple[int, int] | None = None  # onset and pitch of the last proposal
        self._proposed_at = (0, 0)  # its index among the notes, and its lag
        self._resume: tuple[int, int] | None = None  # see push
        self.state = 0  # which of the latest notes were not the loop's (see STATE_CELLS)

    @classmethod
    def of_seed(
        cls,
        seed_rows: np.ndarray,
        seed_steps: np.ndarray,
        bar: int,
        clip_end: int,
        chords: bool = False,
    ) -> LoopHistory | None:
        """The history of a seed clip (grid rows and their model steps, without the BOS
        step), or None when the clip is too short to loop. ``chords``: notes struck together
        are a chord's voices, not a kit's pads (see :meth:`proposal`)."""
        loop = loop_ticks(clip_end, bar)
        if loop == 0 or len(seed_rows) == 0:
            return None
        repetition = clip_repetition(seed_rows, clip_end, bar)
        history = cls(bar, loop, clip_end, repetition, chords)
        for (onset, pitch, length, level), step in zip(seed_rows, seed_steps, strict=True):
            history.push(
                int(onset),
                int(pitch),
                int(step[2]),
                int(step[3]),
                level=int(level),
                length=int(length),
            )
        return history

    def copy(self) -> LoopHistory:
        """The same notes and proposals, in a history of its own that goes on apart (each
        take's: the seed's history is read once, not once per take)."""
        twin = copy.copy(self)
        twin.onsets, twin.pitches = list(self.onsets), list(self.pitches)
        twin.durations, twin.velocities = list(self.durations), list(self.velocities)
        twin.levels, twin.lengths = list(self.levels), list(self.lengths)
        twin._index = dict(self._index)
        return twin

    def push(
        self,
        onset: int,
        pitch: int,
        duration: int,
        velocity: int,
        varied: bool = False,
        level: int = 0,
        length: int = 0,
    ) -> None:
        """The next note; past the clip's end, it repeated the loop if it is the note the
        latest :meth:`proposal` proposed (onset and pitch). A ``varied`` note (generation's
        turn, ``segue.model.takes``) took the place of the note proposed: the loop
        goes on after that one (the rest of a chord, say). ``level`` and ``length``: a clip
        note's own velocity and duration in ticks (0 for a generated note: only the clip's
        notes are proposed)."""
        self._resume = None
        if onset >= self.clip_end:
            own = (onset, pitch) != self._proposed
            self.state = ((self.state << 1) | int(own)) & (STATES - 1)
            if self._proposed is not None and (varied or (own and onset == self._proposed[0])):
                self._resume = self._proposed_at  # in its place: the rest of its chord comes
        self._proposed = None
        self._index[(onset, pitch)] = len(self.onsets)
        if onset < self.clip_end:
            self._clip_notes = len(self.onsets) + 1
        if onset < self.clip_end - self.shift:
            self._loop_start = len(self.onsets) + 1
        self.onsets.append(onset)
        self.pitches.append(pitch)
        self.durations.append(duration)
        self.velocities.append(velocity)
        self.levels.append(level)
        self.lengths.append(length)

    def _after_place(self, place: int) -> int:
        """The index of the clip's note that the loop goes on with after a note of the
        continuation's own at ``place`` (ticks, in the clip): the next place's first; of
        :attr:`chords`, where the loop strikes a chord at that very place, the chord's first
        voice, so its voices still come (a take's own note on the next chord's downbeat
        passed over the whole chord, and a triad loop's Am came back as one G2, helper-87)."""
        n = self._clip_notes
        after = bisect.bisect_right(self.onsets, place, 0, n)
        if self.chords:
            first = bisect.bisect_left(self.onsets, place, 0, n)
            if after - first > 1:
                return first
        return after

    def proposed_with(self) -> list[int]:
        """The pitches of the loop's notes struck with the latest proposal, at its place in
        the loop (its chord's other voices; none for a single note or no proposal)."""
        if self._proposed is None:
            return []
        index, _ = self._proposed_at
        n, at = self._clip_notes, self.onsets[index]
        low = bisect.bisect_left(self.onsets, at, 0, n)
        high = bisect.bisect_right(self.onsets, at, 0, n)
        return [self.pitches[i] for i in range(low, high) if i != index]

    @property
    def clip_notes(self) -> int:
        """How many of the notes are the clip's (the first ones)."""
        return self._clip_notes

    def proposal(self, vocab: Vocab, full: bool = False) -> Proposal | None:
        """What the loop proposes after the latest note (classes of ``vocab``): the clip's
        note after the latest note's place in the clip's loop (past the clip's end, the
        loop's first note; after a varied note, the note after the one it varied); None
        when the loop has no notes. ``full``: no more notes may start at the latest note's
        onset (a polyphony limit): the rest of its chord is passed over for the loop's next
        onset (under --polyphony 1 a chord loop's proposals for the chord's other voices
        were refused, and the network filled the beat with off-beat notes of its own)."""
        n, start = self._clip_notes, self._loop_start
        self._proposed = None
        if start >= n:
            return None
        last_onset = self.onsets[-1]
        if last_onset < self.clip_end:  # the first new note: what followed the loop's start
            index, lag = start, self.shift
        else:  # the clip's note after the latest one's place in the clip's loop
            lag = ((last_onset - self.clip_end) // self.shift + 1) * self.shift
            if self._resume is not None:  # after the note a varied note replaced
                index, lag = self._resume[0] + 1, self._resume[1]
            else:
                earlier = self._index.get((last_onset - lag, self.pitches[-1]))
                index = (
                    earlier + 1
                    if earlier is not None and earlier < n
                    else self._after_place(last_onset - lag)
                )
            if index >= n:  # past the clip's end: its loop again from the start
                index, lag = start, lag + self.shift
            while full and self.onsets[index] + lag == last_onset:
                index += 1
                if index >= n:
                    index, lag = start, lag + self.shift
        onset = self.onsets[index] + lag
        phrase_end = ((onset - self.clip_end) // self.bar) % PHRASE_BARS == PHRASE_BARS - 1
        self._proposed = (onset, self.pitches[index])
        self._proposed_at = (index, lag)
        return Proposal(
            _offset_class(vocab.time_values, onset - last_onset),
            self.pitches[index],
            self.durations[index],
            self.velocities[index],
            cell_of(self.repetition, phrase_end, self.state),
            onset,
            self.levels[index],
            self.lengths[index],
        )


NO_PROPOSAL = Proposal(0, 0, 0, 0, 0, 0, 0, 0)
"""The fields :meth:`LoopRows.choose` reads for a row the loop proposes nothing to."""


def _offset_class(time_values: tuple[int, ...], ticks: int) -> int:
    """``Vocab.offset_class`` of one number, without numpy's cost per call (a note step)."""
    return min(max(bisect.bisect_right(time_values, ticks) - 1, 0), len(time_values) - 1)


@dataclass(frozen=True)
class LoopTable:
    """A model's loop: ``phi`` per cell of :data:`CELLS`, how often a repeated note takes
    another duration (``slip``) or velocity (``velocity_slip``), the ``strength`` the
    continuation keeps it with at memory 1, and ``phi`` by the notes before (``after``,
    per cell of :data:`STATE_CELLS`; empty in tables fitted before they were counted)."""

    phi: tuple[float, ...]
    slip: float
    velocity_slip: float
    strength: float
    after: tuple[float, ...] = ()

    def repeat_chance(self, memory: float, takes: bool = False) -> np.ndarray:
        """Per cell of :data:`STATE_CELLS`, the chance that generation repeats the loop at
        this memory setting, whatever the note before did: inside a phrase the loop is kept
        with the table's strength; in the last bar of a phrase, where producers vary, as
        often as in the material the loop was fitted on, or, when each take varies a beat
        of its own there (``takes``, ``segue.model.takes``), with the strength too."""
        power = np.where(PHRASE_END_CELLS & (not takes), 1.0, self.strength) * memory
        return 1.0 - np.power(1.0 - np.tile(np.asarray(self.phi), STATES), power)

    def likely(self, memory: float) -> np.ndarray:
        """Per cell of :data:`STATE_CELLS`, the chance that a note repeats the loop in the
        model a likelihood is measured with: the fitted rates by the notes before (``phi``
        after any, without them), at this memory setting; the strength, like top-p,
        shapes what generation draws and is left out."""
        rates = np.asarray(self.after if self.after else np.tile(self.phi, STATES))
        return 1.0 - np.power(1.0 - rates, memory)


def check_loop(
    phi: Iterable[float],
    slip: float,
    velocity_slip: float,
    strength: float,
    after: Iterable[float] = (),
) -> LoopTable | None:
    """A stored loop, checked: None (no loop) or a :class:`LoopTable`."""
    values = tuple(float(v) for v in phi)
    by_before = tuple(float(v) for v in after)
    if not values:
        return None
    s, v, k = float(slip), float(velocity_slip), float(strength)
    if (
        len(values) != CELLS
        or len(by_before) not in (0, STATE_CELLS)
        or not all(math.isfinite(x) and 0 < x < 1 for x in values + by_before)
        or not (0 <= s < 1 and 0 <= v < 1 and 0 < k <= 16)
    ):
        raise ValueError(
            f"a loop needs {CELLS} rates in (0, 1) (and none or {STATE_CELLS} by the notes "
            f"before), slips in [0, 1) and a strength in (0, 16], got {list(values)}, "
            f"{list(by_before)}, {s}, {v}, {k}"
        )
    return LoopTable(values, s, v, k, by_before)


@dataclass
class LoopChoice:
    """For each row of a batch: whether the loop proposes a note (``proposed``), whether
    the row repeats it (``repeat``), and the proposed fields (offset, pitch, duration,
    velocity classes); a row that answers in a bar where the loop starts no note
    (``answer``, see ``segue.model.takes``) plays a note of its own before the proposal,
    and repeats it only if it cannot answer (see :meth:`answering`)."""

    proposed: np.ndarray  # (rows,) bool
    repeat: np.ndarray  # (rows,) bool
    fields: np.ndarray  # (rows, 4) int64
    onsets: np.ndarray  # (rows,) int64: where the proposed notes would start (ticks)
    vary: np.ndarray  # (rows,) bool: the proposal's rhythm with another pitch (a take's turn)
    answer: np.ndarray  # (rows,) int64: where a row's answer begins (ticks), else -1
    levels: np.ndarray  # (rows,) int64: the proposed note's own velocity (1-127), else 0
    lengths: np.ndarray  # (rows,) int64: and its own duration (ticks), else 0
    held: np.ndarray  # (rows,) bool: the proposal is a backbone hit the loop keeps (``kept``)

    def answering(self, can: np.ndarray) -> np.ndarray:
        """The rows that answer, once told which ``can`` (the polyphony limit lets them):
        the others give up their answer; those that answer do not repeat the proposal."""
        self.answer[~can] = -1
        self.repeat &= self.answer < 0
        return self.answer >= 0

    def keeps(self) -> np.ndarray:
        """(rows,) the rows whose note is the loop's, or its rhythm: no other copy counts."""
        return self.repeat | self.vary


class LoopRows:
    """The loop of each variation of a batch while it is generated."""

    def __init__(
        self,
        histories: list[LoopHistory],
        chance: np.ndarray,
        table: LoopTable,
        turns: Turns | None = None,
        kept: tuple[frozenset[tuple[int, int]], ...] = (),
        one_level: Mapping[int, int] | None = None,
        kept_only: bool = False,
        programmed: Iterable[tuple[int, int]] = (),
        held: Iterable[tuple[int, int]] = (),
        late_kept: bool = True,
    ) -> None:
        self.histories = histories
        # a line answered late keeps its notes for sure (takes.Turns.keeps) at Memory 1 and
        # up; below it, as anywhere, Memory lets a take drop them
        self.late_kept = late_kept
        self.kept_only = kept_only  # the loop proposes its kept hits alone (drumming.anchors)
        self.one_level = np.array(sorted(one_level or {}), dtype=np.int64)  # one_level_pitches
        self._levels = np.zeros(128, dtype=np.int64)
        self._one_level = np.zeros(128, dtype=bool)  # one_level as a table: isin cost 0.1 ms a step
        self._one_level[self.one_level] = True
        for pitch, level in (one_level or {}).items():
            self._levels[pitch] = level
        # programmed_levels as a table of (place in the loop, pitch)
        first = histories[0] if histories else None
        self._loop = (first.clip_end - first.shift, first.shift) if first else (0, 0)
        self._programmed = np.zeros((max(self._loop[1], 1), 128), dtype=bool)
        for place, pitch in programmed:
            self._programmed[place, pitch] = True
        self._held_notes = np.zeros_like(self._programmed)  # held_notes, likewise
        for place, pitch in held:
            self._held_notes[place, pitch] = True
        self.chance = chance
        self.table = table
        self.turns = turns
        self.kept = kept  # per bar of a cycle from the clip's end, (place in the bar,
        # pitch): repeated always (a drum beat's backbone, segue.model.drumming)
        self._places = [sorted({place for place, _ in hits}) for hits in kept]

    def choose(
        self,
        live: np.ndarray,
        vocab: Vocab,
        rng: np.random.Generator,
        greedy: bool,
        full: np.ndarray | None = None,
    ) -> LoopChoice:
        rows = len(self.histories)
        proposals = self._proposals(live, vocab, full)
        proposed = np.array([p is not None for p in proposals], dtype=bool)
        # every row's proposal in one array (zeros for none), its fields read as columns:
        # made from one flat list (1 us a step less than from the rows' tuples)
        flat: list[int] = []
        for p in proposals:
            flat += NO_PROPOSAL if p is None else p
        table = np.array(flat, dtype=np.int64).reshape(rows, len(NO_PROPOSAL))
        fields, cells, onsets, levels, lengths = (
            table[:, :4],
            table[:, 4],
            table[:, 5],
            table[:, 6],
            table[:, 7],
        )
        held = np.zeros(rows, dtype=bool)
        if self.kept:
            held[:] = [p is not None and self._held(r, p) for r, p in enumerate(proposals)]
        chance = np.where(proposed, self.chance[cells], 0.0)
        chance[held] = 1.0  # a drum beat's backbone kept for sure, phrase ends too
        if self.kept_only:  # the others are the network's, as any note of its own
            proposed &= held
        if self.turns is None:
            draw = (chance > 0.5) if greedy else (rng.random(rows) < chance)
            vary = np.zeros(rows, dtype=bool)
            answer = np.full(rows, -1, dtype=np.int64)
        else:
            in_turn = proposed & self.turns.varies(onsets)
            if any_set(in_turn):  # (no row in its turn, most steps: none turned, in_turn)
                vary = self.turns.voices_turned(in_turn, onsets, fields[:, 1])
            else:
                vary = in_turn
            latest = np.array([h.onsets[-1] for h in self.histories], dtype=np.int64)
            answer = np.where(proposed, self.turns.answers(latest, onsets), -1)
            draw = (chance > 0.5) if greedy else (rng.random(rows) < chance)
            # a turned chord's other voices are the loop's: left to chance, a missed one
            # left the network's note alone for the bar (a G chord as one F3, helper-71)
            draw |= in_turn & ~vary
            if self.late_kept:  # a line answered late keeps its notes (takes.Turns.keeps)
                draw |= self._kept_late(proposed & ~vary & ~draw, onsets)
        return LoopChoice(
            proposed,
            proposed & ~vary & draw,
            fields,
            onsets,
            vary,
            answer,
            levels,
            lengths,
            held,
        )

    def _kept_late(self, left: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """Of the rows ``left`` (the loop proposes, they do not turn, and their draw did not
        repeat the proposal), those whose note at ``onsets`` (ticks) a line answered late
        keeps for sure (``Turns.keeps``). Asked only where a row is left: elsewhere its answer
        changes no row's repeat, and it draws nothing (``TurnPlaces.late`` reads a phrase's
        places, never its drawn turns), so asking it after the draw, or not at all, leaves
        every draw and every note as asking it first did (a trance gate's step repeats the
        loop in every take at most steps)."""
        if self.turns is None or not any_set(left):
            return left
        return left & self.turns.keeps(onsets)

    def _proposals(
        self, live: np.ndarray, vocab: Vocab, full: np.ndarray | None
    ) -> list[Proposal | None]:
        """Each row's proposal (:meth:`LoopHistory.proposal`; None for a row that is not
        ``live``), as plain Python: the fields of a dense loop's every step go into numpy
        once for all rows, not as a dozen tiny assignments per row (a trance gate's step)."""
        closed = [False] * len(self.histories) if full is None else full.tolist()
        return [
            history.proposal(vocab, shut) if is_live else None
            for history, is_live, shut in zip(self.histories, live.tolist(), closed, strict=True)
        ]

    def proposed_with(self, row: int) -> list[int]:
        """The other voices of the chord of ``row``'s latest proposal
        (:meth:`LoopHistory.proposed_with`)."""
        return self.histories[row].proposed_with()

    def own_latest(self) -> np.ndarray:
        """(rows,) whether each row's latest note after the clip was the network's own, not
        the loop's (``LoopHistory.state``)."""
        return np.array([bool(h.state & 1) for h in self.histories])

    def next_kept(self, last_onset: np.ndarray) -> np.ndarray:
        """(rows,) where each row's next backbone hit (``kept``) falls after its latest note
        (ticks); -1 with none. A drum take's own notes stay before it, so a variation does
        not run over the kick or the snare."""
        out = np.full(len(self.histories), -1, dtype=np.int64)
        if not any(self._places):
            return out
        cycle = len(self._places)
        for r, history in enumerate(self.histories):
            since = max(int(last_onset[r]) + 1 - history.clip_end, 0)
            bar, place = divmod(since, history.bar)
            while True:
                places = self._places[bar % cycle]
                at = bisect.bisect_left(places, place)
                if at < len(places):
                    out[r] = history.clip_end + bar * history.bar + places[at]
                    break
                bar, place = bar + 1, 0
        return out

    def _held(self, row: int, proposal: Proposal) -> bool:
        """Whether a proposal is a backbone hit the loop keeps in its bar (``kept``)."""
        history = self.histories[row]
        bar, place = divmod(proposal.onset - history.clip_end, history.bar)
        return (place, proposal.pitch) in self.kept[bar % len(self.kept)]

    def keeps_level(self, pitches: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether a repeat of each pitch at each onset (ticks) keeps the clip's
        velocity, whatever the slip: a pitch the loop plays at one level
        (:func:`one_level_pitches`), a note whose level is programmed
        (:func:`programmed_levels`)."""
        pitches = within(pitches, 0, 127)
        return self._one_level[pitches] | self._programmed[self._places_of(onsets), pitches]

    def keeps_length(self, pitches: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether a repeat of each pitch at each onset (ticks) keeps the clip's
        length, whatever the slip: a note the loop holds to the next or into it
        (:func:`held_notes`)."""
        return self._held_notes[self._places_of(onsets), within(pitches, 0, 127)]

    def _places_of(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) each onset's place in the loop (ticks from its start)."""
        start, loop = self._loop
        return (np.asarray(onsets) - start) % max(loop, 1)

    def level_of(self, pitches: np.ndarray) -> np.ndarray:
        """(rows,) the one velocity at which the clip's loop plays each pitch; 0 for a pitch
        it plays at several, or not at all."""
        return self._levels[within(pitches, 0, 127)]

    def slips(
        self, rows: int, rng: np.random.Generator, greedy: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Which rows keep the network's duration, and which its velocity, for a repeated
        note, each as often as the table says. A duration slips take by take: drawn once
        for all takes, a held note (a pad or a drone, the clip's one note) was cut short in
        every take at once, where now the other takes hold it. A velocity slips at the same
        step of every take: the network's heads are then asked for a velocity at one step in
        three (the producer's rate) rather than at most steps, where some take or other
        slips (a producer's request: 101 -> 90 ms); a velocity's slip changes how loud a note
        is, not what is played. The takes are alternatives, never heard together: each is
        drawn as before, only where their velocity slips fall is shared. ``greedy``
        (temperature 0): the likelier way each time, as :meth:`choose` draws (with slips
        rarer than half: none, so the loop plays as it is)."""
        if greedy:
            return np.full(rows, self.table.slip > 0.5), np.full(
                rows, self.table.velocity_slip > 0.5
            )
        draws = rng.random(rows + 1)
        return draws[:rows] < self.table.slip, np.full(rows, draws[rows] < self.table.velocity_slip)

    def push(
        self,
        onset: np.ndarray,
        pitch: np.ndarray,
        duration: np.ndarray,
        velocity: np.ndarray,
        live: np.ndarray,
        varied: np.ndarray | None = None,
    ) -> None:
        """Each live row's new note (``varied``: rows whose note varied the loop's)."""
        turned = [False] * len(live) if varied is None else varied.tolist()
        fields = (onset.tolist(), pitch.tolist(), duration.tolist(), velocity.tolist(), turned)
        notes = zip(self.histories, live.tolist(), *fields, strict=True)
        for history, is_live, at, p, d, v, turn in notes:
            if is_live:
                history.push(at, p, d, v, turn)
