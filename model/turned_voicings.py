"""Which voices of a chord loop's chord each take turns, and which pitches a turned voice may
take: each take's own voice of a chord (:meth:`TurnedVoicings.turned_ranks`, drawn by its
rng), the voicing it aims for where takes share a coloured chord (its own clear voicing,
the nearest left) or turn a stab loop's or a pad's plain chord (the rng's choice of its clear
voicings, now and then suspended: :data:`SUSPENDED`), cool, the voice with a near pitch left; and
the pitches each turned or let-go voice keeps to (:meth:`TurnedVoicings.voicing`): over
the chord's bass, in the part's range, keeping the chord's colour and the loop's classes.
Which voicings a chord has is the loop's (``chord_voicings.ChordVoicings``), where a take's
turn lies its places' (``turn_places.TurnPlaces``): both are given. Each take's draws and
memos are its own, and each request's copy of the turns (``takes.Turns.drawing_with``)
draws its own."""

from __future__ import annotations

import numpy as np

from segue.model import pitch_bits as bits
from segue.model.chord_voicings import ChordVoicings
from segue.model.loop import PHRASE_BARS
from segue.model.loop_basses import LoopBasses
from segue.model.pitch_classes import every_octave
from segue.model.take_records import LoopTimes, StruckChords, TakeDraws, TurnLengths
from segue.model.turn_kinds import PartKind, turns_two_bars
from segue.model.turn_places import TurnPlaces
from segue.model.turn_sizes import voices_for
from segue.model.vocab import any_set, where_set
from segue.model.voicings import (
    BEYOND,
    bare_fifth,
    colour_keeping,
    coloured,
    keeps_third,
    nearest_first,
    opened_span,
    rank_of,
    same_classes,
)

PLAIN_AIMS = 16
"""How many clear voicings of a plain chord of stabs or a pad
:meth:`TurnedVoicings._plain_aim` looks for, among which the rng chooses each take's: enough
for a close triad's every re-voicing in its part's range (a close G has four or five)."""
SUSPENDED = 0.25
"""The chance that a take turning a plain chord of a stab loop plays it without its third
(:meth:`TurnedVoicings._plain_aim`: a sus2 or sus4 in its place, or a seventh, where the take's
voices leave such a voicing): an occasional colour, as a producer adds one now and then and
as often as segue's own chord loops take a colour at all (a seventh in a quarter of them,
``segue.idioms.harmony.progression_from_knowledge``; none suspended). Drawn among all its
voicings, most of a close triad's have no third, and the takes of Am F C G triads on the
"and"s played Asus2, Asus4, Fsus2 ... in 69 of 100 turned stabs (rng seeds 1-8). A pad's
take plays a colour (a sus in its third's place, a seventh, an added ninth) with this chance,
its own classes re-voiced otherwise, and never a bare fifth (:meth:`TurnedVoicings._plain_aim`)."""
AGAIN = 0.75
"""The chance that a pad's take re-voices a chord its turn reaches after the one it begins
on (``turn_kinds.HELD_BARS``; :meth:`TurnedVoicings.held_keeps`), else keeps the loop's: a
keyboard player whose hand has moved to a new voicing mostly leads the next chord on from
there, and now and then goes back to the loop's. At a half, the takes of a C held four bars
were 15 of 24 (rng seeds 1-6; 16 at three quarters), those beginning on its last bar re-voicing
it alone."""
AIMS = 2
"""How many of a coloured chord's nearest clear voicings left (``voicings.nearest_first``) a
take that shares it with others chooses among by the rng (:meth:`TurnedVoicings._aim_of`), as many
as the takes there where more: the nearest alone, a Dm7-G7 stab's takes played the same
voicings of its G7 in every request (rng seeds 1-8), only which take played which changed."""


def _not_the_loop(keeps: int, chord: np.ndarray, others: int) -> int:
    """``keeps`` (the pitches a plain ``chord``'s last turned voice may take, as bits:
    ``segue.model.pitch_bits``) without the one that gives back the loop's voicing with the
    voices ``others`` (bits) sound, where it leaves another: kept to the chord
    (``voicings.same_chord``), a close C's C3 turned to G3 and its G3 to C3, and a pedal
    loop's take was the loop again (rng seeds 2 and 3)."""
    missing = bits.of(np.asarray(chord).tolist()) & ~others
    if missing.bit_count() != 1:
        return keeps
    other = keeps & ~missing
    return other if other else keeps


class TurnedVoicings:
    """The voices each take turns of a chord loop's chords and the pitches a turned voice
    may take, worked out once per take and chord (by phrase, take and onset)."""

    def __init__(
        self,
        draws: TakeDraws,
        loop: LoopTimes,
        turns: TurnLengths,
        kind: PartKind,
        chords: StruckChords,
        *,
        basses: LoopBasses,
        voicings: ChordVoicings,
        places: TurnPlaces,
    ) -> None:
        """``draws``: the ``rows`` takes drawing with ``rng``; ``loop``: the loop's ``bar``,
        ``shift`` (its length) and ``clip_end`` (ticks); ``turns``: the temperature's ``turn``
        (ticks); ``kind``: whether the takes are ``cool`` (``takes.Turns.cool``) and keep a stab
        loop's chords (``keeps_chords``) or turn a pad's held chords (``held``:
        ``turn_kinds.PartKind.held``, whose turned chords keep each chord too); ``chords``: the
        loop's ``intervals`` and how wide they are by register (``wide``); ``basses``: each
        place's bass (``basses``) and a low line's broken chords' (``floor``,
        ``LoopBasses._broken``). Its chords' voicings (``voicings``), whose reading of the
        loop's ``span`` and classes by place (``ChordVoicings.loop_classes``) these read too,
        and where each take's turns lie (``places``)."""
        self.rows, self._rng = draws
        self.bar, self.shift, self.clip_end = loop.bar, loop.shift, loop.clip_end
        self.turn = turns.turn
        self.cool, self.keeps_chords, self.held = kind.cool, kind.keeps_chords, kind.held
        # a pad of triads held a beat or longer (turn_kinds.SUSTAINED, HELD_BARS): its
        # re-voiced chords' top opened a fourth (voicings.opened_span)
        self._opened = kind.sustained and turns_two_bars(turns.phrase_turn, self.bar)
        # of those, a high pad (turn_kinds.MIDDLE_C): its chords inverted too (_held_options)
        self._high = kind.high and self._opened
        _, self.intervals, self._wide = chords
        self.span = voicings.span
        self._basses = basses.basses
        self._floor = basses.floor
        self._voicings = voicings
        self._classes = voicings.loop_classes
        self._turn_places = places
        self._voices: dict[int, np.ndarray] = {}  # each take's turned voice, by phrase
        # each take's turned voices of a chord, by chord, phrase, take and onset (turned_ranks)
        self._ranked: dict[tuple[tuple[int, ...], int, int, int | None], set[int]] = {}
        self._near: dict[tuple[int, int, tuple[int, ...]], dict[int, int]] = {}  # _coolrank_of
        # each take's voices and voicing of a coloured chord that takes share (_aim_of)
        self._aims: dict[
            tuple[int, int, tuple[int, ...]], dict[int, tuple[frozenset[int], tuple[int, ...]]]
        ] = {}
        self._plain_aims: dict[
            tuple[int, int, tuple[int, ...]], dict[int, tuple[int, ...]]
        ] = {}  # _plain_aim
        self._held_aimed: dict[  # a pad's take's voices and voicing of a chord (_held_aims)
            tuple[int, int, tuple[int, ...]], dict[int, tuple[frozenset[int], tuple[int, ...]]]
        ] = {}

    def bass_of(self, onsets: np.ndarray) -> list[int]:
        """For each row, the lowest pitch of the chord the loop strikes at the place that
        ``onsets`` (ticks) repeat (:func:`basses_of`), or -1 where it strikes one note."""
        place = (np.asarray(onsets, dtype=np.int64) - self.clip_end) % self.shift
        return [self._basses.get(p, -1) for p in place.tolist()]

    def _turned_voice(self, phrase: int) -> np.ndarray:
        """(rows,) which voice of a chord each take turns in ``phrase``, counted from the top
        (by the chord's size): takes turning one chord each turn a voice of their own."""
        if phrase not in self._voices:
            self._voices[phrase] = self._rng.permutation(self.rows)
        return self._voices[phrase]

    def voices_turned(
        self, in_turn: np.ndarray, onsets: np.ndarray, pitches: np.ndarray
    ) -> np.ndarray:
        """(rows,) of the rows ``in_turn`` (``TakesApart.varies``), those whose loop note (at
        ``onsets``, ticks, of ``pitches``) the take turns: in a chord loop, a voice of
        :data:`TURNED_VOICES`; a single note turns whole."""
        rows = np.asarray(in_turn).copy()
        if not self._basses or not any_set(rows):
            return rows
        onsets = np.asarray(onsets, dtype=np.int64)
        after = onsets - self.clip_end
        chords = self._voicings.chord_of(onsets)
        basses = self.bass_of(onsets)
        for r in where_set(rows):
            chord = chords[r]
            if chord is None:  # a line's chord (a broken-chord left hand under chords)
                rows[r] = int(pitches[r]) != basses[r]
                continue
            phrase = int(after[r]) // (PHRASE_BARS * self.bar)
            turned = self.turned_ranks(chord, phrase, int(r), int(onsets[r]))
            rows[r] = rank_of(chord, int(pitches[r])) in turned
        return rows

    def turned_ranks(
        self, chord: np.ndarray, phrase: int, row: int, onset: int | None = None
    ) -> set[int]:
        """The voices of ``chord`` (ranks from the top, ``voicings.rank_of``) that take ``row``
        turns in ``phrase``: :data:`TURNED_VOICES` of its upper voices (:func:`voices_for` its
        turn's length), from the take's own; the bass (its lowest) is the loop's (a pedal C2
        under its chords went to D2 in 12 of 24 takes,
        an inversion's bass line changed in 15 of 24, helper-89). A dyad turns its top. Of a
        coloured chord, the first such voices from the take's own that have a voicing of their
        own in the part's range (:func:`turns_in_range`): a close voicing's top two may have
        none where an inner voice and the top do. Cool (:attr:`cool`), of a chord loop's chord
        struck at ``onset`` (ticks), the first voice from the take's own with a pitch near
        its own left (:meth:`_coolrank_of`). Where takes share a coloured chord, the voices of
        the take's own voicing (:meth:`_aim_of`). Worked out once per take and chord (its
        voices and their steps ask again) once its phrase's turns are drawn (``TurnPlaces.phrase``:
        its colours, ``TurnPlaces.recolour_of``, are known then)."""
        key = (tuple(chord.tolist()), phrase, row, onset)
        known = self._ranked.get(key)
        if known is not None:
            return known
        drawn = phrase in self._turn_places.turns
        ranks = self._ranks_turned(chord, phrase, row, onset)
        if drawn:
            self._ranked[key] = ranks
        return ranks

    def _ranks_turned(
        self, chord: np.ndarray, phrase: int, row: int, onset: int | None
    ) -> set[int]:
        """:meth:`turned_ranks`, worked out."""
        if onset is not None and self.held_keeps(chord, phrase, row, onset):
            return set()  # a pad's chord its take keeps in its turn: the loop's
        own = None if onset is None else self._turn_places.recolour_of(chord, phrase, row, onset)
        if own is not None:  # a voice moved to another colour (a suspension, a fifth): that one
            return {rank_of(chord, p) for p in chord.tolist() if p not in own}
        if onset is not None and self.held and not coloured(chord):
            held = self._held_aim(chord, phrase, row, onset)
            if held is not None:  # a pad's: the voices of the take's voicing
                return set(held[0])
        options = self._rank_options(chord, phrase, row, onset)
        if onset is not None and coloured(chord):
            aim = self._aim_of(chord, phrase, row, onset)
            if aim is not None:
                return set(aim[0])
        return options[0]

    def held_keeps(self, chord: np.ndarray, phrase: int, row: int, onset: int) -> bool:
        """Whether take ``row`` keeps a pad's (:attr:`held`) plain ``chord`` struck at
        ``onset`` (ticks) as the loop plays it, though its turn of ``phrase`` reaches it: a
        chord after the first its turn strikes (its turn two bars: ``turn_kinds.HELD_BARS``),
        kept but with the chance :data:`AGAIN` (drawn once per take and chord), and where the
        takes whose turn begins on it leave it no voicing of its own (:meth:`_held_aims`; of
        a pad held a beat or longer, where it has no plain one in the range and the take draws
        no colour: :meth:`_held_voicing`). The first re-voiced always, a take is never the
        loop again."""
        if not self.held or coloured(chord):
            return False
        covering, answer = self._covering(phrase, onset)
        if answer or not covering[row]:
            return False
        start = int(self._turn_places.phrase(phrase)[0][row])
        if onset - self.clip_end == self._first_chord(start):
            return False
        return row not in self._held_aims(chord, phrase, onset)

    def _first_chord(self, start: int) -> int:
        """Where (ticks after the clip's end) the first chord struck at or after ``start``
        (ticks after the clip's end) lies: a pad's turn's first."""
        where = start % self.shift
        return start + min((p - where) % self.shift for p in self._basses)

    def _covering(self, phrase: int, onset: int) -> tuple[np.ndarray, bool]:
        """(rows,) the takes whose turn of ``phrase`` reaches ``onset`` (ticks), and whether
        the phrase's takes answer instead (``TurnPlaces.phrase``: then none turns)."""
        starts, answer = self._turn_places.phrase(phrase)
        after = onset - self.clip_end
        length = self._turn_places.length(phrase)
        return (starts >= 0) & (starts <= after) & (after < starts + length), answer

    def _held_aims(
        self, chord: np.ndarray, phrase: int, onset: int
    ) -> dict[int, tuple[frozenset[int], tuple[int, ...]]]:
        """The voices (ranks from the top) and voicings (pitches, low to high) of a pad's
        plain ``chord`` struck at ``onset`` (ticks) that the takes whose turn of ``phrase``
        reaches it turn and play, by take: those whose turn begins on it first, each its own
        while they last (:meth:`_plain_aim`), then those whose turn began on a chord before and
        re-voice this one too (the chance :data:`AGAIN`, drawn once per take and chord), each
        with a voicing no other take plays there or none (the loop's chord:
        :meth:`held_keeps`; a pad held a beat or longer's plain ones shared:
        :meth:`_held_voicing`); each by the first voices of its own that have one left
        (``ChordVoicings.plain_ranks``, as a stab's). By its own first voices alone, two takes
        on an open C (C3 G3 E4 G4, two voicings in its range) that turned its E4 and G4 both
        played C3 G3 C4 E4, and a take reaching it from the bar before its C3 C4 E4 G4: two
        takes of the request were one (rng seed 1)."""
        starts, _ = self._turn_places.phrase(phrase)
        after = onset - self.clip_end
        key = (phrase, after, tuple(chord.tolist()))
        if key not in self._held_aimed:
            covering = where_set(self._covering(phrase, onset)[0]).tolist()
            first = [q for q in covering if self._first_chord(int(starts[q])) == after]
            again = [q for q in covering if q not in first and self._rng.random() < AGAIN]
            classes = self._classes.at(np.array([onset]))
            keep = None if classes is None else classes[0]
            past = phrase in self._turn_places.past_range  # voicing's span
            given: dict[int, tuple[frozenset[int], tuple[int, ...]]] = {}
            for peer in first + again:
                taken = {v for _, v in given.values()}
                options = self._held_options(chord, phrase, peer, keep, past)
                aim = self._held_voicing(chord, options, taken, peer in first)
                if aim is not None and aim[1][0] != int(chord[0]):  # an inversion: every voice
                    aim = frozenset(range(len(chord))), aim[1]
                if aim is not None:
                    given[peer] = aim
            self._held_aimed[key] = given
        return self._held_aimed[key]

    def _held_options(
        self, chord: np.ndarray, phrase: int, row: int, keep: np.ndarray | None, past: bool
    ) -> list[tuple[frozenset[int], list[tuple[int, ...]]]]:
        """The voices (ranks from the top) take ``row`` may turn of a pad's plain ``chord`` in
        ``phrase``, its own first (``ChordVoicings.plain_ranks``, as a stab's), each with the
        voicings they give (low to high, in a fixed order; voices that give none left out):
        over its bass, of the loop's classes ``keep`` (None: any), in the pad's range (its top
        a fourth past it where :attr:`_opened`; none ``past`` it: ``TurnPlaces.past_range``),
        never an open fifth (``voicings.bare_fifth``): its third kept, or a colour in its
        place. A high pad's (:attr:`_high`, ``turn_kinds.MIDDLE_C``) its inversions too, its
        bass moved (``ChordVoicings.inversions_of``): under its top as over it (C/G at
        G4 C5 E5 -> E4 G4 C5, C5 E5 G5), each voice the inversion's of its rank
        (:meth:`_inverted`), where kept to its bass it had no plain re-voicing."""
        mine = int(self._turned_voice(phrase)[row])
        out = []
        for shift in range(len(chord) - 1):
            ranks = self._voicings.plain_ranks(chord, mine + shift)
            voiced = self._voicings.plain_voicings(
                chord, ranks, keep, PLAIN_AIMS, True, past, self._opened
            )
            found = [v for v in sorted(voiced) if not bare_fifth(tuple(chord.tolist()), v)]
            if found:
                out.append((frozenset(ranks), found))
        if self._high and not past:  # a high pad's: its inversions too, its bass moved
            inverted = self._voicings.inversions_of(chord)
            out = [(ranks, found + [v for v in inverted if v not in found]) for ranks, found in out]
            if not out and inverted:
                out = [(frozenset(range(len(chord))), inverted)]
        return out

    def _held_voicing(
        self,
        chord: np.ndarray,
        options: list[tuple[frozenset[int], list[tuple[int, ...]]]],
        taken: set[tuple[int, ...]],
        first: bool,
    ) -> tuple[frozenset[int], tuple[int, ...]] | None:
        """The voices and voicing of a pad's plain ``chord`` a take plays, of its ``options``
        (:meth:`_held_options`), other takes playing ``taken`` there: by the first voices of
        its own that have one left, the rng's choice of those (:meth:`_own_left`); with none
        left, a take whose turn begins on the chord (``first``) shares the first voices' (it
        is never the loop again), one reaching it keeps the loop's chord (None). A pad held a
        beat or longer's (:attr:`_opened`) take plays a plain one of its own (its own classes
        re-voiced; :meth:`_drawn_voicing` draws a colour among them now and then) while one
        is left; with none, a take reaching the chord from its first leads on to a plain one
        another take plays there too (:meth:`_shared`), as a keyboard player's hand goes on
        to the same re-voicing of the next chord, or now and then (:data:`SUSPENDED`) a colour
        of its own; a take beginning on the chord, or reaching one with no plain voicing in
        the range, a colour of its own where one is left. Each take's own voicing, whatever
        its kind, a close Dm Bb C pad in half notes played a colour at 111 of its 272 turned
        chords (rng seeds 1-24; its C's one plain voicing, C3 E3 C4, went to the first take on
        it, and the takes after it took a sus or a seventh: 61 of its 106), an Am F C G pad
        (the G's G3 B3 G4 alone) 51 of 149."""
        mine = self._own_left(chord, options, taken, self._opened)
        if mine is None and self._opened and not first:  # leading on from its first chord:
            if self._rng.random() < SUSPENDED:  # now and then a colour of its own
                mine = self._own_left(chord, options, taken)
            if mine is None:  # else a plain one, another take's there too
                mine = self._shared(chord, options)
        if mine is None and self._opened:  # no plain one: a colour of its own
            mine = self._own_left(chord, options, taken)
        if mine is None and first and options:  # none left: the takes on it share one
            return options[0][0], self._drawn_voicing(chord, options[0][1])
        return mine

    def _own_left(
        self,
        chord: np.ndarray,
        options: list[tuple[frozenset[int], list[tuple[int, ...]]]],
        taken: set[tuple[int, ...]],
        plain: bool = False,
    ) -> tuple[frozenset[int], tuple[int, ...]] | None:
        """The first voices of ``options`` (:meth:`_held_options`) with a voicing of a pad's
        ``chord`` left that no other take plays there (``taken``), and the rng's choice of
        those left (:meth:`_drawn_voicing`); with ``plain``, the first with a plain one left
        (``voicings.same_classes``), a colour still drawn among them now and then; None where
        none is."""
        for ranks, found in options:
            left = [v for v in found if v not in taken]
            if any(not plain or same_classes(chord, v) for v in left):
                return ranks, self._drawn_voicing(chord, left)
        return None

    def _shared(
        self, chord: np.ndarray, options: list[tuple[frozenset[int], list[tuple[int, ...]]]]
    ) -> tuple[frozenset[int], tuple[int, ...]] | None:
        """The first voices of ``options`` (:meth:`_held_options`) with a plain voicing of a
        pad's ``chord`` (``voicings.same_classes``), other takes' there too, and the rng's
        choice of those; None where the chord has none in the range."""
        for ranks, found in options:
            plain = [v for v in found if same_classes(chord, v)]
            if plain:
                return ranks, self._drawn_voicing(chord, plain)
        return None

    def _held_aim(
        self, chord: np.ndarray, phrase: int, row: int, onset: int
    ) -> tuple[frozenset[int], tuple[int, ...]] | None:
        """The voices and voicing take ``row`` turns and plays of a pad's plain ``chord``
        struck at ``onset`` (ticks) in its turn of ``phrase`` (:meth:`_held_aims`); None
        outside its turn."""
        covering, answer = self._covering(phrase, onset)
        if answer or not covering[row]:
            return None
        return self._held_aims(chord, phrase, onset).get(row)

    def _rank_options(
        self, chord: np.ndarray, phrase: int, row: int, onset: int | None
    ) -> list[set[int]]:
        """The sets of voices of ``chord`` (ranks from the top) that take ``row`` may turn in
        ``phrase``, first first (:meth:`turned_ranks`): cool, the one with a near pitch left
        (:meth:`_coolrank_of`); else :data:`TURNED_VOICES` of its upper voices from the take's
        own, of a coloured chord those that turn in the part's range
        (``ChordVoicings.turnable``)."""
        if self.cool and onset is not None and voices_for(self.turn) == 1:
            near = self._coolrank_of(chord, phrase, row, onset)
            if near is not None:
                return [{near}]
        upper = len(chord) - 1
        first = int(self._turned_voice(phrase)[row])
        ranks = (
            [
                {(first + shift + k) % upper for k in range(min(voices_for(self.turn), upper))}
                for shift in range(upper)
            ]
            if coloured(chord)
            else [self._voicings.plain_ranks(chord, first + shift) for shift in range(upper)]
            if self.keeps_chords
            else [self._voicings.plain_ranks(chord, first)]
        )
        return [r for r in ranks if self._voicings.turnable(chord, r)] or ranks[:1]

    def _aim_of(
        self, chord: np.ndarray, phrase: int, row: int, onset: int
    ) -> tuple[frozenset[int], tuple[int, ...]] | None:
        """The voices (ranks from the top) and the voicing (pitches, low to high) of a
        coloured ``chord`` (struck at ``onset``, ticks) that take ``row`` turns and plays in
        ``phrase`` where the turns of other takes strike the chord too, or None (alone
        there, the take's voices are the network's): takes sharing a chord each play a clear
        voicing of their own in the part's range (``ChordVoicings.clear_of``) while one is left, by
        the first voices of theirs (:meth:`_rank_options`) that have one, the voicing whose
        voices move least (:func:`nearest_first`). Drawn voice by voice, two takes on an
        inverted-sevenths pad's G7/B (B3 D4 F4 G4) both played B3 F4 G4 B4 where B3 F4 G4 A4
        was left, and two on a close Em7 (E3 G3 B3 D4) E3 G3 D4 G4 by two ways (helper-147's
        pad7_close: 2 or 3 of 4 takes differed)."""
        covering, answer = self._covering(phrase, onset)
        after = onset - self.clip_end
        if answer or self.intervals is None or not covering[row]:
            return None
        peers = where_set(covering).tolist()  # the takes whose turn strikes the chord
        if len(peers) < 2:
            return None
        key = (phrase, after, tuple(chord.tolist()))
        if key not in self._aims:
            classes = self._classes.at(np.array([onset]))
            keep = None if classes is None else classes[0]
            given: dict[int, tuple[frozenset[int], tuple[int, ...]]] = {}
            for peer in peers:
                for ranks in self._rank_options(chord, phrase, peer, onset):
                    taken = {v for _, v in given.values()}
                    found = nearest_first(chord, self._voicings.clear_of(chord, ranks, keep, 64))
                    left = [v for v in found if v not in taken][: max(len(peers), AIMS)]
                    if left:  # the rng's choice of the nearest left
                        pick = int(self._rng.integers(len(left))) if len(left) > 1 else 0
                        given[peer] = (frozenset(ranks), left[pick])
                        break
            self._aims[key] = given
        return self._aims[key].get(row)

    def _coolrank_of(self, chord: np.ndarray, phrase: int, row: int, onset: int) -> int | None:
        """Cool (:attr:`cool`), the voice (rank from the top) of a chord loop's ``chord``
        (struck at ``onset``, ticks) that take ``row`` turns in ``phrase``: the first from the
        take's own (:meth:`_turned_voice`) with a pitch within a fourth of its own
        (``ChordVoicings.near_pitches``) that the takes turning there before it have not taken, a
        voice's near pitches shared out among the takes on it; None where none is left (the
        voice as at -t 0.8). Drawn as at -t 0.8, a close voicing's inner voice had its
        neighbours taken and leapt past the others: a close C's E4 to C5, a Dm7's A4 to D4
        where its top voice steps to the next chord tone (helper-142's 6 pads and stabs and
        5 chord seeds, 4 takes, rng seeds 1-3: turned voices moved more than a fourth at
        -t 0.3 30 -> 18 of 132; the 18 left are close 7ths, whose every step is a second
        the loop lacks or leaves its colour)."""
        starts, answer = self._turn_places.phrase(phrase)
        if answer or self.intervals is None or starts[row] < 0:
            return None
        key = (phrase, int(starts[row]), tuple(chord.tolist()))
        if key not in self._near:
            upper = len(chord) - 1
            held = None if coloured(chord) else self._voicings.held_rank(chord)
            left = [
                0 if rank == held else self._voicings.near_pitches(chord, rank, onset)
                for rank in range(upper)
            ]
            given: dict[int, int] = {}
            firsts = self._turned_voice(phrase)
            for peer in where_set(starts == starts[row]).tolist():
                for shift in range(upper):
                    rank = (int(firsts[peer]) + shift) % upper
                    if left[rank] and (
                        not coloured(chord) or self._voicings.turnable(chord, {rank})
                    ):
                        left[rank] -= 1
                        given[peer] = rank
                        break
            self._near[key] = given
        return self._near[key].get(row)

    def voicing(
        self,
        rows: np.ndarray,
        onsets: np.ndarray,
        loop_pitches: np.ndarray,
        struck: np.ndarray,
        turning: bool = True,
    ) -> np.ndarray:
        """(len(rows), 128) int8: for the turned voice of a chord loop's chord (of ``rows``, at
        ``onsets``, ticks, the loop's voice of ``loop_pitches``), 2 for the pitches that keep
        the chord's bass and its colour within the part's range, 1 for those that keep its
        bass, 0 for the rest; 2 throughout for a note that is no chord's voice. A turned voice
        stays above the chord's lowest voice (an inner voice turned below a pedal was the
        bass), as far above it as the loop's voicing is at its register (``_room``,
        :func:`wide_enough`), and the bass keeps its pitch, a line's chord's too
        (:meth:`bass_of`: a ballad's left hand broken under its chords). Of a chord with a
        colour (:func:`coloured`), the voice takes a pitch that leaves the voices still to
        turn a way to keep every class of it (:func:`colour_keeping`, ``struck``, (rows, 128)
        bool: the take's notes struck there, the voices below), or, with none in the range,
        the loop's own pitch: keeping the colour an octave up, takes of close 7th, sus and
        pedal loops played a note a 7th past the part's top. Not ``turning`` (a voice the
        take let go of outside its turn, the loop's strength, whose note lands on the chord:
        the chord's other voices are the loop's), only a coloured chord's voice is held so,
        and the bass is the loop's, a plain chord's too: a Dm9's E4 let go came back D4,
        its 9th gone, a Cmaj9's C3 came back C4 (5 chords of 24 takes of a 9th loop); a plain
        chord's voice let go keeps the part's range and, where they leave it one, the loop's
        classes (an open pad's G went G minor, its B3 let go to Bb3). A plain
        chord's turned voice keeps to the part's range and the loop's classes too, off the
        voices kept above it: a close F's C4 went to G4 above a loop whose top was C4."""
        out = np.full((len(rows), 128), 2, dtype=np.int8)
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        classes = self._classes.at(onsets[rows])
        basses = self.bass_of(onsets[rows])
        for i, (r, chord) in enumerate(
            zip(rows, self._voicings.chord_of(onsets[rows]), strict=True)
        ):
            pitch = int(loop_pitches[r])
            inverted = self._inverted(chord, pitch, int(after[r]), int(r), int(onsets[r]), turning)
            if inverted is not None:  # a high pad's inversion: its voice's pitch there
                out[i] = 0
                out[i, inverted] = 2
                continue
            if pitch == basses[i]:  # a chord's bass is the loop's, a line's chord's too
                out[i] = 1
                out[i, : pitch + 1] = 0
                out[i, pitch] = 2
                continue
            if chord is None:  # a low line's broken chord's later notes stay over its bass
                floor = self._floor.get(int(after[r]) % self.shift)
                if floor is not None:
                    out[i, :floor] = 0
                continue
            if pitch not in chord:
                continue
            if (
                not turning
                and not coloured(chord)
                and rank_of(chord, pitch) != self._voicings.held_rank(chord)
            ):  # but a held third let go keeps its class (ChordVoicings.held_rank)
                if self.span is not None:  # in the part's range: an A chord's E3 let go
                    # went to A3 over a triad loop topping at E3 (rng 3 of test_takes' triads)
                    out[i, : self.span[0] - BEYOND] = 0
                    out[i, self.span[1] + BEYOND + 1 :] = 0
                if classes is not None:  # and the loop's classes where they leave one: an
                    # open Am F C G pad's G let its B3 go to Bb3, G minor (4 of 192 takes)
                    out[i, (out[i] == 2) & ~every_octave(classes[i])] = 1
                if self.keeps_chords or self.held:  # and its chord (same_chord), over its
                    # bass: an Am F C G stab loop's F4 let go came back E4 over A3 C4, an Am
                    # stab in the F bar; a pad's third let go kept (a Dm Bb C pad's Bb2 D3 F3
                    # came back Bb2 F3 Bb3, an open fifth, rng 3)
                    out[i, : int(chord[0]) + 1] = 0
                    others = struck[r].copy()
                    others[chord[chord > pitch]] = True
                    key = None if classes is None else classes[i]
                    chordal = self._voicings.same_chord_of(chord, pitch, key, others, True)
                    out[i, (out[i] == 2) & ~chordal] = 1
                continue
            bass = int(chord[0])
            phrase = int(after[r]) // (PHRASE_BARS * self.bar)
            turned = self.turned_ranks(chord, phrase, int(r), int(onsets[r])) if turning else set()
            # in a phrase with no chord to turn in the part's range, a take turns past it,
            # as takes did before the range held (a one-chord loop's close stab: every take
            # was the loop); elsewhere the chords with no voicing in range are no turn's
            span = None if turning and phrase in self._turn_places.past_range else self.span
            revoiced = self.held and turning  # a pad's turned chord too (_plain_aim)
            if revoiced and self._opened:  # its top opened a fourth (voicings.opened_span)
                span = opened_span(span)
            recolour = (
                self._turn_places.recolour_of(chord, phrase, int(r), int(onsets[r]))
                if turning
                else None
            )
            # the pitches the voice keeps to, as bits (segue.model.pitch_bits)
            if recolour is not None:  # another colour of the key (TurnPlaces._recoloured)
                keeps = bits.of([p for p in recolour if p not in chord])
            elif coloured(chord):
                rooms = self._voicings.rooms_of(chord, span)
                kept = colour_keeping(chord, pitch, turned, struck[r], span, self._wide, rooms)
                own = self._aim_of(chord, phrase, int(r), int(onsets[r])) if turning else None
                if own is not None:  # the take's own voicing where takes share the chord
                    aim = np.zeros(128, dtype=bool)
                    aim[list(own[1])] = True
                    aim[struck[r]] = False
                    aim[[p for p in chord if p > pitch and rank_of(chord, p) not in turned]] = False
                    if (kept & aim).any():
                        kept &= aim
                keeps = bits.from_array(kept)
            else:  # off the voices kept above it (of stabs, the chord itself: same_chord)
                rooms = self._voicings.rooms_of(chord, span)  # voice_span's, once per request
                held = bits.from_array(struck[r])  # the take's notes struck there
                above = bits.of(
                    p for p in chord.tolist() if p > pitch and rank_of(chord, p) not in turned
                )
                keeps = rooms.rooms[rooms.pitches.index(pitch)] & ~held & ~above
                if not turning:  # a held third, let go: its class
                    keeps &= bits.in_every_octave(1 << pitch % 12)
                if self.keeps_chords or revoiced:
                    others = held | above
                    key = None if classes is None else classes[i]
                    keeps &= self._voicings.same_chord_bits(chord, pitch, key, others)
                    if turning and not any(
                        rank_of(chord, p) in turned for p in chord[chord > pitch]
                    ):
                        keeps = _not_the_loop(keeps, chord, others)
                    # the take's voicing, the rng's choice of the chord's (_plain_aim)
                    voiced = (
                        self._plain_aim(chord, phrase, int(r), int(onsets[r])) if turning else None
                    )
                    if voiced is not None:
                        target = bits.of(voiced) & ~held & ~above
                        if keeps & target:
                            keeps &= target
            if classes is not None and recolour is None:
                keeps &= bits.in_every_octave(bits.from_classes(classes[i]))
            if not keeps & bits.PITCHES:  # no voicing in the range: the loop's own
                keeps = 1 << pitch
            out[i] = 1
            out[i, : bass + 1] = 0  # at or below the bass
            out[i, bits.to_array(keeps)] = 2
        return out

    def _inverted(
        self, chord: np.ndarray | None, pitch: int, after: int, row: int, onset: int, turning: bool
    ) -> int | None:
        """The pitch that the voice at ``pitch`` of a high pad's (:attr:`_high`) ``chord``
        (struck at ``onset``, ticks; ``after`` ticks after the clip's end) takes in take
        ``row``'s inversion of it (its voice of the same rank from the bottom,
        ``voicings.inversions``), where the take's voicing there is one (its bass moved);
        None elsewhere."""
        if not (self._high and turning) or chord is None or pitch not in chord:
            return None
        phrase = after // (PHRASE_BARS * self.bar)
        aim = self._held_aim(chord, phrase, row, onset)
        if aim is None or aim[1][0] == int(chord[0]):
            return None
        return aim[1][chord.tolist().index(pitch)]

    def _plain_aim(
        self, chord: np.ndarray, phrase: int, row: int, onset: int
    ) -> tuple[int, ...] | None:
        """The voicing (pitches, low to high) of a plain ``chord`` (struck at ``onset``, ticks) that
        take ``row`` plays in its turn of ``phrase``, where a chord loop's turns keep its
        chords (:attr:`keeps_chords`: stabs, a pad's held chords): of the chord's clear
        voicings that move the take's voices (``ChordVoicings.plain_voicings``), one in an
        order the rng draws once for the takes whose turn begins there, each its own while
        they last; None outside a turn. Left to the network's most likely pitches, an Am F C
        G stab loop's takes played the same re-voiced half bars in every request (rng seeds
        1-8: 6 distinct takes of 32), only which take played which changed. A pad's
        (:attr:`held`) the same: a re-voicing of its own chord over its bass, as a keyboard
        player's (its upper voices inverted or spread, a class doubled or left out; now and
        then a colour of the loop's classes over its root, as a stab's:
        ``voicings.COLOURS``), in the part's range as its turns were (a pad of triads held a
        beat or longer, its top a fourth past it: ``voicings.OPENED``,
        ``turn_kinds.SUSTAINED``; past it only in a phrase with no chord to turn in range:
        its whole reach, ``TurnPlaces.past_range``), where the network's most likely pitches
        gave 4 or 5 distinct takes of 24 (rng seeds 1-6: Am F C G close triads, a C held
        four bars, Dm Bb C in half notes), some of them the neighbouring chord over its bass
        (G -> C/G, C -> Am/C), and two takes of a request alike. A pad's never an open fifth
        (``voicings.bare_fifth``): a keyboard player re-voicing a pad keeps its third, which
        says major or minor, or now and then (:data:`SUSPENDED`) plays a real sus, its 2nd
        or 4th in the third's place, or a seventh; a C held four bars lost its third in 8 of
        24 takes (C4 C5 G5, C4 G4 G5, rng seeds 1-6). Its takes each re-voice the chords
        their turn reaches (two bars: ``turn_kinds.HELD_BARS``) but those they keep
        (:meth:`held_keeps`), the takes re-voicing a chord each their own voicing of it
        while they last."""
        if not (self.keeps_chords or self.held):
            return None
        covering, answer = self._covering(phrase, onset)
        if answer or not covering[row]:
            return None
        if self.held:  # a pad's: the takes that re-voice the chord struck there
            aim = self._held_aims(chord, phrase, onset).get(row)
            return None if aim is None else aim[1]
        starts = self._turn_places.phrase(phrase)[0]
        key = (phrase, int(starts[row]), tuple(chord.tolist()))
        if key not in self._plain_aims:
            classes = self._classes.at(np.array([onset]))
            keep = None if classes is None else classes[0]
            given: dict[int, tuple[int, ...]] = {}
            for peer in where_set(starts == starts[row]).tolist():
                ranks = self._rank_options(chord, phrase, peer, onset)[0]
                found = sorted(self._voicings.plain_voicings(chord, ranks, keep, PLAIN_AIMS))
                if not found:
                    continue
                left = [v for v in found if v not in given.values()] or found
                given[peer] = self._drawn_voicing(chord, left)
            self._plain_aims[key] = given
        return self._plain_aims[key].get(row)

    def _drawn_voicing(self, chord: np.ndarray, voicings: list[tuple[int, ...]]) -> tuple[int, ...]:
        """The rng's choice of a take's voicing of a plain ``chord`` among ``voicings`` (low
        to high, in a fixed order): one that keeps the chord's third (``voicings.keeps_third``)
        but with the chance :data:`SUSPENDED`, where both kinds are among them. A pad's
        (:attr:`held`, never an open fifth: :meth:`_plain_aim`) its own classes re-voiced, but
        with the chance :data:`SUSPENDED` a colour (a sus in its third's place, a seventh, an
        added ninth), as a keyboard player colours a pad now and then; drawn among all that
        keep the third, a C's C3 E3 D4 as often as its C3 E3 C4. A close G under an E4 top
        has no plain re-voicing within a whole step of the range (G3 B3 F4, G3 C4 D4, G3 D4
        F4), and took a colour whenever it turned; a fourth past it (a pad's held a beat or
        longer: ``voicings.OPENED``), G3 B3 G4."""
        own = tuple(chord.tolist())
        if self.held:
            third = [v for v in voicings if same_classes(chord, v)]
        else:
            third = [v for v in voicings if keeps_third(own, v)]
        other = [v for v in voicings if v not in third]
        pool = other if not third or (other and self._rng.random() < SUSPENDED) else third
        return pool[int(self._rng.integers(len(pool)))]
