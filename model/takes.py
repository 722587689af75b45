"""Where each take varies the loop: one eighth of the last bar of every phrase, more at a
section's end.

Four takes on a loop are worth having when each is the loop with a change of its
own. Left to chance, a note-by-note rate either keeps many takes identical to the
clip or changes several notes of every take (on the LMMS dev leads: 29% of takes the
clip again, against 25% of the real continuations, and 87% of what repeating the
clip gets right). So each take keeps the loop (at the loop's strength) everywhere but in
one :data:`TURN` (an eighth note) of the last bar of every 4-bar phrase, a different one
for each take while the bar has enough of them where the loop plays (else the bar before
lends its own: ``turn_kinds.TURN_BARS``). At the new clip's 8-bar marks the turn is half a
bar, at its 16-bar marks the whole last bar (:func:`turn_of`): a section ends with a bigger
change than a phrase, and the loop comes back after it. There the take
keeps the loop's rhythm (onsets, lengths, velocities) and the network plays other
pitches: a turn at the end of the phrase that leaves the groove where it was (of a chord,
:data:`TURNED_VOICES` of its upper voices, clear of the clashes the loop's chords do not
have and of intervals narrower than its voicing has at their register (:func:`wide_enough`),
above its bass and keeping its colour within the part's range: :meth:`TurnedVoicings.voicing`;
a chord with no such voicing of its own is no take's turn, and the takes turn the chords
before it; a turned voice above one that moved may keep its pitch, as in a voice exchange:
:meth:`ChordVoicings.exchanging`; of an arpeggio, first the chord it outlines at that beat:
:func:`outlined_chords`). A varied
note stays within an octave of the loop's note and on its side of the loop's middle
(:func:`turn_pitches`), so a turn leaves the part's register where it was too. Takes
that turn the same note (a bar with fewer places than takes: a pad struck once a bar)
each play a pitch of their own (:meth:`TakesApart.apart`): on the producer model's validation
windows the takes of chord parts differ more (diversity 0.22 -> 0.26), as do those of
basslines (0.22 -> 0.24), with the same F1. Of a chord, each take makes a chord of its own
there, and a take left none (a close 4-2 seventh has one voicing) turns the next chord of
its phrase too (:meth:`TakesApart._turn_again`). Where a phrase's last bars strike coloured chords
with no voicing of their own in the range (a close sus pad, a close Fm7/C stab), a take moves
one voice of the chord a step to another colour of the loop's key instead (a suspension to the
other or to the key's third, a seventh's fifth to its 11th or its seventh to its 6th:
:meth:`TurnPlaces.recolour_of`), and the takes' turns keep off the phrase's first bar.

A phrase whose last bar starts no note of the loop (a call and its rest, or a note
held through the bar) has no note to turn, and kept as it is every take would be the
clip again. There each take answers: the network plays a note in a turn of its own of
that bar, where the clip starts notes in its other bars, within an octave of the loop's
next note (a note that would still sound there stops where the answer begins; an arp's
answer plays the chord that sounded before the rest, and not the note it cut), and the
loop goes on after it; an answer plays on in the rhythm of the loop's bar that starts a
note where it begins, for half a bar (:meth:`AnswerCuts.figure`), a short figure that leaves
the rest of the bar silent (below -t 0.72, its first note alone: a take there is the loop
with one note of its own, and of a chord, a voice with a neighbour free:
:meth:`TurnedVoicings._coolrank_of`). Takes that answer at one place (a pad held through the bar)
each play a pitch of their own, of the loop's key, as near its next note as that lets them
(:func:`answer_pitches`). A line whose phrase's last bar starts no note in its second half (a
sub bass of whole notes, a call and its rest, a phrase's held last note) keeps its notes, its
harmony, in every draw (:meth:`TurnPlaces.keeps`), and each take answers in that half instead
(:meth:`TurnPlaces._rests_late`): turned, a take replaced one of a sub bass's few roots, in the
last bar or the bar before. So does a line's note held through the bar from before (a lead's
last note tied over the bar line), where the loop starts notes in its bars' second halves.
Where the takes answer there at fewer places than takes, each plays a pitch of its own
(:meth:`TakesSharing.answering_late`). A sparse bass (``turn_kinds.SPARSE``: a root on 1 and
its fifth on 3, an offbeat stab twice a bar) that rests after its phrase's last note keeps its
notes too, and each take adds a pickup in that rest, on a place of the clip's rhythm
(:meth:`TurnPlaces._pickups`): turned, a take replaced one of its few notes, a root in half of them.
The rng seed chooses the pickups' pitches among the good ones (:func:`pickup_pitches`: the
clip's own classes, the next root's fifth and octave, a step into it), so Generate pressed
again gives other ideas (:meth:`DrawnPitches.picking_up`). So does a lead's answer in its rest
(:meth:`DrawnPitches.answering_near`: the line's own pitches, a step from its next note, its tonic
chord's tones near where it sits, :func:`answer_pool`), as few of them as the takes at each
place need: a hook answering on beats 3 and 4 plays two pitches, each on both. So do a stab
loop's turned chords: their voicings among their clear ones that keep the chord
(:meth:`TurnedVoicings._plain_aim`, and a seventh chord's among its nearest:
:meth:`TurnedVoicings._aim_of`).
So does a line's turned note (:meth:`DrawnPitches.turning`): of :func:`turn_pitches`' pitches,
those of the clip's own classes, as many as the takes turning it need, in an order the rng
draws, first those that keep the line's contour (:mod:`segue.model.contour`).

The temperature a musician sets ("wilder", "safer") sets how long each turn is
(:func:`turn_for`: an eighth at 1, a sixteenth at 0.8 and below, up to the whole bar at 2)
and how many of a chord's voices it turns (:func:`voices_for`): the notes the network plays
itself on a loop are its turns, so a temperature that only shaped its draws there changed
nothing a musician heard in 4 of 10 requests at -t 1.3 (helper-99).

A part played in one fixed shape (a line doubled in octaves, power chords, an open fifth:
``segue.model.shapes``) is one line: its turns and answers are its roots' (the loop's
lowest voice), and the shape's other voices follow in parallel. Turned voice by voice, an
octave bass's takes put its upper voice on another chord tone (an A1 under C3) and a held
octave's answer was one note under the part while the upper voice rang on.

A left hand that breaks its chords (an Alberti bass, root-fifth-tenth) strikes its bass
where each bar or chord begins: no take turns it, and the notes after it stay over it
(``segue.model.broken_chords``); an arp in the middle or high register turns as any line.
A left hand of root, fifth and octave (C2 G2 C3 G2) keeps its roots so: its fifths are its
chords; and an oom-pah's bass struck alone under its chord (a waltz, a stride, a boom-chick;
in 6/8 on both of the bar's dotted-quarter beats) is kept as a chord's bass: the takes
re-voice the chords over it. A bass line that strikes a note alone on each bar's downbeat
(a root-fifth bass, a walking bass) keeps those roots on its chord changes, and its takes turn
the notes after them (a fifth, an octave, a passing note).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.answer_cuts import AnswerCuts
from segue.model.bar_classes import loop_classes
from segue.model.chord_clashes import ChordClashes
from segue.model.chord_voicings import ChordVoicings
from segue.model.drawn_pitches import DrawnPitches
from segue.model.loop import LoopHistory
from segue.model.loop_basses import LoopBasses
from segue.model.loop_reading import UNREAD, LoopReading, Unread, read_loop
from segue.model.part_span import span_at
from segue.model.take_records import (
    LoopNotes,
    LoopTimes,
    StruckChords,
    TakeDraws,
    TurnLengths,
    TurnsReading,
)
from segue.model.take_sharing import TakesSharing
from segue.model.takes_apart import TakesApart
from segue.model.turn_kinds import PartKind, phrase_turn, turn_reach
from segue.model.turn_pitch_memo import ArgumentsMemo
from segue.model.turn_pitches import turn_pitches
from segue.model.turn_places import TurnPlaces
from segue.model.turn_sizes import TURN
from segue.model.turned_voicings import TurnedVoicings
from segue.model.voicings import REACH, coloured


def _loop_notes(read: LoopReading) -> LoopNotes:
    """The ``read`` loop's notes besides their onsets, and what they play (``LoopNotes``,
    whose fields are the reading's own, by name)."""
    return LoopNotes(**{name: getattr(read, name) for name in LoopNotes._fields})


def _reaching_deep(
    read: LoopReading, rows: int, voicings: ChordVoicings, places: TurnPlaces
) -> bool:
    """Whether the takes' turns may lie further back than the phrase's last bars
    (``TurnPlaces.phrase``, ``TurnPlaces.reaching_back``): a coloured chord with no voicing of
    its own in the part's range, or plain chords with fewer clear voicings than ``rows``, or
    coloured chords whose voicings (or places with nothing to turn: a bass's downbeats) leave
    them further back."""
    return (
        not all(map(voicings.fits, read.chords.values()))
        or any(
            not coloured(chord) and voicings.voicings(chord, place) < rows
            for place, chord in read.chords.items()
        )
        or places.reaching_back()
    )


class Turns:
    """Each take's turn in every phrase after a clip, drawn when first needed: a
    :data:`TURN` where the loop plays (half a bar or a bar at a section's end:
    :func:`turn_of`), or in a phrase whose last bar starts no note of the loop, the place
    where the take answers (``AnswerCuts.answers``). Built of its parts, each a module of its
    own: the loop read once (:class:`LoopReading`, its basses :class:`LoopBasses`, its kind
    :class:`PartKind`, its classes by bar ``bar_classes.loop_classes``), its clashes
    (:class:`ChordClashes`) and its chords' voicings (:class:`ChordVoicings`), and each take's
    turns' places (:class:`TurnPlaces`), turned voices (:class:`TurnedVoicings`), drawn pitches
    (:class:`DrawnPitches`), answers (:class:`AnswerCuts`), the takes sharing a place
    (:class:`TakesSharing`) and the takes kept apart (:class:`TakesApart`), and the part's
    range at each place (``part_span.span_at``); its methods ask them."""

    def __init__(
        self,
        history: LoopHistory,
        rows: int,
        rng: np.random.Generator,
        turn: int = TURN,
        shape: tuple[int, ...] | None | Unread = UNREAD,
        pitch_reach: int = REACH,
        moved: int = 0,
        pulse: int = TICKS_PER_BEAT,
    ) -> None:
        """``shape``: the loop's fixed shape (``shapes.fixed_shape`` of the clip's notes in
        its last loop), where the caller has read it already; read here where not given.
        ``pitch_reach``: how far (semitones) a turned note moves first (:func:`reach_for`);
        narrower than :data:`REACH` (below -t 0.72), the takes are cool (:attr:`cool`).
        ``moved``: how far (semitones) the clip's pitches lie from where the musician played
        them (moved into the model's octave, ``segue.model.register``): a left hand's
        register is the musician's (``LoopBasses._broken``). ``pulse``: the meter's beat
        (ticks; a dotted quarter in 6/8), where an oom-pah strikes its basses
        (``broken_chords.chord_basses``)."""
        read = read_loop(history, shape)
        self.rows = rows
        self.pitch_reach = pitch_reach
        self.bar, self.shift, self.clip_end = read.bar, read.shift, read.clip_end
        self.shape, self.contour, self.middle, self.ways = (
            read.shape, read.contour, read.middle, read.ways
        )  # fmt: skip
        self.classes, self.key, self.span = read.classes, read.key, read.span
        self.stated, self.intervals = read.stated, read.intervals
        self._loop_basses = LoopBasses.of(read, moved, pulse)
        kind = PartKind.of(read, self._loop_basses, turn, pitch_reach, moved)
        self.cool, self.sparse, self.lead = kind.cool, kind.sparse, kind.lead
        self.keeps_chords = kind.keeps_chords
        loop = LoopTimes(bar=read.bar, shift=read.shift, clip_end=read.clip_end, onsets=read.onsets)
        chords = StruckChords(chords=read.chords, intervals=read.intervals, wide=read.wide)
        self._read_parts(read, loop, chords, turn)
        self._rng = rng
        # turn_pitches.turn_pitches, worked out once per request for each set of its
        # arguments (turn_pitch_memo); each request's copy its own
        self.turn_pitches = ArgumentsMemo(turn_pitches)
        draws = TakeDraws(rows=rows, rng=rng)
        reading = TurnsReading(read, kind, draws, loop, chords, _loop_notes(read))
        self._place_parts(reading, turn, pulse)
        self._take_parts(reading)

    def _read_parts(
        self, read: LoopReading, loop: LoopTimes, chords: StruckChords, turn: int
    ) -> None:
        """The parts read of the loop alone, shared by every request's copy of these turns
        (:meth:`_shared`): whether a turned or answering note clashes (:meth:`clashing`), the
        classes a varied note keeps to at each place (:meth:`classes_at`), and the voicings
        of the loop's ``chords`` a take's turn may play (their rooms, fits and clear voicings,
        clear of the same chords' clashes)."""
        line = StruckChords(
            chords=read.line_chords, intervals=read.line_intervals, wide=read.line_wide
        )
        self._clash = ChordClashes(loop, chords, line, pairs=read.pairs, outlined=read.outlined)
        self._classes = loop_classes(read)
        self._voicings = ChordVoicings(
            self.rows,
            turn=turn,
            keeps_chords=self.keeps_chords,
            span=read.span,
            altered=read.altered,
            lone=self._loop_basses.lone,
            classes=self._classes,
            clash=self._clash,
        )

    def _place_parts(self, reading: TurnsReading, turn: int, pulse: int) -> None:
        """The parts that draw with the takes' rng, each request's copy its own: where each
        take's turn of a phrase lies and how long it is (:class:`TurnPlaces`), and which
        voices of a chord each take turns and the pitches a turned voice may take
        (:class:`TurnedVoicings`), and how many takes turn or answer at one place
        (:class:`TakesSharing`, which asks both). ``turn``: the temperature's (ticks);
        ``pulse``: the meter's beat (ticks)."""
        read, kind, draws, loop, chords, notes = reading
        turns = TurnLengths(
            turn=turn,
            phrase_turn=phrase_turn(kind, read, turn, self._voicings),
            reach=turn_reach(turn, read.bar),
        )
        self._turn_places = TurnPlaces(
            draws, loop, turns, kind, chords, notes, pulse=pulse, voicings=self._voicings
        )
        self._turned_voicings = TurnedVoicings(
            draws,
            loop,
            turns,
            kind,
            chords,
            basses=self._loop_basses,
            voicings=self._voicings,
            places=self._turn_places,
        )
        self._sharing = TakesSharing(
            self.rows,
            loop,
            kind,
            intervals=read.intervals,
            voicings=self._voicings,
            turned=self._turned_voicings,
            places=self._turn_places,
        )

    def _take_parts(self, reading: TurnsReading) -> None:
        """The parts that keep each take's own, each request's copy its own: the pitches a
        line's turned notes, answers and pickups may take, ranked in an order the take's rng
        draws (:class:`DrawnPitches`), where each take's answer begins, its figure and the
        held note it cuts (:class:`AnswerCuts`), and which notes fall in each take's turn,
        and the pitches and chords the takes played there, kept apart (:class:`TakesApart`)."""
        read, kind, draws, loop, chords, notes = reading
        self._drawn = DrawnPitches(
            draws,
            loop,
            kind,
            notes,
            outlined=read.outlined,
            pitch_reach=self.pitch_reach,
            outlines=self._clash.outlines,
            places=self._turn_places,
        )
        self._answers = AnswerCuts(
            self.rows,
            loop,
            kind,
            chords,
            shape=read.shape,
            voicings=self._voicings,
            places=self._turn_places,
        )
        self._apart = TakesApart(
            self.rows,
            loop,
            deep=_reaching_deep(read, self.rows, self._voicings, self._turn_places),
            shape=read.shape,
            intervals=read.intervals,
            voicings=self._voicings,
            turned=self._turned_voicings,
            places=self._turn_places,
        )

    def drawing_with(self, rng: np.random.Generator) -> Turns:
        """These turns as they are, in a copy of their own that draws with ``rng``: turns
        made and never asked (making them draws nothing) serve every request for their clip
        (``take_loops.kept_turns`` keeps them: a trance gate's takes spent 13 ms of 215 making them
        again), each request's copy drawing and remembering its takes' own. What the copies
        work out of the loop alone, the same for every take and request (:meth:`_shared`),
        they share: a request's takes find it worked out already."""
        kept: dict[int, object] = {id(self._rng): rng}
        kept.update((id(memo), memo) for memo in self._shared())
        return copy.deepcopy(self, kept)

    def _shared(self) -> tuple[object, ...]:
        """The loop's classes by place (:class:`LoopClasses`), its chords' voicings
        (:class:`ChordVoicings`: their rooms, fits and clear intervals, with its memos) and its
        clashes (:class:`ChordClashes`, with its memos), which read the loop alone, never a
        take's draws or its notes so far."""
        return (self._classes, self._voicings, self._clash)

    def classes_at(self, onsets: np.ndarray) -> np.ndarray | None:
        """(rows, 12) bool: the pitch classes a varied note at each row's ``onsets`` (ticks)
        keeps to (``LoopClasses.at``), or None where the loop has none."""
        return self._classes.at(onsets)

    def keeps(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether the loop's note at each row's ``onsets`` (ticks) is kept for sure
        (``TurnPlaces.keeps``)."""
        return self._turn_places.keeps(onsets)

    def length(self, phrase: int) -> int:
        """How long (ticks) each take's turn of ``phrase`` is (``TurnPlaces.length``)."""
        return self._turn_places.length(phrase)

    def starts(self, phrase: int) -> np.ndarray:
        """(rows,) where each take's turn of ``phrase`` begins, in ticks after the clip's end;
        -1 where the takes answer in that bar (``TurnPlaces.starts``)."""
        return self._turn_places.starts(phrase)

    def sharing(self, onsets: np.ndarray, pitches: np.ndarray | None = None) -> np.ndarray:
        """(rows,) how many takes turn (or answer) at the place where each row's turn of the
        phrase of its ``onsets`` (ticks) lies; cool, of a chord loop's voice (the loop's
        ``pitches`` there), the takes there that turn that voice (``TakesSharing.sharing``)."""
        return self._sharing.sharing(onsets, pitches)

    def answering_late(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) how many takes answer where each row's note (at ``onsets``, ticks) begins
        its take's answer late, at either of fewer places than takes: all of them; else 0
        (``TakesSharing.answering_late``)."""
        return self._sharing.answering_late(onsets)

    def picking_up(self, onsets: np.ndarray, next_pitch: np.ndarray) -> np.ndarray:
        """(rows, 128) int: the ranks of the pitches a :attr:`sparse` line's pickup at each
        row's ``onsets`` (ticks) may take into the loop's ``next_pitch``
        (``DrawnPitches.picking_up``)."""
        return self._drawn.picking_up(onsets, next_pitch)

    def turning(self, onsets: np.ndarray) -> np.ndarray:
        """(rows, 128) int: the ranks of the pitches a line's note a take turns at each row's
        ``onsets`` (ticks; -1: none) may take (``DrawnPitches.turning``)."""
        return self._drawn.turning(onsets)

    def gives_back(self, onsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows,) the pitch of the loop's note each take plays again after its turn, and
        how many times in a row the loop strikes it (``DrawnPitches.gives_back``, of
        ``TakesApart.varies``)."""
        return self._drawn.gives_back(onsets, self._apart.varies)

    def answering_near(self, onsets: np.ndarray, next_pitch: np.ndarray) -> np.ndarray:
        """(rows, 128) int: the ranks of the pitches a :attr:`lead`'s answer in its rest at
        each row's ``onsets`` (ticks) may take into the loop's ``next_pitch``
        (``DrawnPitches.answering_near``)."""
        return self._drawn.answering_near(onsets, next_pitch)

    def previous(self, onsets: np.ndarray) -> np.ndarray:
        """(len(onsets),) the pitch of the loop's note struck last before each of ``onsets``
        (ticks) at its place in the loop (``DrawnPitches.previous``)."""
        return self._drawn.previous(onsets)

    def lone_bass(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) the bass the loop strikes alone at the place each of ``onsets`` (ticks)
        repeats (a left hand's downbeat, an oom-pah's 1), else -1 (``LoopBasses.lone_bass``)."""
        return self._loop_basses.lone_bass(onsets)

    def span_at(self, onsets: np.ndarray) -> np.ndarray | None:
        """(rows, 2): the lowest and highest pitch a note at each row's ``onsets`` (ticks) keeps
        to (``part_span.span_at``)."""
        return span_at(self.span, self._voicings, onsets)

    def chord_of(self, onsets: np.ndarray) -> list[np.ndarray | None]:
        """For each row, the loop's chord at the place of the loop that ``onsets`` (ticks)
        repeat, or None where the loop strikes one note (``ChordVoicings.chord_of``)."""
        return self._voicings.chord_of(onsets)

    def voiced_at(self, onsets: np.ndarray, pitches: np.ndarray) -> np.ndarray:
        """(rows,) whether the loop strikes a chord at the place each row's ``onsets`` (ticks)
        repeat with a voice of the row's ``pitches`` (``ChordVoicings.voiced_at``)."""
        return self._voicings.voiced_at(onsets, pitches)

    def voices_turned(
        self, in_turn: np.ndarray, onsets: np.ndarray, pitches: np.ndarray
    ) -> np.ndarray:
        """(rows,) of the rows ``in_turn`` (``TakesApart.varies``), those whose loop note (at
        ``onsets``, ticks, of ``pitches``) the take turns (``TurnedVoicings.voices_turned``)."""
        return self._turned_voicings.voices_turned(in_turn, onsets, pitches)

    def voicing(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, struck: np.ndarray,
        turning: bool = True,
    ) -> np.ndarray:  # fmt: skip
        """(len(rows), 128) int8: the pitches the turned or let-go voice of a chord loop's
        chord (of ``rows``, at ``onsets``, ticks, the loop's voice of ``loop_pitches``, over
        the take's notes ``struck`` there) keeps to (``TurnedVoicings.voicing``)."""
        return self._turned_voicings.voicing(rows, onsets, loop_pitches, struck, turning)

    def exchanging(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, struck: np.ndarray
    ) -> np.ndarray:
        """(len(rows),) bool: of the turned voices of a chord loop's chords, those that may
        keep their own pitch, a voice exchange (``ChordVoicings.exchanging``)."""
        return self._voicings.exchanging(rows, onsets, loop_pitches, struck)

    def varies(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether a note at each row's ``onsets`` (ticks) falls in its take's turn
        (``TakesApart.varies``)."""
        return self._apart.varies(onsets)

    @property
    def outlines(self) -> bool:
        """Whether :meth:`clashing` tells a turned note of this part the chord its bar
        outlines from the rest of the key (``ChordClashes.outlines``)."""
        return self._clash.outlines

    def clashing(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, sounding: np.ndarray
    ) -> np.ndarray | None:
        """(len(rows), 128) int8: the pitches a turned or answering note (of ``rows``, at
        ``onsets``) may take clear of a clash (``ChordClashes.clashing``), never the note
        its take's answer cut (``AnswerCuts.cut_pitch``)."""
        return self._clash.clashing(rows, onsets, loop_pitches, sounding, self._answers.cut_pitch)

    def chord_clashing(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, sounding: np.ndarray
    ) -> np.ndarray:
        """(len(rows), 128) int8: of a note struck where the loop strikes a chord, the
        pitches clear of a clash with what sounds there (``ChordClashes.chord_clashing``)."""
        return self._clash.chord_clashing(rows, onsets, loop_pitches, sounding)

    def figure(self, place: int) -> np.ndarray:
        """The places (ticks in the bar) of an answer that begins at ``place``
        (``AnswerCuts.figure``)."""
        return self._answers.figure(place)

    def answers(self, latest: np.ndarray, proposed: np.ndarray) -> np.ndarray:
        """(rows,) where each take's answer begins (ticks), or -1, of its ``latest`` note and
        the loop's next (at ``proposed``) (``AnswerCuts.answers``)."""
        return self._answers.answers(latest, proposed)

    def cut(
        self, onsets: np.ndarray, ends: np.ndarray, pitches: np.ndarray | None = None
    ) -> np.ndarray:
        """(rows,) where each row's note (from ``onsets`` to ``ends``, ticks; of ``pitches``)
        ends, cut where its take's answer begins (``AnswerCuts.cut``)."""
        return self._answers.cut(onsets, ends, pitches)

    def voice_answered(
        self, rows: np.ndarray, loop_pitch: np.ndarray, answering: np.ndarray
    ) -> np.ndarray:
        """(len(rows),) the pitch each of ``rows`` varies near: the loop's (``loop_pitch``),
        or the held chord's voice an ``answering`` take's answer cut
        (``AnswerCuts.voice_answered``)."""
        return self._answers.voice_answered(rows, loop_pitch, answering)

    def held_on(self, answering: np.ndarray, onsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """(rows,) the lengths (ticks) of the notes at ``onsets``, an ``answering`` row's held
        on where the note it cut would have ended (``AnswerCuts.held_on``)."""
        return self._answers.held_on(answering, onsets, lengths)

    def apart(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, pitches: np.ndarray,
        allowed: np.ndarray, redraw: Callable[[int, np.ndarray], int],
        struck: np.ndarray | None = None,
    ) -> np.ndarray:  # fmt: skip
        """``pitches`` (one per take) with each of ``rows`` on a pitch (and of a chord loop's
        chord, a chord) no other take has played for the same note, while its ``allowed``
        pitches leave one, drawn again by ``redraw`` (``TakesApart.apart``; ``onsets``,
        ``loop_pitches`` and ``struck`` as there)."""
        return self._apart.apart(rows, onsets, loop_pitches, pitches, allowed, redraw, struck)
