"""The voicings a take's turn may play of a chord loop's chords, in the part's range: each
chord's rooms (:meth:`ChordVoicings.rooms_of`), whether a take turns it in the range
(:meth:`ChordVoicings.fits`, :meth:`ChordVoicings.turnable`), its clear voicings, every two
voices clear of a semitone the loop lacks and of mud (:meth:`ChordVoicings.clear_of`,
:meth:`ChordVoicings.plain_voicings`), how many there are (:meth:`ChordVoicings.voicings`),
the classes a stab's turned voice keeps its chord with (:meth:`ChordVoicings.same_chord_of`),
and the loop's chord at a place (:meth:`ChordVoicings.chord_of`). Worked out of the loop
alone, never a take's draws: which take turns which voices, and which voicing it aims for,
is the take's (``takes.Turns``), which asks these, and every request's copy of the turns
shares them (``Turns.drawing_with``). The classes a turned voice keeps to at each place are
the loop's (``loop_classes.LoopClasses``), and the intervals it may sound with the chord's
other voices its clashes' (``chord_clashes.ChordClashes.interval_pairs_of``): both are given,
read once for the clip."""

from __future__ import annotations

import numpy as np

from segue.model import pitch_bits as bits
from segue.model.chord_clashes import ChordClashes
from segue.model.intervals import clear_with
from segue.model.loop_classes import LoopClasses
from segue.model.pitch_classes import every_octave
from segue.model.turn_sizes import NEIGHBOUR, voices_for
from segue.model.vocab import where_set
from segue.model.voicings import (
    ChordRooms,
    chord_rooms,
    clear_voicings_of,
    colour_keeping,
    coloured,
    held_third,
    inversions,
    keeps_chord,
    opened_span,
    rank_of,
    room_of,
    same_chord,
    turns_in_range,
)

SAME_CHORD_TRIES = 4
"""How many voicings per take :meth:`ChordVoicings.voicings` looks for in a plain chord before it
keeps those that stay the chord (``voicings.keeps_chord``): its root, one class at most not
its own (a suspension), where the voices move one by one."""
ChordalMemo = tuple[tuple[int, ...], int, bytes | None, int, bool]


def _chordal_memo(
    chord: np.ndarray, pitch: int, key: np.ndarray | None, others: int, third: bool
) -> ChordalMemo:
    """What ``voicings.same_chord``'s answer for the voice at ``pitch`` of ``chord`` reads:
    the chord, the voice, the ``key`` and the classes the ``others`` (bits) sound, and
    whether a third is asked (:meth:`ChordVoicings.same_chord_of`,
    :meth:`ChordVoicings.same_chord_bits`)."""
    return (
        tuple(chord.tolist()),
        pitch,
        None if key is None else key.tobytes(),
        bits.classes(others),
        third,
    )


def mask_of(pitches: set[int], size: int) -> np.ndarray:
    """(size,) bool: ``pitches`` set."""
    out = np.zeros(size, dtype=bool)
    out[list(pitches)] = True
    return out


class ChordVoicings:
    """A chord loop's chords' voicings in the part's range, for the turns of its takes, each
    worked out once and kept (by chord: its rooms, fits, clear voicings and same-chord
    classes)."""

    def __init__(
        self,
        rows: int,
        *,
        turn: int,
        keeps_chords: bool,
        span: tuple[int, int] | None,
        altered: np.ndarray,
        lone: set[int],
        classes: LoopClasses,
        clash: ChordClashes,
    ) -> None:
        """Of a loop's ``rows`` takes, each turn ``turn`` ticks long: whether its turns keep
        each chord (a run of stabs: ``Turns.keeps_chords``), the loop's ``span`` (lowest and
        highest pitch; None: no notes), a chord loop's classes out of its key (``altered``,
        (12,) bool: a plain chord's third there is held), the places that strike a low
        line's bass alone (``lone``), the loop's ``classes`` by place (and where a place of
        it lies: ``LoopClasses.clip_end`` and ``shift``), and its ``clash`` (the intervals its
        chords sound), whose chords these read too, one reading for both: a chord loop's
        chords by place in the loop (ticks), their intervals (None: a line) and how wide they
        are by register (``ChordClashes.struck``, :func:`wide_enough`), and the pairs of
        pitches clear of a semitone the loop lacks and of mud (``ChordClashes.pairs``,
        :func:`clear_pairs`)."""
        self.rows = rows
        self.turn = turn
        self.keeps_chords = keeps_chords
        self.span = span
        self._altered = altered
        self._lone = lone
        self._chords, self.intervals, self._wide = clash.struck
        self._pairs = clash.pairs
        self.loop_classes = classes
        self.classes = classes.classes
        self.clip_end = classes.clip_end  # the loop's place of an onset (ticks)
        self.shift = classes.shift
        self._clash = clash
        self._turning: dict[tuple[tuple[int, ...], tuple[int, ...]], bool] = {}  # turnable
        self._plain: dict[tuple[tuple[int, ...], int], bool] = {}  # _plain_fits
        self._clear: tuple[int, ...] | None = None  # the intervals a turn may sound (clear_rows)
        self._voiced: dict[tuple[tuple[int, ...], bytes | None], int] = {}  # voicings
        self._plain_voiced: dict[  # plain_voicings
            tuple[
                tuple[int, ...], tuple[int, ...], tuple[str, bytes] | None, int, bool, bool, bool
            ],
            frozenset[tuple[int, ...]],
        ] = {}
        # each chord's rooms and colour, by chord and span: once for all takes (rooms_of)
        self._rooms: dict[tuple[tuple[int, ...], tuple[int, int] | None], ChordRooms] = {}
        self._chordal: dict[ChordalMemo, np.ndarray] = {}  # same_chord_of
        self._inverted: dict[tuple[int, ...], tuple[tuple[int, ...], ...]] = {}  # inversions_of
        self._chordal_bits: dict[ChordalMemo, int] = {}  # same_chord_bits

    def chord_of(self, onsets: np.ndarray) -> list[np.ndarray | None]:
        """For each row, the loop's chord (its pitches, low to high) at the place of the
        loop that ``onsets`` (ticks) repeat, or None where the loop strikes one note."""
        place = (np.asarray(onsets, dtype=np.int64) - self.clip_end) % self.shift
        return [self._chords.get(p) for p in place.tolist()]

    def voiced_at(self, onsets: np.ndarray, pitches: np.ndarray) -> np.ndarray:
        """(rows,) whether the loop strikes a chord at the place each row's ``onsets`` (ticks)
        repeat with a voice of the row's ``pitches``: a loop note let go off its own place
        onto another strike of its chord (an F stab's F3 struck an 8th late) lands on that
        chord, and is narrowed as one let go on its place (``loop_steps.near_the_loop``)."""
        return np.array(
            [
                chord is not None and p in chord.tolist()  # a list's ``in``, not numpy's ==
                for chord, p in zip(self.chord_of(onsets), pitches.tolist(), strict=True)
            ],
            dtype=bool,
        )

    def held_rank(self, chord: np.ndarray) -> int | None:
        """The rank (from the top) of a plain ``chord``'s voice no turn moves: its third out
        of the loop's key (``voicings.held_third``: an Andalusian pad's E chord's G#); None
        where none is."""
        pitch = held_third(chord, self._altered) if self._altered.any() else None
        return None if pitch is None else rank_of(chord, pitch)

    def plain_ranks(self, chord: np.ndarray, first: int) -> set[int]:
        """The voices (ranks from the top) of a plain ``chord`` that a take whose voice is
        ``first`` turns: :func:`voices_for` its turn of its upper voices from ``first`` on, of
        those but its held third (:meth:`held_rank`)."""
        upper = len(chord) - 1
        held = self.held_rank(chord)
        free = [r for r in range(upper) if r != held] or list(range(upper))
        return {free[(first + k) % len(free)] for k in range(min(voices_for(self.turn), len(free)))}

    def near_pitches(self, chord: np.ndarray, rank: int, onset: int) -> int:
        """How many pitches the voice of a chord loop's ``chord`` (its pitches, low to high,
        struck at ``onset``, ticks) at ``rank`` (from the top) may turn to within
        :data:`NEIGHBOUR` (a fourth) of its own: in its room above the bass (:func:`room_of`;
        of a coloured chord, keeping its colour: :func:`colour_keeping`), of the loop's
        classes there (``LoopClasses.at``), on no other voice, and sounding with each of
        them an interval of the loop's chords (:func:`consonant_with`), as wide as its
        voicing has there (:func:`wide_enough`)."""
        assert self.intervals is not None
        pitch = int(chord[len(chord) - 1 - rank])
        below = np.zeros(128, dtype=bool)
        below[chord[chord < pitch]] = True
        if coloured(chord):
            rooms = self.rooms_of(chord, self.span)
            room = colour_keeping(chord, pitch, {rank}, below, self.span, self._wide, rooms)
        else:
            room = room_of(pitch, int(chord[0]), self.span, self._wide)
        room &= np.abs(np.arange(128) - pitch) <= NEIGHBOUR
        room[chord] = False
        classes = self.loop_classes.at(np.array([onset]))
        if classes is not None:
            room &= every_octave(classes[0])
        if self.keeps_chords and not coloured(chord):  # a run of stabs: the chord itself
            rest = mask_of(set(chord.tolist()) - {pitch}, 128)
            key = None if classes is None else classes[0]
            room &= every_octave(same_chord(chord, pitch, key, rest))
        others = np.zeros((1, 128), dtype=bool)
        others[0, chord[chord != pitch]] = True
        room &= clear_with(others, self._clash.interval_pairs_of(False))[0]  # (consonant_with)
        return int(room.sum())

    def turnable(self, chord: np.ndarray, ranks: set[int]) -> bool:
        """Whether a coloured ``chord``'s voices ``ranks`` turn within the part's range
        (:func:`turns_in_range`) to a voicing clear of a semitone the loop lacks and of a
        muddy interval (:meth:`clear_of`; the loop's chords are few, and each is asked
        once): a close Cmaj7 whose only voicing in a loop up to C5 that keeps its E and B is
        C4 E4 B4 C5 is no take's turn (its takes struck B4 under C5 in every request of a
        close 7ths stab, helper-150)."""
        key = (tuple(chord.tolist()), tuple(sorted(ranks)))
        if key not in self._turning and self.keeps_chords and not coloured(chord):  # kept
            self._turning[key] = bool(self.plain_voicings(chord, ranks, self.classes, 1))
        if key not in self._turning:
            rooms = self.rooms_of(chord, self.span)
            self._turning[key] = turns_in_range(
                chord, ranks, self.span, self._wide, rooms
            ) and bool(self.clear_of(chord, ranks, self.classes, 1))
        return self._turning[key]

    def rooms_of(self, chord: np.ndarray, span: tuple[int, int] | None) -> ChordRooms:
        """The :class:`ChordRooms` of ``chord`` (its pitches, low to high) in ``span``, worked
        out once per request and shared by the takes and their voices."""
        key = (tuple(chord.tolist()), span)
        if key not in self._rooms:
            self._rooms[key] = chord_rooms(chord, span, self._wide, self.keeps_chords)
        return self._rooms[key]

    def clear_of(
        self, chord: np.ndarray, ranks: set[int], classes: np.ndarray | None, limit: int
    ) -> set[tuple[int, ...]]:
        """The voicings (at most ``limit``) of a coloured ``chord`` (its pitches, low to high)
        whose voices ``ranks`` (from the top) move, each in its room (:func:`room_of`) and of
        ``classes`` ((12,) bool, or None: any), every two voices clear of a semitone the loop
        lacks and of a muddy interval (:func:`clear_voicings`, as
        ``ChordClashes.chord_clashing`` at 1 or more), on the chord's own classes where it may
        leave out its fifth, keeping every class of its colour (:func:`colour_of`), and a 4-2
        chord's once each (``ChordRooms.single``)."""
        rooms = self.rooms_of(chord, self.span)
        keep = bits.PITCHES if classes is None else bits.in_every_octave(bits.from_classes(classes))
        if rooms.dropped:  # the fifth left out: the chord's own or its ninth
            keep &= bits.in_every_octave(rooms.own)
        moving = {
            p: room & keep
            for p, rank, room in zip(rooms.pitches, rooms.ranks, rooms.rooms, strict=True)
            if rank in ranks
        }
        return clear_voicings_of(
            rooms.pitches, moving, self.clear_rows(), limit, rooms.colour, rooms.single
        )

    def clear_rows(self) -> tuple[int, ...]:
        """The intervals a turn may sound (of a chord loop), each pitch's pitches clear with
        it (``pitch_bits.rows_of``), worked out once per request: clear of a semitone the
        loop lacks and of a muddy interval (:func:`clear_voicings`)."""
        if self._clear is None:
            assert self._pairs is not None
            self._clear = bits.rows_of(self._pairs)
        return self._clear

    def fits(self, chord: np.ndarray | None, place: int | None = None) -> bool:
        """Whether a take turns ``chord`` (None: a single note) within the part's range: a
        coloured one with a voicing of its own in the range for some of its upper voices
        (``TurnedVoicings.turned_ranks``), a plain one (at ``place``, ticks into the loop: None,
        any) with a voice that has another pitch of the classes its turn keeps to there
        (``LoopClasses.at``) in the range: a one-chord loop's close stab has none."""
        if chord is None:  # a single note, but a low line's bass struck alone (_broken)
            return place not in self._lone
        if not coloured(chord):
            return place is None or self._plain_fits(chord, place)
        upper = len(chord) - 1
        voices = min(voices_for(self.turn), upper)
        return any(
            self.turnable(chord, {(first + k) % upper for k in range(voices)})
            for first in range(upper)
        )

    def _plain_fits(self, chord: np.ndarray, place: int) -> bool:
        """:meth:`fits` of a plain ``chord`` at ``place`` (ticks into the loop)."""
        key = (tuple(chord.tolist()), place)
        if key not in self._plain:
            classes = self.loop_classes.at(np.array([self.clip_end + place]))
            others = np.zeros(128, dtype=bool)
            others[np.asarray(chord)] = True
            fits = False
            held = self.held_rank(chord)  # its third out of the key stays
            rooms = self.rooms_of(chord, self.span)  # voice_span's, once per request
            for pitch in chord[1:].tolist():
                if held is not None and rank_of(chord, pitch) == held:
                    continue
                room = bits.to_array(rooms.rooms[rooms.pitches.index(pitch)]) & ~others
                if classes is not None:
                    room &= every_octave(classes[0])
                if self.keeps_chords:
                    rest = others.copy()
                    rest[pitch] = False
                    scale = None if classes is None else classes[0]
                    room &= every_octave(same_chord(chord, pitch, scale, rest))
                fits |= bool(room.any())
            self._plain[key] = fits
        return self._plain[key]

    def voicings(self, chord: np.ndarray, place: int) -> int:
        """How many voicings of a ``chord`` (at ``place``, ticks into the loop) its takes'
        turns may play (:data:`TURNED_VOICES` of its upper voices, from any:
        ``TurnedVoicings.turned_ranks``), up to :attr:`rows`, each voice in its room
        (:func:`room_of`) and the loop's classes there (``LoopClasses.at``), and every two voices
        clear of a semitone the loop lacks and of a muddy interval (:func:`clear_voicings`; as
        ``ChordClashes.chord_clashing`` at 1 or more). A close G (G3 B3 D4, a Dm7-G loop from D3 to
        D4) has one, G3 C4 D4: four takes on its two bars played two takes, and the takes
        turn the Dm7 before it too (``TurnPlaces.phrase``). A coloured chord's keep its colour
        (:meth:`clear_of`, of the voices that turn in the part's range: :meth:`turnable`):
        counted as :attr:`rows`, the four takes of an inverted-sevenths pad (C4 D4 F4 A4,
        B3 D4 F4 G4, B3 C4 E4 G4, C#4 E4 G4 A4) all turned its G7/B, whose one voicing they
        all played."""
        classes = self.loop_classes.at(np.array([self.clip_end + place]))
        # a chord struck again in its bar, or in another of the same classes, counted once
        key = (tuple(chord.tolist()), None if classes is None else classes[0].tobytes())
        if key not in self._voiced:
            upper = len(chord) - 1
            voices = min(voices_for(self.turn), upper)
            found: set[tuple[int, ...]] = set()
            for first in range(upper):
                if coloured(chord):
                    ranks = {(first + k) % upper for k in range(voices)}
                    if self.turnable(chord, ranks):
                        found |= self.clear_of(
                            chord, ranks, None if classes is None else classes[0], self.rows
                        )
                    continue
                ranks = self.plain_ranks(chord, first)
                found |= self.plain_voicings(
                    chord, ranks, None if classes is None else classes[0], self.rows
                )
            self._voiced[key] = min(len(found), self.rows)
        return self._voiced[key]

    def plain_voicings(
        self,
        chord: np.ndarray,
        ranks: set[int],
        classes: np.ndarray | None,
        limit: int,
        kept: bool = False,
        past: bool = False,
        opened: bool = False,
    ) -> set[tuple[int, ...]]:
        """Up to about ``limit`` voicings of a plain ``chord`` whose voices ``ranks`` (from the
        top) turn, each in its room (:func:`room_of`) and the loop's ``classes`` ((12,) bool;
        None: any), every two voices clear (:func:`clear_voicings`), and, where the loop's
        turns keep its chords (``Turns.keeps_chords``), the chord itself
        (``voicings.same_chord``, ``voicings.keeps_chord``): its root, a colour at most, and
        none the loop's own chord of another place (:meth:`_own_chords`): a D after a Dsus4
        (D3 G3 A3, D3 F#3 A3) turned its F#3 to G3, the bar before again, in every take. A pad's
        the same (``kept``: ``TurnedVoicings.held``), in its own rooms (a pad's turns keep its
        part's range as before, or its top a fourth past the loop's where ``opened``: a pad
        of triads held a beat or longer, ``voicings.opened_span``), or with no range at all in
        a phrase turned past it (``past``: ``TurnPlaces.past_range``)."""
        key = (
            tuple(chord.tolist()),
            tuple(sorted(ranks)),
            None if classes is None else (classes.dtype.str, classes.tobytes()),
            limit,
            kept,
            past,
            opened,
        )
        if key not in self._plain_voiced:  # the same for every take and request (_shared)
            span = None if past else opened_span(self.span) if opened else self.span
            rooms = self.rooms_of(chord, span)
            voiced = self._clear_plain(chord, rooms, ranks, classes, limit, kept)
            self._plain_voiced[key] = frozenset(voiced)
        return set(self._plain_voiced[key])

    def _clear_plain(
        self,
        chord: np.ndarray,
        rooms: ChordRooms,
        ranks: set[int],
        classes: np.ndarray | None,
        limit: int,
        kept: bool,
    ) -> set[tuple[int, ...]]:
        """:meth:`plain_voicings`, worked out in the chord's ``rooms``."""
        keep = bits.PITCHES if classes is None else bits.in_every_octave(bits.from_classes(classes))
        if not (self.keeps_chords or kept):
            moving = {
                p: room & keep
                for p, rank, room in zip(rooms.pitches, rooms.ranks, rooms.rooms, strict=True)
                if rank in ranks
            }
            return clear_voicings_of(rooms.pitches, moving, self.clear_rows(), limit)
        others = set(rooms.pitches)
        moving = {
            p: room
            & keep
            & bits.in_every_octave(
                bits.from_classes(same_chord(chord, p, classes, mask_of(others - {p}, 128)))
            )
            for p, rank, room in zip(rooms.pitches, rooms.ranks, rooms.rooms, strict=True)
            if rank in ranks
        }
        return {
            v
            for v in clear_voicings_of(
                rooms.pitches, moving, self.clear_rows(), SAME_CHORD_TRIES * limit
            )
            if keeps_chord(rooms.pitches, v) and v not in self._own_chords()
        }

    def inversions_of(self, chord: np.ndarray) -> list[tuple[int, ...]]:
        """A high pad's inversions of its plain ``chord`` (``voicings.inversions``) in its
        range, its top a fourth past it (``voicings.opened_span``), clear
        (:meth:`clear_rows`), none the loop's own chord of another place; worked out once
        per request."""
        key = tuple(chord.tolist())
        if key not in self._inverted:
            span = opened_span(self.span)
            found = [] if span is None else inversions(chord, span, self.clear_rows())
            own = self._own_chords()
            self._inverted[key] = tuple(v for v in found if v not in own)
        return list(self._inverted[key])

    def _own_chords(self) -> set[tuple[int, ...]]:
        """The loop's chords (pitches, low to high) at all its places."""
        return {tuple(c.tolist()) for c in self._chords.values()}

    def same_chord_of(
        self,
        chord: np.ndarray,
        pitch: int,
        key: np.ndarray | None,
        others: np.ndarray,
        third: bool = False,
    ) -> np.ndarray:
        """(128,) bool: ``voicings.same_chord``'s classes in every octave, for the voice at
        ``pitch`` of ``chord`` with ``others`` ((128,) bool) sounding. It reads only the
        classes they sound, so it is worked out once per request for each chord, voice, key
        and those classes, not at every take's turned voice."""
        memo = _chordal_memo(chord, pitch, key, bits.from_array(others), third)
        if memo not in self._chordal:
            chordal = same_chord(chord, pitch, key, others, third)
            self._chordal[memo] = every_octave(chordal)
        return self._chordal[memo]

    def same_chord_bits(
        self, chord: np.ndarray, pitch: int, key: np.ndarray | None, others: int
    ) -> int:
        """:meth:`same_chord_of` as bits, of ``others`` as bits (``segue.model.pitch_bits``),
        kept by the same memo: the classes the other voices sound."""
        memo = _chordal_memo(chord, pitch, key, others, False)
        known = self._chordal_bits.get(memo)
        if known is None:
            known = bits.from_array(self.same_chord_of(chord, pitch, key, bits.to_array(others)))
            self._chordal_bits[memo] = known
        return known

    def exchanging(
        self, rows: np.ndarray, onsets: np.ndarray, loop_pitches: np.ndarray, struck: np.ndarray
    ) -> np.ndarray:
        """(len(rows),) bool: of the turned voices of a chord loop's chords (``rows``, at
        ``onsets``, ticks, the loop's voices of ``loop_pitches``), those that may keep their
        own pitch: a voice of the take's turn above one that has left its own (``struck``,
        (rows, 128) bool: the take's notes struck there, the voices below, differ from the
        loop's). The chord is a new voicing already, as a player's voice exchange is: kept
        off its own pitch too, a close F's turned A3 and C4 (C3 to C4, sus loop) could only
        go to G3 and A3, and every take of the loop's 24 was one."""
        out = np.zeros(len(rows), dtype=bool)
        for i, (r, chord) in enumerate(zip(rows, self.chord_of(onsets[rows]), strict=True)):
            pitch = int(loop_pitches[r])
            if chord is None or pitch not in chord:
                continue
            below = set(chord[chord < pitch].tolist())
            out[i] = set(where_set(struck[r][:pitch]).tolist()) != below
        return out
