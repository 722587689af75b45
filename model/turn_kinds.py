"""What kind of part a clip's loop is, for its takes' turns (:class:`PartKind`): a sparse bass
(:data:`SPARSE`), a lead, a chord loop of stabs (:data:`STABS`) whose turns keep each chord,
and the takes' temperature (cool); and of it, how long a turn at a phrase's end is
(:func:`phrase_turn`: half a bar or a bar of stabs, :data:`RUN`) and in which of its bars the
turns may lie (:data:`TURN_BARS`). Read of the loop alone: it draws nothing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.chord_voicings import ChordVoicings
from segue.model.loop import PHRASE_BARS
from segue.model.loop_basses import LoopBasses
from segue.model.loop_chords import chord_places
from segue.model.loop_reading import LoopReading
from segue.model.tonic_votes import BASS_BELOW
from segue.model.turn_sizes import AROUND, LONG_SECTION_BARS, SECTION_BARS, TURN, turn_of
from segue.model.voicings import coloured

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
or more) at most and still turns an eighth at a phrase's end (:meth:`TurnPlaces.length`): a pad
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

HELD_BARS = 2
"""How many bars a take's turn of a pad of plain chords (``PartKind.held``) reaches at a
phrase's end (:func:`phrase_turn`): the chord it begins on, re-voiced, and those of the bar
after in the phrase, each re-voiced or kept by the take's rng
(``TurnedVoicings.held_keeps``), as a keyboard player varies a pad over a two-bar phrase,
not one chord. One chord re-voiced a take, a close triad near the top of its part's range has
two or three voicings there (a close F under an E4 top: F3 A3 F4, F3 C4 F4), and the takes
of 6 requests were 7 to 14 of 24 (Am F C G, a C held, Dm Bb C in half notes: helper-312)."""


SUSTAINED = TICKS_PER_BEAT
"""How long (ticks, its notes' median) a pad's chords sound at least for its takes to
re-voice them as a held pad's, their top voice free to rise a fourth past the loop's
(``PartKind.sustained``, ``voicings.opened_span``): a beat. Whole and half notes are a pad a
keyboard player re-voices; a stab struck once a bar (a 16th) keeps its part's range."""


MIDDLE_C = 60
"""The pitch over which a pad held a beat or longer (:data:`SUSTAINED`) whose every voice
lies (as the musician played it) is a high pad (``PartKind.high``): its lowest voice over middle C,
in a keyboard player's right hand, not the track's bass, so its takes may re-voice its chords
as inversions (``voicings.inversions``), down under its top as readily as up. Kept to its
bass, an Am F C G pad at A4 C5 E5 had no plain re-voicing of its C/G (G4 C5 E5) within a
fourth over its top, nor of its G but G4 B4 G5, and 73 of its 133 turned chords were coloured
(rng seeds 1-24)."""


@dataclass(frozen=True)
class PartKind:
    """What kind of part a loop is (:meth:`of`): ``cool``, its takes each the loop with one
    note of their own; ``sparse``, a bass of few notes; ``lead``, a line over the bass's
    register; ``stabs``, a chord loop struck more than :data:`STABS` times a bar, ``strikes``
    times in all over its ``bars``; ``keeps_chords``, whose turns keep each chord; ``held``, a
    pad's held chords, whose turned chords keep each chord too; ``sustained``, a pad whose
    chords sound :data:`SUSTAINED` or longer; ``high``, of those, one whose lowest voice lies
    over :data:`MIDDLE_C`."""

    cool: bool
    sparse: bool
    lead: bool
    stabs: bool
    strikes: int
    bars: int
    keeps_chords: bool
    held: bool = False
    sustained: bool = False
    high: bool = False

    @classmethod
    def of(
        cls, read: LoopReading, basses: LoopBasses, turn: int, pitch_reach: int, moved: int
    ) -> PartKind:
        """The kind of the ``read`` loop (with its ``basses``), whose takes turn ``turn``
        ticks and move a turned note ``pitch_reach`` semitones first (narrower than
        ``voicings.REACH``, below -t 0.72: cool), its pitches ``moved`` semitones from where
        the musician played them."""
        # below -t 0.72 each take is the loop with one note of its own: an answer is one
        # note (AnswerCuts.figure), a chord's turned voice the one with a near pitch
        # (TurnedVoicings.turned_ranks)
        cool = pitch_reach < AROUND
        bars = -(-read.shift // read.bar)
        line = read.intervals is None
        # a bass line of one or two notes a bar (SPARSE), as the musician played it: its
        # phrase's end keeps them and adds a pickup (TurnPlaces._pickups); a sparse lead
        # turns its notes
        sparse = (
            line
            and read.middle - moved < BASS_BELOW
            and 0 < len(np.unique(read.onsets)) <= SPARSE * bars
        )
        # a line over the bass's register (a lead): its answers in its rests the rng's
        # choice near the line (answering_near)
        lead = line and read.middle - moved >= BASS_BELOW
        # a chord loop that strikes chords (two notes or more; an oom-pah's lone bass is no
        # stab) more than STABS times a bar (stabs, a gate): a phrase's end turns half a bar
        # of them, as a section's end does (phrase_turn)
        strikes = int(np.count_nonzero(chord_places(read.onsets, read.lengths)))
        stabs = not line and strikes > STABS * bars
        # and its turns keep each chord (voicings.same_chord): a run of stabs turned to
        # another chord is another harmony for half a bar, not a neighbour chord struck once
        # (cool, a take turns one note of one stab: a neighbour, as a pad's turn; an
        # oom-pah's close chords between its lone basses have a voicing or two of their
        # own, and the takes of a 6/8 oom-pah's requests came out alike: as before)
        keeps_chords = stabs and not cool and not basses.lone
        # a pad (a chord loop struck STABS times a bar or fewer): its turned chord is
        # re-voiced, the rng's choice of its voicings (TurnedVoicings._plain_aim), not the
        # network's most likely pitches, which put the neighbouring chord over its bass (an
        # Am F C G pad's G played C/G in 8 of 24 takes, rng seeds 1-6) and gave the same 4
        # or 5 takes in every request; its places, ranges and voices let go as before. At
        # the temperature's own turn (TURN, -t 1 and about): a wilder or safer one turns as
        # many voices as its turn has (turn_sizes.voices_for), the network's, as before (its
        # voicings in the part's range drawn, a pad of 4-note chords turned one voice at
        # -t 1.6, where its turns take three)
        held = not line and not stabs and not cool and not basses.lone and turn == TURN
        # of those, whole or half notes, not stabs once a bar: a pad (SUSTAINED)
        sustained = held and float(np.median(read.lengths)) >= SUSTAINED
        # of those, one over middle C as played: the right hand's, not the bass (MIDDLE_C)
        high = sustained and read.span is not None and read.span[0] - moved > MIDDLE_C
        return cls(cool, sparse, lead, stabs, strikes, bars, keeps_chords, held, sustained, high)


def turns_two_bars(turn: int, bar: int) -> bool:
    """Whether a part's turn of a phrase (``turn``, ticks; ``bar`` ticks a bar) is a pad of
    triads' two bars (:data:`HELD_BARS`, :func:`phrase_turn`)."""
    return turn == HELD_BARS * bar


def phrase_turn(kind: PartKind, read: LoopReading, turn: int, voicings: ChordVoicings) -> int:
    """How long (ticks) a take's turn at a phrase's end is: ``turn``; of a pad of plain chords
    (``kind.held``), every chord three notes or more, :data:`HELD_BARS` (a pad of sevenths or
    sus chords, whose takes share a coloured chord's clear voicings, and one of dyads: ``turn``,
    as before: a lead whose every note has a grace a step above read as dyads, and its takes
    turning two bars lost its graces); of a chord loop of stabs
    (``kind.stabs``) half a bar, as a section's end's; a run of :data:`RUN` stabs at least:
    the whole bar where half a bar holds fewer (house stabs on the "and"s), as a section's
    end's, where every chord turns in the range (a close G7/D with no voicing of its own
    there leaves a Dm7-G7 stab's takes one bar to turn: half bars, as before)."""
    if kind.held and all(len(c) >= 3 and not coloured(c) for c in read.chords.values()):
        return HELD_BARS * read.bar  # a pad of triads: two bars of it (HELD_BARS)
    if not kind.stabs:
        return turn
    if (
        kind.keeps_chords
        and kind.strikes < 2 * RUN * kind.bars
        and all(map(voicings.fits, read.chords.values()))
    ):
        return turn_of(LONG_SECTION_BARS // PHRASE_BARS - 1, read.bar, turn)
    return turn_of(SECTION_BARS // PHRASE_BARS - 1, read.bar, turn)


def turn_reach(turn: int, bar: int) -> int:
    """The bars at a phrase's end where its turns may lie (``TurnPlaces.reach``): a whole
    bar's turns (-t 2) in any of the phrase's, each take its own bar while there are enough;
    else :data:`TURN_BARS`."""
    return PHRASE_BARS if turn >= bar else TURN_BARS
