"""Where each take's turn of a phrase after a clip lies and how long it is: the places at a
phrase's end where the takes' turns may lie (its last bar's, the bars before where it has
fewer than takes, a chord loop's half phrase's end, chords that take a colour of their own),
whether the takes answer there instead (a silent bar, a line answered late, a sparse bass's
pickups), and each take's turn drawn among them by its rng when first asked
(:meth:`TurnPlaces.phrase`), at most as many takes to a place as its chords have voicings.
Worked out of the loop (its onsets, chords and their voicings: ``chord_voicings.ChordVoicings``,
given) and the take's rng; what each take plays in its turn is the take's (``takes.Turns``),
which asks these, and each request's copy of the turns draws its own
(``Turns.drawing_with``)."""

from __future__ import annotations

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.chord_voicings import ChordVoicings
from segue.model.loop import PHRASE_BARS
from segue.model.take_records import LoopNotes, LoopTimes, StruckChords, TakeDraws, TurnLengths
from segue.model.turn_kinds import PartKind, turns_two_bars
from segue.model.turn_sizes import LONG_SECTION_BARS, SECTION_BARS, turn_of
from segue.model.vocab import where_set
from segue.model.voicings import colour_of, coloured, recoloured

CHORD_REACH = PHRASE_BARS - 1
"""The bars at a phrase's end where a chord loop's takes' turns may lie, where its last two
bars strike fewer places than takes (stabs or a pad struck once a bar): the last, the one
before, and the half phrase's end (bar 2 of 4), where a keyboard player varies the loop too.
Never the phrase's first bar, where the loop comes back whole: of 4 takes on a stab loop struck
once a bar (C, F, G, Am), two turned each of the last two chords, and the takes of 8 requests
(rng seeds 1-8) were 6 takes in all; turned on the take's first downbeat, an Am F C G pad's Am
sounded wrong against the clip's last bar (helper-216's audit of d4f7104). A chord held
through the loop (a pad's C held four bars, its turn two bars: ``turn_kinds.HELD_BARS``) lends
its half phrase's end too, though its chord there is the same: turned in bars 3 and 4 alone,
its takes were 15 to 17 of 24 in each block of six requests (rng seeds 1-24), as a keyboard
player varies a held chord in any bar after the first; from bar 2 too, 18 to 20."""

HIGH_LAST = 1
"""How many takes of a high pad (``turn_kinds.MIDDLE_C``), its turn two bars
(``turn_kinds.HELD_BARS``), begin their turn in the phrase's last bar at most, where its
earlier bars have places left: a turn begun there re-voices the last chord alone, and a high
pad's last chord near its top has the fewest re-voicings (an Am F C/G G pad's G at G4 B4 D5:
G4 B4 G5, B4 D5 G5); its takes there came again request after request (one or two a request,
6 to 8 of each block of six, 2 or 3 of them distinct), and the takes were 17 to 19 of 24 in
each block (rng seeds 1-24). One at most, the others begin in bars 2 and 3 and re-voice two
chords: 18 to 21."""


def _spread(caps: list[int], rows: int) -> np.ndarray:
    """(rows,) which of the places (in the order drawn, each with ``caps``: how many takes may
    play a voicing of their own there) each take turns: the places in turn, as often as they
    come round, but a place whose takes have used up its voicings gives the next take to the
    next that has one left (two takes on a close G with one clear voicing were one take)."""
    out = np.arange(rows) % len(caps)
    used = [0] * len(caps)
    for take in range(rows):
        spare = [
            (int(out[take]) + k) % len(caps)
            for k in range(len(caps))
            if used[(int(out[take]) + k) % len(caps)] < caps[(int(out[take]) + k) % len(caps)]
        ]
        if spare:
            out[take] = spare[0]
        used[int(out[take])] += 1
    return out


def _answer_places(onsets: np.ndarray, bar: int, turn: int) -> np.ndarray:
    """Where in a ``bar`` (ticks) the takes may answer: the first place in each ``turn``
    (ticks) of the bar where the loop starts a note (its ``onsets``, ticks from its start)."""
    positions = np.unique(onsets % bar)  # where in a bar the loop starts notes
    return positions[np.diff(positions // turn, prepend=-1) > 0]  # 1st a turn


class TurnPlaces:
    """Each take's turn in every phrase after a clip, drawn when first needed: a
    ``turn_sizes.TURN`` where the loop plays (half a bar or a bar at a section's end:
    :func:`turn_of`), or in a phrase whose last bar starts no note of the loop, the place
    where the take answers (``AnswerCuts.answers``)."""

    def __init__(
        self,
        draws: TakeDraws,
        loop: LoopTimes,
        turns: TurnLengths,
        kind: PartKind,
        chords: StruckChords,
        notes: LoopNotes,
        *,
        pulse: int,
        voicings: ChordVoicings,
    ) -> None:
        """``draws``: the ``rows`` takes drawing with ``rng``; ``loop``: the loop's ``bar``,
        ``shift`` (its length) and ``clip_end`` (ticks) and its onsets (``onsets``, ticks from
        its start); ``turns``: the temperature's ``turn``, a phrase end's ``phrase_turn``
        (longer for a chord loop of stabs: ``turn_kinds.STABS``) and ``reach``, the bars at a
        phrase's end where a turn may lie (``turn_kinds.TURN_BARS``, or the phrase's where a
        turn is a whole bar); ``kind``: whether the loop is a sparse bass (``sparse``);
        ``chords``: of a chord loop, its ``intervals`` (None: a line) and its ``chords`` by
        place; ``notes``: where the loop's notes stop (their ``lengths`` after the onsets),
        its ``key`` and its ``span``. The meter's beat (``pulse``, ticks) and the loop's
        chords' voicings (``voicings``)."""
        self.rows, self._rng = draws
        self.bar, self.shift, self.clip_end, self._loop = loop
        self.turn, self.phrase_turn, self.reach = turns
        self._ends = self._loop + notes.lengths  # where the loop's notes stop
        self._answers = _answer_places(self._loop, self.bar, self.turn)
        self.sparse = kind.sparse
        # a pad of triads, its turn two bars (turn_kinds.HELD_BARS): it keeps its notes (keeps)
        self._pad = kind.held and turns_two_bars(self.phrase_turn, self.bar)
        self._chords, self.intervals, _ = chords
        # of those, a chord held through the loop (a C held four bars): its half phrase's
        # end lends its bar too (CHORD_REACH, _lends_half)
        self._high = self._pad and kind.high  # a high pad's (HIGH_LAST)
        self._one_chord = self._pad and len({tuple(c.tolist()) for c in self._chords.values()}) == 1
        self.pulse = pulse
        self.key = notes.key
        self.span = notes.span
        self._voicings = voicings
        self.turns: dict[int, tuple[np.ndarray, bool]] = {}  # by phrase, as drawn (phrase)
        self.past_range: set[int] = set()  # phrases with no chord to turn in range (phrase)
        self._recolouring: set[int] = set()  # phrases whose chords take a colour (_recoloured)
        # _places, by the loop's place of a phrase's last bar and its turn's length
        self._placed: dict[tuple[int, int, bool], tuple[np.ndarray, bool, bool, bool]] = {}
        self._answered_late: set[tuple[int, int]] = set()  # of those, answered late (late)
        self._late_phrases: dict[int, bool] = {}  # by phrase, whether it is late (late)

    def phrase(self, phrase: int) -> tuple[np.ndarray, bool]:
        """Where each take's turn of ``phrase`` begins (ticks after the clip's end), and
        whether the takes answer there: the loop starts no note in that bar (it is silent,
        or a note started earlier rings on through it). An answer begins where the loop
        starts notes in its other bars (the first such place in each turn of the bar), so
        it keeps to the clip's rhythm."""
        if phrase not in self.turns:
            last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
            places, answer = self._places(phrase)
            if not len(places):  # the loop starts no note at all: nothing to turn or answer
                self.turns[phrase] = (np.full(self.rows, -1, dtype=np.int64), False)
                return self.turns[phrase]
            turn = self.length(phrase)
            order = self._rng.permutation(places)
            caps = [self.rows if answer else self._capacity(last_bar + p, turn) for p in order]
            if phrase in self._recolouring:  # and the chords of a voice's colour (_recoloured)
                extra = [self._recolours_at(last_bar + int(p), turn) for p in order]
                caps = [c + e for c, e in zip(caps, extra, strict=True)]
            if self._high and len(order) > 1:  # a high pad's last bar: one take (HIGH_LAST)
                caps = [
                    min(c, HIGH_LAST) if p >= 0 else c for c, p in zip(caps, order, strict=True)
                ]
            starts = last_bar + order[_spread(caps, self.rows)]
            self.turns[phrase] = (starts, answer)
        return self.turns[phrase]

    def _places(self, phrase: int) -> tuple[np.ndarray, bool]:
        """The places (ticks from the start of its last bar) where the takes' turns of
        ``phrase`` may lie, and whether the takes answer there (:meth:`phrase`)."""
        last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
        turn = self.length(phrase)
        lends = self._lends_half(phrase)
        key = (last_bar % self.shift, turn, lends)  # phrases ending on the loop's same bar alike
        if key not in self._placed:
            places = self._places_in(last_bar, turn)
            answer = not len(places)
            reached = 1  # the phrase's bars whose places the takes turn, from its last
            past = recolour = False
            if self._rests_late(last_bar, turn):  # a line's notes kept, answered late
                answer, places = True, self._late_answers(last_bar)
                self._answered_late.add(key[:2])
            elif answer:
                places = self._answers
            elif len(places) < self.rows and (  # too few for the takes: the bar before's too
                turn == self.phrase_turn or self.struck(last_bar, self.bar) < self.rows
            ):
                for back in range(
                    1, self._reach_for(turn, lends)
                ):  # a whole bar's turns: the phrase's
                    before = self._places_in(last_bar - back * self.bar, turn) - back * self.bar
                    if back >= self.reach and not lends:  # a chord loop's half
                        # phrase's end: chords of its own (a chord held through: its own again)
                        before = self._other_chords(before, places, last_bar, turn)
                        if not len(before):  # none: as the phrase's last two bars leave it
                            break
                    places = np.concatenate([before, places])
                    reached = back + 1
                    if len(places) >= self.rows:
                        break
            if not answer:  # a coloured chord with no other voicing in the range: another
                turning = [p for p in places.tolist() if self.turns_at(last_bar + p, turn)]
                room = sum(self._capacity(last_bar + p, turn) for p in turning)
                # and too few left for the takes, or too few clear voicings of them (a close
                # G whose one is G3 C4 D4): the chords before (a close Cmaj7-Am7-Dm7-G7
                # whose Dm7 fits nowhere else turns its G7 and its Am7)
                short = len(turning) < len(places) or room < self.rows
                for back in range(reached, self._reach_back(turn) if short else 0):
                    if len(turning) >= self.rows and room >= self.rows:
                        break
                    if back >= CHORD_REACH and self._recolours(places, last_bar, turn, turning):
                        recolour = True  # a colour of theirs, before the phrase's first bar
                        moved = [
                            p for p in places.tolist() if self._recolours_at(last_bar + p, turn)
                        ]
                        turning = sorted({*turning, *moved})
                        break
                    before = self._places_in(last_bar - back * self.bar, turn) - back * self.bar
                    more = [p for p in before.tolist() if self.turns_at(last_bar + p, turn)]
                    room += sum(self._capacity(last_bar + p, turn) for p in more)
                    turning[:0] = more
                places = np.array(turning, dtype=np.int64) if turning else places
                past = not turning  # no chord of the phrase turns in range: past it (voicing)
            self._placed[key] = (places, answer, past, recolour)
        places, answer, past, recolour = self._placed[key]
        if past:
            self.past_range.add(phrase)
        if recolour:
            self._recolouring.add(phrase)
        return places, answer

    def _recolours(self, places: np.ndarray, last_bar: int, turn: int, turning: list[int]) -> bool:
        """Whether a chord loop's phrase whose last bar is at ``last_bar`` (ticks after the
        clip's end), whose chords at ``places`` (ticks from it, ``turn`` ticks long; those of
        ``turning`` turn in range) leave too few voicings for the takes in the bars after
        its first, takes a colour of its own there (:meth:`_recoloured`) rather than turn
        its first bar or past the part's range: a chord there with no voicing of its own in
        range, or too few for the takes, moves a voice a step. A Cm7-Cm7-Fm7/C-Fm7/C stab's
        takes turned its bar 1 (16 of 32 takes, 3 of 4 alike); a close sus pad's every chord
        past the range; a close ninths pad's (Am9 Dm9 G13 Cmaj9: its G13 with no voicing in
        range, its Dm9's one shared) its bar 1 in 12 of 32 (helper-225)."""
        if self.intervals is None or (turn >= self.bar and not self._run_of_stabs(turn)):
            return False
        return any(self._recolours_at(last_bar + p, turn) for p in {*places.tolist(), *turning})

    def _recolours_at(self, start: int, turn: int) -> int:
        """How many chords of their own takes whose turn begins at ``start`` (ticks after the
        clip's end), ``turn`` ticks long, make by moving a voice of a coloured chord there
        to another colour (:meth:`_recoloured`): the most of its chords'."""
        where = start % self.shift
        places = np.unique(self._loop[(self._loop >= where) & (self._loop < where + turn)])
        return max(
            (
                len(self._recoloured(self._chords[int(p)], int(p)))
                for p in places.tolist()
                if int(p) in self._chords
            ),
            default=0,
        )

    def _recoloured(self, chord: np.ndarray, place: int) -> list[tuple[int, ...]]:
        """The chords a take may make of a coloured ``chord`` (its pitches, low to high,
        struck at ``place``, ticks into the loop) by moving one voice a step in the loop's key
        (``voicings.recoloured``: a sus chord's suspension swapped or resolved, a seventh's
        fifth to its 11th, its seventh to its 6th or its 13th to its fifth, in the range),
        each of them clear of a semitone the loop lacks and of a muddy interval
        (``ChordVoicings.clear_rows``), and none the chord the loop strikes next: a
        Csus4-C-Fsus2-F pad's Fsus2 resolved to F is the loop's own resolution a bar early. A
        chord with a voicing of its own in the range (``ChordVoicings.fits``) keeps its colour
        (:func:`colour_of`: Cm7 -> Cm11 leaves out only its fifth): a sus loop's Asus4 with
        voicings in range went to Asus2, and a sus chord resolved is the loop's chord no
        longer (helper-89)."""
        if self.intervals is None or not coloured(chord):
            return []
        after = sorted(p for p in self._chords if p > place) or sorted(self._chords)
        following = tuple(self._chords[after[0]].tolist())
        colour = set(colour_of(chord).tolist()) if self._voicings.fits(chord, place) else set()
        clear = self._voicings.clear_rows()
        return [
            voicing
            for voicing in recoloured(chord, self.key, self.span)
            if voicing != following
            and colour <= {p % 12 for p in voicing}
            and all(clear[a] >> b & 1 for a in voicing for b in voicing if a < b)
        ]

    def recolour_of(
        self, chord: np.ndarray, phrase: int, row: int, onset: int
    ) -> tuple[int, ...] | None:
        """The chord (pitches, low to high) take ``row`` makes of a coloured ``chord`` struck
        at ``onset`` (ticks) in its turn of ``phrase``, where the phrase's last bars strike
        chords with no voicing of their own in the part's range (:meth:`_places`): one voice
        moved a step to another colour (:meth:`_recoloured`: a sus chord's suspension
        swapped, Dsus4 -> Dsus2, or resolved to the key's third, Dsus4 -> Dm in C; a
        seventh's fifth to its 11th, Cm7 -> Cm11, its seventh to its 6th, Fm7/C -> Fm6/C),
        each take sharing the chord its own in turn, after the takes the chord's own voicings
        give one (``TurnedVoicings._aim_of``); None elsewhere. A keyboard player varies a close sus
        pad so, in its register: its takes turned it past the range (F5 or G5 over its A4, all
        32 turned chords of 8 requests) and were 2 of 4 alike; a Cm7-Cm7-Fm7/C-Fm7/C stab's
        turned its first bar (16 of 32 takes) and were 3 of 4 alike."""
        if phrase not in self._recolouring:
            return None
        starts, answer = self.phrase(phrase)
        after = onset - self.clip_end
        covering = (starts >= 0) & (starts <= after) & (after < starts + self.length(phrase))
        place = after % self.shift
        options = self._recoloured(chord, place)
        if answer or not covering[row] or not options:
            return None
        peers = where_set(covering).tolist()  # a chord's own voicings first (_aim_of)
        own = self._voicings.voicings(chord, place) if self._voicings.fits(chord, place) else 0
        index = peers.index(row) - own
        return None if index < 0 else options[index % len(options)]

    def _other_chords(
        self, before: np.ndarray, places: np.ndarray, last_bar: int, turn: int
    ) -> np.ndarray:
        """Of the places ``before`` (ticks from the phrase's last bar, at ``last_bar``: turns
        ``turn`` ticks long), those where a chord loop strikes a plain chord that none of
        ``places`` strikes and that turns in the part's range (:meth:`turns_at`): a chord of
        their own for takes the phrase's last bars leave sharing one (:data:`CHORD_REACH`). A
        one-chord loop's bars lend none, nor a coloured chord's (a seventh, a sus chord),
        whose sharing takes each play a voicing of their own already (``TurnedVoicings._aim_of``):
        turned at the half phrase's end, a neo-soul loop's sevenths struck semitones it
        lacks."""

        def chords(at: list[int]) -> set[tuple[int, ...]]:
            out: set[tuple[int, ...]] = set()
            for place in at:
                where = (last_bar + place) % self.shift
                onsets = self._loop[(self._loop >= where) & (self._loop < where + turn)]
                out |= {
                    tuple(self._chords[o].tolist()) for o in onsets.tolist() if o in self._chords
                }
            return out

        taken = chords(places.tolist())
        return np.array(
            [
                p
                for p in before.tolist()
                if (own := chords([p]))
                and not own <= taken
                and not any(coloured(np.array(c)) for c in own)
                and self.turns_at(last_bar + p, turn)
            ],
            dtype=np.int64,
        )

    def _lends_half(self, phrase: int) -> bool:
        """Whether a pad's chord held through the loop (:attr:`_one_chord`) lends the bar at
        ``phrase``'s half phrase's end to its takes' turns (:data:`CHORD_REACH`): at a phrase's
        end, not a section's (an 8- or 16-bar mark, :func:`turn_of`), whose turns lie in its
        last bar and the bar before (:meth:`length`)."""
        return self._one_chord and (phrase + 1) * PHRASE_BARS % SECTION_BARS != 0

    def _reach_for(self, turn: int, lends: bool = False) -> int:
        """How many bars at a phrase's end (from its last) lend their places to the takes'
        turns (``turn`` ticks long) where its last bar has fewer than takes: :attr:`reach`, and
        of a chord loop's, :data:`CHORD_REACH` (its half phrase's end, never its first bar),
        its turns shorter than a bar or a run of stabs' (:meth:`_run_of_stabs`), or where a
        pad's chord held through the loop ``lends`` it (:meth:`_lends_half`)."""
        if self.intervals is not None and (turn < self.bar or self._run_of_stabs(turn) or lends):
            return max(self.reach, CHORD_REACH)
        return self.reach

    def _reach_back(self, turn: int) -> int:
        """How many bars at a phrase's end (from its last) lend their chords to the takes'
        turns (``turn`` ticks long) where those there have too few voicings for the takes
        (:meth:`_places`): the whole phrase, but at a chord loop's section end (a turn longer
        than its phrase ends', :func:`turn_of`) its bars after the first (:data:`CHORD_REACH`),
        as at its phrase ends, whose turns there are shorter and more: a phrase's first bar
        keeps the loop, as the new clip's bar 1 does. Dm7 G7 Cmaj7 Cmaj7 stabs on 1 and the
        "and" of 2 turned bar 5 in every request of 8 bars (16 stabs of 96 turned, rng 1-8)."""
        if self.intervals is not None and turn > self.phrase_turn:
            return CHORD_REACH
        return PHRASE_BARS

    def _run_of_stabs(self, turn: int) -> bool:
        """Whether ``turn`` (ticks) is a chord loop of stabs' phrase-end turn, longer than the
        temperature's (``turn_kinds.STABS``, ``turn_kinds.RUN``: a whole bar of house stabs): its
        takes' turns lie in the phrase's last bars and its half phrase's end (:data:`CHORD_REACH`),
        or take a colour there (:meth:`_recolours`), as a pad's do, never its first bar. Let reach
        back as a whole-bar turn's at -t 2, a house Am7 stab's takes turned bar 1 (its one voicing
        in range left two bars for four takes)."""
        return turn == self.phrase_turn > self.turn

    def late(self, phrase: int) -> bool:
        """Whether the takes answer in the second half of ``phrase``'s last bar
        (:meth:`_rests_late`), read without drawing its turns; read once per phrase (its
        places, once worked out, never change), as :meth:`keeps` asks it at every step."""
        if phrase not in self._late_phrases:
            self._places(phrase)
            last_bar = (phrase * PHRASE_BARS + PHRASE_BARS - 1) * self.bar
            late = (last_bar % self.shift, self.length(phrase)) in self._answered_late
            self._late_phrases[phrase] = late
        return self._late_phrases[phrase]

    def keeps(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) whether the loop's note at each row's ``onsets`` (ticks) is kept for sure:
        it lies in a phrase whose takes answer late (:meth:`_rests_late`), where a line keeps
        its notes, its harmony, and each take's change is its answer. Left to the loop's
        strength (0.95 in a phrase's last bar, where the loop's bars differ), a sub bass of
        whole notes (A1 F1 C2 G1) lost a root to the network's own note in 5 of 24 requests
        (rng seeds 0-23, 4 takes), its G1 an E2 above the part, and a held dyad's phrase end
        another chord under its take's answer. So does a pad of triads, whose turn is two bars
        (``turn_kinds.HELD_BARS``), everywhere: its chords and their onsets are its harmony, and
        each take's change is its voicings (``TurnedVoicings``). Left to the strength (0.9975
        in a phrase's last bar), a Dm Bb C pad in half notes dropped a C chord's first voice
        after its take's turn, and the network struck C3 A3 Bb3 an eighth before it, cutting the
        Bb chord short: a chord the loop never plays (1 take of 160, rng seeds 1-40)."""
        after = np.asarray(onsets, dtype=np.int64) - self.clip_end
        if self._pad:
            return after >= 0
        out = np.zeros(self.rows, dtype=bool)
        phrase = after // (PHRASE_BARS * self.bar)
        for p in set(phrase[after >= 0].tolist()):
            if self.late(p):
                out |= (after >= 0) & (phrase == p)
        return out

    def _rests_late(self, last_bar: int, turn: int) -> bool:
        """Whether a line's takes answer in the second half of the phrase's last bar (at
        ``last_bar``, ticks after the clip's end) rather than turn its notes: the loop starts
        none there (a root held through the bar, a call and its rest, a phrase's last note
        held), and a turn (``turn`` ticks) is shorter than the bar. Turned, a sparse line's
        notes were its harmony: a sub bass of whole notes (A1 F1 C2 G1) had a take replace
        its G1, or its C2 in the bar before, in 32 of 32 takes (rng seeds 1-8), and a lead's
        phrase lost its held last note or a note of its bar 3; a player keeps them and
        plays a note of their own where the line rests, into the next phrase. So does a
        :attr:`sparse` line that rests after its last bar's last note at a place of its
        rhythm (:meth:`_pickups`). A chord loop's held chord turns its voices as before."""
        half = self.bar // 2
        if self.intervals is not None or turn >= self.bar:
            return False
        if self.struck(last_bar + half, self.bar - half):
            return self.sparse and len(self._pickups(last_bar)) > 0
        return (self.struck(last_bar, half) > 0 or self._held_through(last_bar, half)) and len(
            self._late_answers(last_bar)
        ) > 0

    def _held_through(self, start: int, ticks: int) -> bool:
        """Whether a note of the loop struck before ``start`` (ticks after the clip's end)
        sounds on through the ``ticks`` after it (a lead's last note tied over the bar line,
        a bass's root held from the bar before) in a loop that starts notes in its bars'
        second halves (:meth:`_late_answers`): a bar it holds through keeps it, as one it
        strikes (:meth:`_rests_late`). Answered on its downbeat, each take put another pitch
        under the whole bar (a lead's A4 tied from bar 3: 22 of 32 takes cut it by beat 2).
        A drone or a root held in a loop that strikes only downbeats is answered on the
        downbeat still: there no answer keeps to the clip's rhythm."""
        if not len(self._answers[self._answers >= self.bar // 2]):
            return False
        where = start % self.shift
        rings = (self._loop < where) & (self._ends >= where + ticks)
        wraps = self._ends - self.shift >= where + ticks  # from the loop's pass before
        return bool(rings.any() or wraps.any())

    def late_starts(self, after: np.ndarray, phrase: int) -> np.ndarray:
        """(rows,) whether each take's note (``after``: ticks after the clip's end) begins its
        answer of ``phrase`` where the takes answer late (:meth:`_rests_late`) at fewer places
        than there are takes (a sub bass's beats 3 and 4): the takes each play a pitch of
        their own, at either place (``Turns.answering_late``, ``TakesApart.apart``). An arp's takes,
        each at a 16th of its own, keep to its chord."""
        if not self.late(phrase) or len(self._places(phrase)[0]) >= self.rows:
            return np.zeros(len(after), dtype=bool)
        starts, _ = self.phrase(phrase)
        return after == starts

    def _late_answers(self, last_bar: int) -> np.ndarray:
        """The places (ticks into the bar) where a line's takes answer in its last bar's
        (at ``last_bar``, ticks after the clip's end) second half (:meth:`_rests_late`):
        where the loop starts notes there in its other bars, else the meter's beats there (a
        sub bass's third and fourth beat); where the bar strikes notes there, its pickups
        (:meth:`_pickups`)."""
        half = self.bar // 2
        if self.struck(last_bar + half, self.bar - half):
            return self._pickups(last_bar)
        own = self._answers[self._answers >= half]
        beats = np.arange(0, self.bar, self.pulse, dtype=np.int64)
        return own if len(own) else beats[beats >= half]

    def _pickups(self, last_bar: int) -> np.ndarray:
        """The places (ticks into the bar) in the second half of the bar at ``last_bar``
        (ticks after the clip's end) where a line adds a pickup into the next phrase: after
        the bar's last note, where no note of the loop sounds: where the loop starts notes in
        its other bars, else on the places in the beat where it starts them (a root-fifth
        bass's beat 4, an offbeat bass's "and" of 4, an 808's 16th after its last hit), else
        on the bar's eighths: a 6/8 bass of a root on 1 and its fifth on 4 (an eighth) plays
        its pickup on the bar's fifth or sixth eighth, into the next root, as a bass player
        fills a compound bar's last beat (its pulses, the dotted quarters, leave no place
        after the fifth, and each take turned one of its fifths instead). A
        bass player varies a sparse part so, the roots kept: a take that turned an offbeat
        F1 stab to a G1 left the loop with one root fewer where the song repeats it."""
        where = last_bar % self.shift
        inside = self._loop[(self._loop >= where) & (self._loop < where + self.bar)]
        if not len(inside):
            return np.zeros(0, dtype=np.int64)
        ends = np.concatenate([self._ends, self._ends - self.shift])
        starts = np.concatenate([self._loop, self._loop - self.shift])
        beats = np.arange(0, self.bar, self.pulse, dtype=np.int64)
        own = np.unique(self._loop % self.bar)
        in_beat = np.unique((beats[:, None] + np.unique(self._loop % self.pulse)[None]).ravel())
        eighths = np.arange(0, self.bar, TICKS_PER_BEAT // 2, dtype=np.int64)
        for places in (own, in_beat, eighths):  # the loop's own places in its bars first
            places = places[(places >= self.bar // 2) & (places < self.bar)]
            at = where + places[places > int(inside.max()) - where]
            sounding = ((starts[None] <= at[:, None]) & (ends[None] > at[:, None])).any(axis=1)
            if not sounding.all():
                return at[~sounding] - where
        return np.zeros(0, dtype=np.int64)

    def reaching_back(self) -> bool:
        """Whether some phrase's turns (:meth:`_places`) lie before its last :attr:`reach`
        bars, where a chord loop's coloured chords have fewer clear voicings than takes
        (``ChordVoicings.voicings``): an inverted-sevenths pad's last two chords have one
        each, and its four takes turn the phrase's first two too; or where some place of the
        loop has nothing to turn (``ChordVoicings.fits``: a low line's bass struck alone on
        the bar, a root-fifth bass's roots): the takes' turns make up for it with the bars
        before. Unread, those turns fell where no note varies (``TakesApart.varies``), and a take
        was the clip again: a quarter-note root-fifth bass (A1 E2 A1 E2, F1 C2 ...) lent its 8
        takes places back to its second bar, and 3 of them played the loop note for note in 8
        of 8 requests. Or where
        a chord loop's plain chords lend the half phrase's end (:data:`CHORD_REACH`)."""
        if not any(
            coloured(chord) and self._voicings.voicings(chord, place) < self.rows
            for place, chord in self._chords.items()
        ) and all(
            self._voicings.fits(self._chords.get(p), p) for p in np.unique(self._loop).tolist()
        ):
            if self.intervals is None or self.turn >= self.bar:  # a chord loop's: CHORD_REACH
                return False
        phrases = LONG_SECTION_BARS // PHRASE_BARS * max(1, -(-self.shift // self.bar))
        return any(
            len(places) and int(places.min()) < -(self.reach - 1) * self.bar
            for places, _ in map(self._places, range(phrases))
        )

    def _places_in(self, bar_start: int, turn: int) -> np.ndarray:
        """The turns (``turn`` ticks long, from ``bar_start``) of the bar at ``bar_start``
        (ticks after the clip's end) in which the loop starts a note."""
        where = bar_start % self.shift  # the same bar in the loop
        inside = self._loop[(self._loop >= where) & (self._loop < where + self.bar)]
        return np.unique((inside - where) // turn) * turn

    def length(self, phrase: int) -> int:
        """How long (ticks) each take's turn of ``phrase`` is (:func:`turn_of`). The turns of a
        section's end lie in its last bar, and takes that share one differ over its notes
        (``take_sharing.SHARED_BAR``), unless the bar starts fewer notes than there are takes (a
        pad's one chord): then the bar before lends its own, as at a phrase's end (with the last
        chord alone to turn, two of four takes on a pad played one take at 3 of 48 of its 8- and
        16-bar marks)."""
        return turn_of(phrase, self.bar, self.phrase_turn)

    def starts(self, phrase: int) -> np.ndarray:
        """(rows,) where each take's turn of ``phrase`` (0: the first after the clip)
        begins, in ticks after the clip's end; -1 where the takes answer in that bar."""
        starts, answer = self.phrase(phrase)
        return np.full(self.rows, -1, dtype=np.int64) if answer else starts

    def struck(self, start: int, turn: int) -> int:
        """How many onsets the loop has in the ``turn`` ticks from ``start`` (ticks after the
        clip's end)."""
        where = start % self.shift
        return len(np.unique(self._loop[(self._loop >= where) & (self._loop < where + turn)]))

    def turns_at(self, start: int, turn: int) -> bool:
        """Whether a take whose turn begins at ``start`` (ticks after the clip's end), ``turn``
        ticks long, has a note there to turn within the part's range (``ChordVoicings.fits``): a
        single note (not a low line's bass struck alone), a plain chord with a voice that has
        another pitch of the loop's classes there in the range, or a coloured chord with a voicing
        of its own in the range for some of its upper voices (``TurnedVoicings.turned_ranks``). In
        the range, not anywhere: a one-chord loop's close F struck once a bar (F3 A3 C4, its part's
        range from F3 to C4) has none, for over its kept bass the range (a whole step past it:
        ``voicings.BEYOND``) holds no other pitch of the loop's classes (a one-chord loop's: F, A,
        C), and a voicing of its own there would be another chord (F3 G3 C4, F3 A3 D4); an open C
        (C3 G3 E4 G4) has C4 for its G3 or its E4. Where no chord of a phrase has one, its takes
        turn past the range (:attr:`past_range`, ``TurnedVoicings.voicing``): they open the close F
        as a keyboard player does, the bass kept, within an octave over its top (F3 A3 F4, F3 C4
        A4), and the next phrase begins with the loop's chord again. Of helper-304's chord loops of
        1, 2 and 4 bars (close and open triads and 4-note chords, pads and stabs, F2 to Eb4), only
        such phrases' takes left the range, and this and :meth:`_capacity` agreed at every place (a
        capacity of 0 exactly where this is False: 20,632 places of phrase ends, turns of an 8th to
        a bar)."""
        where = start % self.shift
        places = np.unique(self._loop[(self._loop >= where) & (self._loop < where + turn)])
        return any(
            self._voicings.fits(self._chords.get(int(place)), int(place))
            for place in places.tolist()
        )

    def _capacity(self, start: int, turn: int) -> int:
        """How many takes whose turn begins at ``start`` (ticks after the clip's end), ``turn``
        ticks long, may each play a voicing of their own there: :attr:`rows` where the loop
        strikes a single note, else the most clear voicings (``ChordVoicings.voicings``) of its
        chords there: 0 where :meth:`turns_at` is False, counted in the range as it is (a
        phrase turned past the range, :attr:`past_range`, gives its places' takes in turn:
        :func:`_spread`)."""
        where = start % self.shift
        places = np.unique(self._loop[(self._loop >= where) & (self._loop < where + turn)])
        counts = [
            self._voicings.voicings(self._chords[int(p)], int(p))
            if int(p) in self._chords
            else self.rows
            for p in places.tolist()
        ]
        return max(counts, default=0)
