"""Where each take varies the loop: one eighth of the last bar of every phrase, more at a
section's end.

Four takes on a loop are worth having when each is the loop with a change of its
own. Left to chance, a note-by-note rate either keeps many takes identical to the
clip or changes several notes of every take (on the LMMS dev leads: 29% of takes the
clip again, against 25% of the real continuations, and 87% of what repeating the
clip gets right). So each take keeps the loop (at the loop's strength) everywhere but in
one :data:`TURN` (an eighth note) of the last bar of every 4-bar phrase, a different one
for each take while the bar has enough of them where the loop plays (else the bar before
lends its own: :data:`TURN_BARS`). At the new clip's 8-bar marks the turn is half a
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
(:meth:`Turns.answering_late`). A sparse bass (:data:`SPARSE`: a root on 1 and its fifth on
3, an offbeat stab twice a bar) that rests after its phrase's last note keeps its notes too,
and each take adds a pickup in that rest, on a place of the clip's rhythm
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
from segue.model.answer_pitches import tonic_chord
from segue.model.arpeggios import outlined_chords
from segue.model.broken_chords import bar_roots, broken_basses, chord_basses
from segue.model.chord_clashes import ChordClashes
from segue.model.chord_voicings import ChordVoicings
from segue.model.contour import contour_of
from segue.model.drawn_pitches import DrawnPitches
from segue.model.intervals import (
    SPANS,
    clear_pairs,
    intervals_of,
    narrowest_by_register,
    wide_enough,
)
from segue.model.key_lock import lock_key
from segue.model.key_spans import key_spans
from segue.model.keys import Key, altered
from segue.model.loop import PHRASE_BARS, LoopHistory
from segue.model.loop_chords import basses_of, chord_places
from segue.model.loop_classes import LoopClasses
from segue.model.shapes import fixed_shape, lowest_notes
from segue.model.takes_apart import TakesApart
from segue.model.tonic_votes import BASS_BELOW
from segue.model.turn_pitches import CHORDAL, line_key, sounded, ways_about
from segue.model.turn_places import TurnPlaces
from segue.model.turn_sizes import (
    AROUND,
    LONG_SECTION_BARS,
    SECTION_BARS,
    TURN,
    turn_of,
)
from segue.model.turned_voicings import TurnedVoicings
from segue.model.vocab import where_set
from segue.model.voices import ornaments
from segue.model.voicings import (
    REACH,
    coloured,
    rank_of,
)
from segue.notes import Note


class Unread:
    """What :class:`Turns` is given for a shape its caller has not read (it reads it)."""


UNREAD = Unread()

TURN_BARS = 2
"""The bars at a phrase's end where its takes' turns may lie: its last, and the one before
where the last has fewer places than takes. Every take turned a sparse lead's one note in
its last bar, each to a pitch of its own, and the phrase never ended on its F (0 of 40
phrase ends, helper-72). A turn of the whole bar (-t 2, :func:`turn_for`) may lie in any bar
of the phrase: with two bars for four takes, two takes turning one bar of a chord loop played
one chord (helper-99)."""
SPARSE = 2
"""How many notes a bar (on average over its loop) a sparse bass line (median under
``tonic_votes.BASS_BELOW``) starts at most: a root, and a fifth or a push (a root on 1 and its fifth
on 3, an offbeat stab twice a bar). Where it rests after its phrase's last note, its takes
keep every note and add a pickup there (:meth:`TurnPlaces._pickups`), as a bass player varies a
part of few notes: turned, one of them (its harmony, a root in half the takes) was another."""
STABS = 2
"""How many places a bar (on average over its loop) a chord loop strikes a chord (two notes
or more) at most and still turns an eighth at a phrase's end (:meth:`Turns.length`): a pad
struck once a bar, a chord and its push (on 1 and the "and" of 2), a 6/8 pad's two beats, a
waltz's two chords after its bass, where an eighth turns one chord of four to eight a phrase.
Struck more often (house stabs on the "and"s, 8th-note stabs, a trance gate of 16ths), an
eighth turned one stab of 16 to 64, and its takes were the loop but for a voice or two
(per-request diversity 0.06-0.08, 4 takes, 4 bars): they turn half a bar, as a section's
end does, and a keyboard player re-voices a run of stabs, not one (the whole bar where half
of it holds fewer than :data:`RUN`)."""
RUN = 4
"""How many stabs (on average) a take of a chord loop of stabs (:data:`STABS`) re-voices at
a phrase's end at least: half a bar of 8th stabs, a whole bar of house stabs on the "and"s.
Half a bar of those, two stabs, turned one voice each of a close Am7 (its one voicing in the
part's range), and the takes of a request were the loop but for two notes (per-request
diversity 0.118, 4 takes, 4 bars; Dm7-G7 stabs struck 3 times a bar 0.099)."""
SHARED_BAR = 2
"""How many takes a note of a section's turn (:func:`turn_of`) is counted as shared by
(:meth:`Turns.sharing`) where the turn has at least as many onsets as takes share it: they
differ over its notes, and two pitches of their own at each note beside the loop's are
enough for that. Counted as four, the side of the loop's middle was kept where it left
one chord tone beside the loop's, and the four takes on an arp in A minor played one and
the same bar 16 (C5 A4 A5 E5 for A4 C5 E5 A5). A turn with fewer onsets (a sub bass's two
notes, a lead's one) is counted by all its takes: with two pitches for four takes, two
takes on a lead's one note were one take."""


def _graces(onsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(n,) bool: which of a loop's notes (``onsets`` and ``lengths`` in ticks) are grace
    notes (``voices.ornaments``) of the note after them."""
    order = np.argsort(onsets, kind="stable")
    out = np.zeros(len(onsets), dtype=bool)
    out[order] = ornaments(onsets[order] / TICKS_PER_BEAT, lengths[order] / TICKS_PER_BEAT)
    return out


def _chords_at(places: np.ndarray, pitches: np.ndarray) -> dict[int, np.ndarray]:
    """The chords (their pitches, low to high) struck at ``places`` (ticks): two notes or
    more at one place, by place."""
    out = {}
    for place in np.unique(places):
        chord = np.sort(pitches[places == place])
        if len(chord) > 1:
            out[int(place)] = chord
    return out


def _loop_notes(onsets: np.ndarray, pitches: np.ndarray, lengths: np.ndarray) -> tuple[Note, ...]:
    """A loop's notes (``onsets`` and ``lengths`` in ticks) as notes in beats."""
    return tuple(
        Note(int(p), int(o) / TICKS_PER_BEAT, max(1, int(d)) / TICKS_PER_BEAT)
        for o, p, d in zip(onsets, pitches, lengths, strict=True)
    )


def _classes_of(key: Key | None) -> np.ndarray | None:
    """(12,) bool: the pitch classes of ``key``; None for none."""
    if key is None:
        return None
    out = np.zeros(12, dtype=bool)
    out[sorted(key.pitch_classes())] = True
    return out


class Turns:
    """Each take's turn in every phrase after a clip, drawn when first needed: a
    :data:`TURN` where the loop plays (half a bar or a bar at a section's end:
    :func:`turn_of`), or in a phrase whose last bar starts no note of the loop, the place
    where the take answers (``AnswerCuts.answers``). Where each turn lies and how long it is are
    the take's :class:`TurnPlaces`; what it plays there is worked out here."""

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
        register is the musician's (:meth:`_broken`). ``pulse``: the meter's beat (ticks; a
        dotted quarter in 6/8), where an oom-pah strikes its basses
        (``broken_chords.chord_basses``)."""
        self.rows = rows
        self.pitch_reach = pitch_reach
        # below -t 0.72 each take is the loop with one note of its own: an answer is one
        # note (AnswerCuts.figure), a chord's turned voice the one with a near pitch
        # (TurnedVoicings.turned_ranks)
        self.cool = pitch_reach < AROUND
        self.bar = history.bar
        self.shift = history.shift
        self.clip_end = history.clip_end
        # the bars at a phrase's end where its turns may lie (TurnPlaces.reach): a whole
        # bar's turns (-t 2) in any of the phrase's, each take its own bar while there are
        # enough
        reach = PHRASE_BARS if turn >= self.bar else TURN_BARS
        start = self.clip_end - self.shift
        onsets = np.asarray(history.onsets[: history.clip_notes], dtype=np.int64)
        pitches = np.asarray(history.pitches[: history.clip_notes], dtype=np.int64)
        in_loop = onsets >= start
        # a line in a fixed shape (octaves, power chords): its turns and answers are its
        # root's, and the shape follows (segue.model.shapes)
        self.shape = (
            fixed_shape(onsets[in_loop], pitches[in_loop]) if isinstance(shape, Unread) else shape
        )
        if self.shape is not None:
            roots = lowest_notes(onsets[in_loop], pitches[in_loop])
            in_loop[where_set(in_loop)[~roots]] = False
        self._loop = onsets[in_loop] - start  # the loop's onsets, from its start
        self._pitches = pitches[in_loop]  # and their pitches (previous)
        # a line's widest step and longest run of one pitch: its turned notes' (gives_back)
        self.contour = contour_of(self._pitches)
        # the loop's median pitch: varied notes stay on their side of it (turn_pitches)
        self.middle = float(np.median(pitches[in_loop])) if in_loop.any() else 60.0
        self.ways = ways_about(pitches[in_loop], self.middle)
        # a chord loop's pitch classes, a line's key (turn_pitches), and the loop's span
        self.classes: np.ndarray | None = None
        self.key: np.ndarray | None = None  # the loop's key (lock_key): an answer's classes
        # a chord loop's classes out of its key (keys.altered): a plain chord's third there
        # is held (ChordVoicings.held_rank)
        self._altered = np.zeros(12, dtype=bool)
        self.span = (
            (int(pitches[in_loop].min()), int(pitches[in_loop].max())) if in_loop.any() else None
        )
        tonic = np.zeros(12, dtype=bool)  # a line's tonic chord (answer_pool)
        # the pitch classes the loop plays: a sparse bass's pickups' (pickup_pitches)
        self.stated = np.zeros(12, dtype=bool)
        self.stated[np.unique(pitches[in_loop] % 12)] = True
        _, struck = np.unique(onsets[in_loop], return_counts=True)
        self.intervals: np.ndarray | None = None  # a chord loop's (consonant_with)
        self._wide: np.ndarray | None = None  # and how wide they are by register
        self._chords: dict[int, np.ndarray] = {}  # its chords, by place in the loop
        # a line's chords (two notes or more struck together: a ballad's right hand over its
        # broken left hand), by place, and the intervals and spread the line sounds
        line_chords: dict[int, np.ndarray] = {}
        line_intervals = np.zeros(SPANS, dtype=bool)
        line_wide: np.ndarray | None = None
        # the pairs of pitches clear of a semitone the loop (or the line's chords) lacks
        # and of mud (clear_pairs): a turn's at 1 or more (chord_clashing, ChordVoicings.clear_rows)
        self._pairs: np.ndarray | None = None
        self._basses = basses_of(self._loop, pitches[in_loop])  # every loop's (voices_turned)
        self._outlined: dict[int, np.ndarray] = {}  # a line's arpeggios, by beat
        # a low line's broken chords (a left hand): the bass under each of its places, and
        # the places that strike it alone (_broken)
        self._floor: dict[int, int] = {}
        self._lone: set[int] = set()
        # the clip's notes' lengths in ticks (not the model's duration classes: a key weighs
        # each pitch by how long it sounds)
        lengths = np.asarray(history.lengths[: history.clip_notes], dtype=np.int64)
        # the classes a line plays only as grace notes out of its key (a chromatic D#
        # before an E, not a C major lead's A before its G): no answer's (answering_near)
        graces = _graces(self._loop, lengths[in_loop])
        ornamental = np.zeros(12, dtype=bool)
        ornamental[self._pitches[graces] % 12] = True
        ornamental[self._pitches[~graces] % 12] = False
        loop_ends = self._loop + lengths[in_loop]  # where the loop's notes stop (TurnPlaces)
        whole: Key | None = None  # a line's key, read once (line_key)
        if len(struck) and np.count_nonzero(struck > 1) >= CHORDAL * len(struck):
            self.classes = self._chord_classes(pitches[in_loop])
            ticks = lengths[in_loop]
            self.intervals = intervals_of(self._loop, self._loop + ticks, pitches[in_loop])
            self._wide = wide_enough(
                narrowest_by_register(self._loop, self._loop + ticks, pitches[in_loop])
            )
            self._pairs = clear_pairs(self.intervals, self._wide)
            self._chords = _chords_at(self._loop, pitches[in_loop])
            chords = _loop_notes(self._loop, pitches[in_loop], ticks)
            read_chords = lock_key(chords, self.bar / TICKS_PER_BEAT)
            self.key = _classes_of(read_chords)
            self._altered[sorted(altered(read_chords))] = True
        elif in_loop.any():
            notes = _loop_notes(self._loop, pitches[in_loop], lengths[in_loop])
            # at their places in the loop: where it opens and ends says its tonic
            read = lock_key(notes, self.bar / TICKS_PER_BEAT)  # from the loop's bars
            self.key = _classes_of(read)
            if read is not None:  # a grace in the scale is a scale note: an answer's
                ornamental[sorted(read.pitch_classes() - read.extra)] = False
            whole = line_key(sounded(notes, self.shape), read) if read is not None else None
            self.classes = _classes_of(whole)
            tonic = tonic_chord(whole or read)  # a lead's answers' chord (answer_pool)
            self._outlined = outlined_chords(self._loop, pitches[in_loop], self.bar, self.shift)
            if self.shape is None:  # a shape's root line is the shape's (segue.model.shapes)
                self._broken(pitches[in_loop], moved)
            line_chords = _chords_at(self._loop, pitches[in_loop])
            if line_chords:
                ends = self._loop + lengths[in_loop]
                # as they sound where it strikes them: a ballad's left hand broken in 8ths
                # passes a G#3 under the right hand's G4 once, and its takes' let-go voices
                # struck F#4 over the G chord's G2, a major seventh the chords never sound
                struck_at = np.array(sorted(line_chords))
                line_intervals = intervals_of(self._loop, ends, pitches[in_loop], struck_at)
                line_wide = wide_enough(narrowest_by_register(self._loop, ends, pitches[in_loop]))
                self._pairs = clear_pairs(line_intervals, line_wide)
        if self.shape is None:  # an oom-pah's bass, struck alone under its chord
            for at, bass in chord_basses(
                self._loop, pitches[in_loop], self.bar, self.shift, moved, pulse
            ).items():
                self._basses.setdefault(at, bass)
                self._lone.add(at)
        # whether a turned or answering note clashes (clashing): read of the loop alone,
        # and shared by every request's copy of these turns (_shared)
        self._clash = ChordClashes(
            self.bar,
            self.shift,
            self.clip_end,
            self.intervals,
            self._wide,
            self._chords,
            line_chords,
            line_intervals,
            line_wide,
            self._pairs,
            self._outlined,
        )
        # the classes of each bar of the loop's (its key's where the loop changes key) and,
        # of a line, the notes out of its scale that the loop plays at each place
        bar_classes, passing = (
            self._in_keys(pitches[in_loop], self.intervals is None, lengths[in_loop], whole)
            if self.classes is not None
            else (np.zeros((0, 12), dtype=bool), {})
        )
        # the classes a varied note keeps to at each place (classes_at): read of the loop
        # alone, and shared by every request's copy of these turns (_shared)
        self._classes = LoopClasses(
            self.classes, bar_classes, passing, self.bar, self.shift, self.clip_end
        )
        positions = np.unique(self._loop % self.bar)  # where in a bar the loop starts notes
        answers = positions[np.diff(positions // turn, prepend=-1) > 0]  # 1st a turn
        bars = -(-self.shift // self.bar)
        # a bass line of one or two notes a bar (SPARSE), as the musician played it: its
        # phrase's end keeps them and adds a pickup (TurnPlaces._pickups); a sparse lead
        # turns its notes
        self.sparse = (
            self.intervals is None
            and self.middle - moved < BASS_BELOW
            and 0 < len(np.unique(self._loop)) <= SPARSE * bars
        )
        # a line over the bass's register (a lead): its answers in its rests the rng's
        # choice near the line (answering_near)
        self.lead = self.intervals is None and self.middle - moved >= BASS_BELOW
        # a chord loop that strikes chords (two notes or more; an oom-pah's lone bass is no
        # stab) more than STABS times a bar (stabs, a gate): a phrase's end turns half a bar
        # of them, as a section's end does (length)
        strikes = int(np.count_nonzero(chord_places(self._loop, lengths[in_loop])))
        stabs = self.intervals is not None and strikes > STABS * bars
        phrase_turn = turn_of(SECTION_BARS // PHRASE_BARS - 1, self.bar, turn) if stabs else turn
        # and its turns keep each chord (voicings.same_chord): a run of stabs turned to
        # another chord is another harmony for half a bar, not a neighbour chord struck once
        # (cool, a take turns one note of one stab: a neighbour, as a pad's turn; an
        # oom-pah's close chords between its lone basses have a voicing or two of their
        # own, and the takes of a 6/8 oom-pah's requests came out alike: as before)
        self.keeps_chords = stabs and not self.cool and not self._lone
        # the voicings of the loop's chords a take's turn may play (their rooms, fits and
        # clear voicings): read of the loop alone, and shared by every request's copy of
        # these turns (_shared)
        self._voicings = ChordVoicings(
            rows,
            turn,
            self.span,
            self._wide,
            self.keeps_chords,
            self._altered,
            self._chords,
            self._lone,
            self.intervals,
            self._pairs,
            self._classes,
            self._clash,
        )
        # a run of RUN stabs at least: the whole bar where half a bar holds fewer (house
        # stabs on the "and"s), as a section's end's, where every chord turns in the range
        # (a close G7/D with no voicing of its own there leaves a Dm7-G7 stab's takes one
        # bar to turn: half bars, as before)
        if (
            self.keeps_chords
            and strikes < 2 * RUN * bars
            and all(map(self._voicings.fits, self._chords.values()))
        ):
            phrase_turn = turn_of(LONG_SECTION_BARS // PHRASE_BARS - 1, self.bar, turn)
        self._rng = rng
        # where each take's turn of a phrase lies and how long it is, drawn by the take's
        # rng when first asked (TurnPlaces): each request's copy of these turns draws its own
        self._turn_places = TurnPlaces(
            rows,
            rng,
            self.bar,
            self.shift,
            self.clip_end,
            turn,
            phrase_turn,
            reach,
            self._loop,
            loop_ends,
            answers,
            self.sparse,
            pulse,
            self.intervals,
            self._chords,
            self.key,
            self.span,
            self._voicings,
        )
        # which voices of a chord each take turns and the pitches a turned voice may take,
        # by the take's rng and its turns' places (TurnedVoicings): each copy draws its own
        self._turned_voicings = TurnedVoicings(
            rows,
            rng,
            turn,
            self.cool,
            self.keeps_chords,
            self.intervals,
            self.span,
            self._wide,
            self.bar,
            self.shift,
            self.clip_end,
            self._basses,
            self._floor,
            self._voicings,
            self._classes,
            self._turn_places,
        )
        # the pitches a line's turned notes, answers and pickups may take, ranked in an
        # order the take's rng draws (DrawnPitches): each copy draws its own
        self._drawn = DrawnPitches(
            rows,
            rng,
            self.bar,
            self.shift,
            self.clip_end,
            self._loop,
            self._pitches,
            self.stated,
            self.key,
            ornamental,
            tonic,
            self.middle,
            self._outlined,
            self.span,
            pitch_reach,
            self.sparse,
            self.lead,
            self._clash.outlines,
            self._turn_places,
        )
        # a coloured chord with no voicing of its own in the part's range, or plain chords
        # with fewer clear voicings than takes, or coloured chords whose voicings (or places
        # with nothing to turn: a bass's downbeats) leave the takes' turns further back than
        # the phrase's last bars: they may lie there (TurnPlaces.phrase, TurnPlaces.reaching_back)
        deep = (
            not all(map(self._voicings.fits, self._chords.values()))
            or any(
                not coloured(chord) and self._voicings.voicings(chord, place) < rows
                for place, chord in self._chords.items()
            )
            or self._turn_places.reaching_back()
        )
        # where each take's answer begins, its figure and the held note it cuts (AnswerCuts):
        # each copy keeps its own
        self._answers = AnswerCuts(
            rows,
            self.bar,
            self.shift,
            self.clip_end,
            self.cool,
            self.shape,
            self.intervals,
            self._chords,
            self._loop,
            self.sparse,
            self._voicings,
            self._turn_places,
        )
        # which notes fall in each take's turn, and the pitches and chords the takes played
        # there, kept apart (TakesApart): each copy keeps its own
        self._apart = TakesApart(
            rows,
            self.bar,
            self.clip_end,
            deep,
            self.shape,
            self.intervals,
            self._voicings,
            self._turned_voicings,
            self._turn_places,
        )

    def drawing_with(self, rng: np.random.Generator) -> Turns:
        """These turns as they are, in a copy of their own that draws with ``rng``: turns
        made and never asked (making them draws nothing) serve every request for their clip
        (``generate`` keeps them: a trance gate's takes spent 13 ms of 215 making them
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

    def _broken(self, pitches: np.ndarray, moved: int) -> None:
        """A low line's broken chords' basses (``broken_chords.broken_basses`` of its notes'
        ``pitches`` at ``self._loop``, ``moved`` from where the musician played them): each a
        bass a turn keeps (``TurnedVoicings.bass_of``), which the notes after it in its span stay
        over (:meth:`voicing`); a place that strikes its bass alone is no take's turn
        (``ChordVoicings.fits``): it would turn nothing. A take's turn moved
        a broken left hand's downbeat to another note of its chord (D3 or B2 for the G
        chord's G2: 60 of 512 downbeats of helper-114's broken_lh, rng seeds 1-8, 4 takes of
        16 bars), the bar heard in inversion; a left hand of root, fifth and octave, two
        fifths a bar (C2 G2 C3 G2, G2 D3 G3 D3), outlined no triad, and its takes moved 112
        of 1024 of its basses. A bass line that strikes a note alone on every bar's downbeat
        keeps those notes, its roots (``broken_chords.bar_roots``), and turns the notes after
        them: a root-fifth bass in half notes (Am F C G) had a take turn a root in 16 of 32
        takes (rng seeds 1-8, 4 bars), the bar then heard over another chord."""
        places = np.unique(self._loop)
        for at, (bass, end) in broken_basses(
            self._loop, pitches, self.bar, self.shift, moved
        ).items():
            self._basses.setdefault(at, bass)
            if len(np.unique(pitches[self._loop == at])) == 1:
                self._lone.add(at)
            inside = ((places >= at) & (places < end)) | (places < end - self.shift)
            for place in places[inside].tolist():
                self._floor[int(place)] = bass
        # a bass line's roots on its bars' downbeats: the notes after them turn, they stay
        for at, root in bar_roots(
            self._loop, pitches - moved, self.bar, self.shift, BASS_BELOW
        ).items():
            self._basses.setdefault(at, root + moved)
            self._lone.add(at)

    def _chord_classes(self, pitches: np.ndarray) -> np.ndarray:
        """(12,) bool: a chord loop's pitch classes (of its notes' ``pitches``)."""
        out = np.zeros(12, dtype=bool)
        out[np.unique(pitches % 12)] = True
        return out

    def _in_keys(
        self, pitches: np.ndarray, line: bool, lengths: np.ndarray, whole: Key | None = None
    ) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Each bar's classes of the loop, (bars, 12) bool, and of a ``line`` the classes out
        of them that the loop plays at each place (place -> (12,) bool), for
        :class:`LoopClasses` (:meth:`classes_at`). The loop's notes are ``pitches`` at
        ``self._loop``, ``lengths`` ticks long. Where the loop changes key (:func:`key_spans`)
        a bar's classes are those of the run of bars it lies in (a chord loop's own there, a
        line's key there), else the whole loop's; of a ``line``, its key's scale alone (the
        whole loop's: ``whole``, read once for it)."""
        count = max(1, -(-self.shift // self.bar))
        bar_of = self._loop // self.bar
        spans = key_spans([set((pitches[bar_of == b] % 12).tolist()) for b in range(count)])
        bar_classes = np.zeros((count, 12), dtype=bool)
        passing: dict[int, np.ndarray] = {}
        for span in spans or [list(range(count))]:
            inside = np.isin(bar_of, span)
            if not line:
                classes = self._chord_classes(pitches[inside])
            elif not spans:  # the whole loop, whose key is read already
                classes = np.zeros(12, dtype=bool)
                if whole is not None:
                    classes[sorted(whole.pitch_classes() - whole.extra)] = True
            else:
                at = (bar_of[inside] - span[0]) % count * self.bar + self._loop[inside] % self.bar
                key = line_key(  # the run's notes, from its first bar, as they sound
                    sounded(_loop_notes(at, pitches[inside], lengths[inside]), self.shape),
                    bar=self.bar / TICKS_PER_BEAT,
                )
                classes = np.zeros(12, dtype=bool)
                if key is not None:  # its scale's, without the line's notes out of it
                    classes[sorted(key.pitch_classes() - key.extra)] = True
            bar_classes[span] = classes
        if line:
            for place in np.unique(self._loop).tolist():
                out = np.zeros(12, dtype=bool)
                played = pitches[self._loop == place] % 12
                out[played[~bar_classes[place // self.bar][played]]] = True
                if out.any():
                    passing[place] = out
        return bar_classes, passing

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
        phrase of its ``onsets`` (ticks) lies: more than one where the bar has fewer places
        than takes (``TakesApart.apart`` gives each a pitch of its own while it can). Cool
        (:attr:`cool`), of a chord loop's voice (the loop's ``pitches`` there), the takes
        there that turn that voice (``TurnedVoicings._coolrank_of``): takes on its other voices
        differ already, and counted, they asked the voice for pitches it had only an octave off."""
        after = np.maximum(np.asarray(onsets, dtype=np.int64) - self.clip_end, 0)
        phrase = after // (PHRASE_BARS * self.bar)
        out = np.ones(self.rows, dtype=np.int64)
        for p in set(phrase.tolist()):
            starts, _ = self._turn_places.phrase(p)
            rows = phrase == p
            out[rows] = (starts[None, :] == starts[rows][:, None]).sum(axis=1)
            turn = self._turn_places.length(p)
            if turn > self._turn_places.phrase_turn:  # a section's end: takes differ over its notes
                struck = np.array([self._turn_places.struck(int(at), turn) for at in starts[rows]])
                out[rows] = np.where(
                    struck >= out[rows], np.minimum(out[rows], SHARED_BAR), out[rows]
                )
        if self.cool and pitches is not None and self.intervals is not None:
            self._voice_sharing(out, np.asarray(onsets, dtype=np.int64), pitches)
        return out

    def answering_late(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) how many takes answer where each row's note (at ``onsets``, ticks) begins
        its take's answer late (``TurnPlaces.late_starts``), at either of fewer places than takes:
        all of them, each with a pitch of its own (:func:`answer_pitches`); else 0. Kept
        apart only at each place, the four takes on a drone, a sub bass's held root or its
        whole notes answered with two pitches on beats 3 and 4."""
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        out = np.zeros(self.rows, dtype=np.int64)
        for p in set((np.maximum(after, 0) // (PHRASE_BARS * self.bar)).tolist()):
            out[(after >= 0) & self._turn_places.late_starts(after, p)] = self.rows
        return out

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

    def _voice_sharing(self, out: np.ndarray, onsets: np.ndarray, pitches: np.ndarray) -> None:
        """:meth:`sharing` (``out``, changed in place) of the rows at a chord's voice (the
        loop's ``pitches`` at ``onsets``, ticks): the takes there that turn that voice."""
        phrase = np.maximum(onsets - self.clip_end, 0) // (PHRASE_BARS * self.bar)
        for r, chord in enumerate(self.chord_of(onsets)):
            if chord is None or int(pitches[r]) not in chord or onsets[r] < self.clip_end:
                continue
            p = int(phrase[r])
            starts, answer = self._turn_places.phrase(p)
            if answer:
                continue
            rank = rank_of(chord, int(pitches[r]))
            peers = where_set(starts == starts[r]).tolist()
            on = sum(
                rank in self._turned_voicings.turned_ranks(chord, p, q, int(onsets[r]))
                for q in peers
            )
            out[r] = min(int(out[r]), max(1, on))

    def lone_bass(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) the bass the loop strikes alone at the place each of ``onsets`` (ticks)
        repeats (a left hand's downbeat, an oom-pah's 1: :meth:`_broken`,
        ``broken_chords.chord_basses``), else -1."""
        place = (np.asarray(onsets, dtype=np.int64) - self.clip_end) % self.shift
        if not self._lone:  # most loops: none
            return np.full(len(place), -1, dtype=np.int64)
        return np.array(
            [self._basses[p] if p in self._lone else -1 for p in place.tolist()], dtype=np.int64
        )

    def span_at(self, onsets: np.ndarray) -> np.ndarray | None:
        """(rows, 2): the lowest and highest pitch a note at each row's ``onsets`` (ticks) keeps
        to (:data:`BEYOND` past them): the loop's :attr:`span`, or where the loop strikes a
        seventh over its seventh there, up to its root on top (``voicings.chord_span``: a close
        Cmaj7/B's turned G4 went to B4, a major seventh over its C4, where C5 was clear; each
        chord's worked out once, with its rooms: ``ChordRooms.span``)."""
        if self.span is None:
            return None
        chords = self.chord_of(onsets)
        return np.array(
            [self.span if c is None else self._voicings.rooms_of(c, self.span).span for c in chords]
        )

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
